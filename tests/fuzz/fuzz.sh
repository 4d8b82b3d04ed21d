#!/bin/sh
# Builds and runs the libFuzzer targets (make fuzz calls this; see
# tests/fuzz/README.md). The parsers are compiled again with clang,
# -fsanitize=fuzzer,address,undefined, into a library of their own.
#
#   fuzz.sh build              build every target
#   fuzz.sh run SECONDS [T..]  replay each kept corpus, then fuzz each
#                              target for SECONDS (0: replay only)
#
# From make: FUZZ_CC, FUZZ_CPPFLAGS, FUZZ_LIBS, srcdir; the targets and
# their work land in tests/fuzz under the current (build) folder.
set -eu

TARGETS="logs sanitize logparse ini awsconfig sso-cache xml timerange cw-metrics"
# The sources the targets need, and what those call.
SOURCES="logs logevent sanitize logparse ini awsconfig sso-cache xml
	cw-metrics-wire proto-query uri
	timerange timeutil proto-json buf xmalloc err hash wipe"

srcdir=${srcdir:-.}
out=tests/fuzz
cc=${FUZZ_CC:-clang}
flags="-g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

build() {
	mkdir -p "$out/obj"
	# New flags (another configure) rebuild everything.
	echo "$cc $flags ${FUZZ_CPPFLAGS:-}" >"$out/obj/flags.new"
	if ! cmp -s "$out/obj/flags.new" "$out/obj/flags"; then
		rm -f "$out"/obj/*.o
		mv "$out/obj/flags.new" "$out/obj/flags"
	fi
	newest=$(ls -t "$srcdir"/src/*.h "$srcdir"/tests/fuzz/*.h \
	    "$srcdir/tests/fuzz/fuzz.sh" | head -1)
	objs=""
	for s in $SOURCES; do
		o="$out/obj/$s.o"
		if [ ! -f "$o" ] || [ "$srcdir/src/$s.c" -nt "$o" ] ||
		    [ "$newest" -nt "$o" ]; then
			echo "  FUZZCC   src/$s.c"
			# shellcheck disable=SC2086
			$cc $flags -fsanitize=fuzzer-no-link,address,undefined \
			    ${FUZZ_CPPFLAGS:-} -c "$srcdir/src/$s.c" -o "$o"
		fi
		objs="$objs $o"
	done
	rm -f "$out/libdlc-fuzz.a"
	# shellcheck disable=SC2086
	ar cr "$out/libdlc-fuzz.a" $objs
	for t in $TARGETS; do
		echo "  FUZZLD   $out/fuzz-$t"
		# shellcheck disable=SC2086
		$cc $flags -fsanitize=fuzzer,address,undefined \
		    ${FUZZ_CPPFLAGS:-} -I"$srcdir/tests/fuzz" \
		    "$srcdir/tests/fuzz/fuzz-$t.c" "$srcdir/tests/fuzz/fuzz-files.c" \
		    "$out/libdlc-fuzz.a" ${FUZZ_LIBS:-} -lm -o "$out/fuzz-$t"
	done
}

# Replays the kept corpus (a crash there fails at once), then fuzzes for
# $1 seconds from it; new inputs go to a scratch folder, not the kept one.
run() {
	secs=$1
	shift
	[ $# -gt 0 ] || set -- $TARGETS
	for t in "$@"; do
		corpus="$srcdir/tests/fuzz/corpus/$t"
		work="$out/found/$t"
		mkdir -p "$work" "$out/crashes"
		echo "== fuzz-$t: replaying $(ls "$corpus" | wc -l) kept inputs"
		"$out/fuzz-$t" -runs=0 "$corpus" >"$out/fuzz-$t.log" 2>&1 || {
			cat "$out/fuzz-$t.log"
			echo "fuzz-$t: an input of the kept corpus fails"
			return 1
		}
		[ "$secs" -gt 0 ] || continue
		echo "== fuzz-$t: fuzzing for $secs s"
		"$out/fuzz-$t" -max_total_time="$secs" -timeout=10 \
		    -rss_limit_mb=2048 -print_final_stats=1 \
		    -artifact_prefix="$out/crashes/fuzz-$t-" \
		    "$work" "$corpus" >"$out/fuzz-$t.log" 2>&1 || {
			tail -60 "$out/fuzz-$t.log"
			echo "fuzz-$t: found a failing input: $(ls "$out/crashes/fuzz-$t-"* 2>/dev/null)"
			return 1
		}
		grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' \
		    "$out/fuzz-$t.log" | tr '\n' ' '
		echo
	done
}

case ${1:-} in
build) build ;;
run) shift; run "$@" ;;
*) echo "usage: fuzz.sh build | run SECONDS [TARGET...]" >&2; exit 2 ;;
esac
