"""Captures what repository code prints and warns during one request.

sys.stdout and sys.stderr are swapped for buffers and warnings are recorded, so hubconf output
comes back with the result instead of corrupting the protocol stream (fd 1 is not the protocol
either: the C++ side moved the protocol to a private descriptor before Python started).
"""

import io
import sys
import warnings


class Capture:
    def __init__(self):
        self.buffer = io.StringIO()
        self.warnings = []
        self._saved = None
        self._catch = None

    def __enter__(self):
        self._saved = (sys.stdout, sys.stderr)
        sys.stdout = sys.stderr = self.buffer
        self._catch = warnings.catch_warnings(record=True)
        self._records = self._catch.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)
        sys.stdout, sys.stderr = self._saved
        for w in self._records:
            self.warnings.append("%s:%s: %s: %s" % (w.filename, w.lineno, w.category.__name__, w.message))
        return False

    @property
    def text(self):
        return self.buffer.getvalue()
