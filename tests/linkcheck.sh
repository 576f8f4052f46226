#!/usr/bin/env bash
# Fails when hubcap-cli or libhubcap-core pulls in Qt Widgets, libtorch or libpython.
set -u
cli=$1 core=$2
status=0
libs=$(ldd "$cli") || { echo "ldd failed on $cli"; exit 1; }
for bad in libQt6Widgets libQt5Widgets libtorch libc10 libpython; do
  if grep -q "$bad" <<<"$libs"; then echo "FAIL: $cli links $bad"; status=1; fi
done
# Undefined symbols of the static core library must not name Python, torch or widget APIs.
syms=$(nm -u -C "$core" 2>/dev/null)
for pat in 'Py[A-Z_][A-Za-z_]*' 'c10::' 'at::Tensor' 'torch::' 'QWidget' 'QApplication::'; do
  if grep -Eq "$pat" <<<"$syms"; then echo "FAIL: $core references $pat"; status=1; fi
done
[ "$status" = 0 ] && echo "OK: $(basename "$cli") and $(basename "$core") link no Qt Widgets, libtorch or libpython"
exit $status
