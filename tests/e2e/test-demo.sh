#!/bin/sh
# scripts/demo.sh, the README's "try it" line, run twice in a row as a
# script runs it (stdin not a terminal, so no console): it must come up
# every time, each run on its own endpoint. It is given the built dlc, so
# it neither installs packages nor builds.
. "$(dirname "$0")/lib.sh"

demo_run() {
	DLC_DEMO_BIN="$DLC" DLC_DEMO_DIR="$WORK/demo" sh "$SRCDIR/scripts/demo.sh" \
		</dev/null >"$WORK/out" 2>"$WORK/err"
	STATUS=$?
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
}

for run in 1 2 3; do
	demo_run
	expect_status "run $run: the demo ends well" 0
	port=$(cat "$WORK/demo/port" 2>/dev/null)
	expect_contains "run $run: it says its own endpoint" "local AWS endpoint at http://127.0.0.1:$port" "$OUT"
	expect_contains "run $run: alpha's credentials work" "111111111111  ok" "$OUT"
	expect_contains "run $run: sandbox's credentials work" "222222222222  ok" "$OUT"
	expect_contains "run $run: alpha's functions are listed" "mambu-to-s3-raw [special]" "$OUT"
	expect_not_contains "run $run: no environment in error" "error" "$OUT$ERR"
done

finish
