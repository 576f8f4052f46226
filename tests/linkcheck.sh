#!/usr/bin/env bash
# Fails when hubcap-cli or libhubcap-core pulls in Qt Widgets, libtorch or libpython.
set -u
cli=$1 core=$2 control=${3:-}
status=0
libs=$(ldd "$cli") || { echo "ldd failed on $cli"; exit 1; }
for bad in libQt6Widgets libQt5Widgets libtorch libc10 libpython; do
  if grep -q "$bad" <<<"$libs"; then echo "FAIL: $cli links $bad"; status=1; fi
done
# Undefined symbols of the static core library must not name Python, torch or widget APIs.
syms=$(nm -u -C "$core" 2>/dev/null)
# Python's C API names look like Py_Initialize, PyObject_Call, _Py_Dealloc (prefix, then "_");
# Hubcap's own hubcap::PyHostPool etc. are not Python symbols.
for pat in '(^|[^A-Za-z0-9_:])_?Py[A-Za-z0-9]*_[A-Za-z]' 'c10::' 'at::Tensor' 'torch::' 'QWidget' 'QApplication::'; do
  if grep -Eq "$pat" <<<"$syms"; then echo "FAIL: $core references $pat"; status=1; fi
done
# Negative control: the same check must flag the Python host library, or it proves nothing.
if [ -n "$control" ] && ! nm -u "$control" 2>/dev/null | grep -Eq '^ *U _?Py[A-Za-z]*_'; then
  echo "FAIL: the check does not detect the Python C API in $control"; status=1
fi
[ "$status" = 0 ] && echo "OK: $(basename "$cli") and $(basename "$core") link no Qt Widgets, libtorch or libpython"
exit $status
