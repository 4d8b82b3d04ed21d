#!/bin/sh
# The README's "test it" line runs this: install what is missing, build with
# warnings as errors, run every test, then the unit tests again under
# ASan+UBSan in a separate build folder. Exits non-zero on any failure.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

sh scripts/install-deps.sh
autoreconf -fi >/dev/null 2>&1 || autoreconf -fi

rm -rf build-check build-asan
mkdir build-check build-asan

echo "== build (-Werror) and every test"
(cd build-check && ../configure --enable-werror >/dev/null &&
	make -j"$jobs" >/dev/null && make -j"$jobs" check) || {
	cat build-check/test-suite.log 2>/dev/null | tail -200
	exit 1
}

echo "== unit tests again under ASan+UBSan"
(cd build-asan && ../configure --enable-werror --enable-sanitizers >/dev/null &&
	make -j"$jobs" >/dev/null &&
	make -j"$jobs" check TESTS="$(cd ../build-check && ls tests/unit/test-* 2>/dev/null | grep -v '\.\(log\|trs\|o\)$' | tr '\n' ' ')") || {
	cat build-asan/test-suite.log 2>/dev/null | tail -200
	exit 1
}
echo "== all tests passed"
