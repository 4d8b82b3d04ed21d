#!/bin/sh
# The data lake functions' own Python tests (functions/NAME/tests/), on
# Debian's /usr/bin/python3 with python3-pytest and python3-pandas (the
# python3 first on PATH may be another interpreter without them). Each
# folder runs in its own pytest process: every function has its own
# lambda_function module, and one process would import only the first.
# Missing pytest or pandas FAILS (scripts/install-deps.sh installs them):
# a check that skips itself would pass without testing anything.
# Every function (kind = function) and the flattenjson layer must have
# tests; nothing may be written into the source tree (no __pycache__,
# no .pytest_cache).
. "$(dirname "$0")/lib.sh"

PY=${DLC_FUNCTIONS_PYTHON:-/usr/bin/python3}
FUNCS="$SRCDIR/functions"
export PYTHONDONTWRITEBYTECODE=1

if "$PY" -c 'import pytest, pandas' >"$WORK/imp" 2>&1; then
	pass "$PY has pytest and pandas"
else
	fail "$PY has pytest and pandas (apt-get install python3-pytest python3-pandas)" "$(cat "$WORK/imp")"
	finish
fi

snapshot() {
	(cd "$FUNCS" && find . -printf '%p %s %T@\n' | sort)
}
before=$(snapshot)

for ini in "$FUNCS"/*/function.ini; do
	dir=$(dirname "$ini")
	name=$(basename "$dir")
	case "$name" in .* | _*) continue ;; esac
	if [ ! -d "$dir/tests" ]; then
		if grep -Eq '^[[:space:]]*kind[[:space:]]*=[[:space:]]*layer' "$ini" && [ "$name" != flattenjson ]; then
			continue
		fi
		fail "$name has tests under functions/$name/tests"
		continue
	fi
	if (cd "$dir" && "$PY" -m pytest -q -p no:cacheprovider --rootdir "$dir" tests) >"$WORK/$name.log" 2>&1; then
		pass "$name: $(tail -n 1 "$WORK/$name.log")"
	else
		fail "$name: its tests pass" "$(tail -n 40 "$WORK/$name.log")"
	fi
done

expect_equal "the tests wrote nothing into functions/" "$before" "$(snapshot)"
finish
