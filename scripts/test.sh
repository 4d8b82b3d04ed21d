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

# Each parser's fuzz target replays its kept corpus and fuzzes for a few
# seconds (clang, -fsanitize=fuzzer,address,undefined): a crash fails.
echo "== fuzz targets: kept corpora, then 3 s each"
(cd build-check && make fuzz FUZZ_SECONDS=3) || exit 1

# The unit tests and the end-to-end tests (the real binary against
# fakeaws) again, built with ASan+UBSan: a leak or overflow fails them.
echo "== unit and end-to-end tests again under ASan+UBSan"
asan_tests=$(cd build-check && {
	ls tests/unit/test-* | grep -v '\.\(log\|trs\|o\)$'
	ls tests/e2e/test-*.sh.log | sed 's/\.log$//'
} | tr '\n' ' ')
(cd build-asan && ../configure --enable-werror --enable-sanitizers >/dev/null &&
	make -j"$jobs" >/dev/null &&
	make -j"$jobs" check TESTS="$asan_tests") || {
	cat build-asan/test-suite.log 2>/dev/null | tail -200
	exit 1
}
echo "== all tests passed"
