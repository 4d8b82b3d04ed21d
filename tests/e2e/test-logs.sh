#!/bin/sh
# dlc logs against fakeaws: history across pages and streams in exact
# order, several functions interleaved, follow with the generator writing
# (late events, 20% faults, empty pages): every event shown exactly once;
# filter patterns, --grep, --request-id, hostile content shown inert, and
# a clear error for an unknown function.
. "$(dirname "$0")/lib.sh"

check() { "$PYTHON3" "$SRCDIR/tests/e2e/logcheck.py" "$ENDPOINT" "$@"; }
now_ms() { "$PYTHON3" -c 'import time; print(int(time.time() * 1000))'; }
G1=/aws/lambda/datalake-alpha-mambu-to-s3-raw
G2=/aws/lambda/datalake-alpha-salesforce-cases-to-s3-raw

# 1. History: 12,000 events a group, so FilterLogEvents answers in pages,
#    some of them empty with a nextToken.
start_fakeaws --log-events-per-function 12000 --empty-pages 0.3 --hostile-logs
write_static_profiles
write_dlc_ini
t=$(now_ms)
run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format json
expect_status "history exits 0" 0
cp "$WORK/out" "$WORK/history.json"
expect_equal "history: every event once, in order" "ok" "$(check "$WORK/history.json" $((t - 3 * 3600 * 1000)) "$t" "$G1" 2>/dev/null)"

# Credentials that reach another account than dlc.ini's account = are refused.
set_env_account alpha "$(seed_value account sandbox)"
run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format json
expect_status "logs refuses an environment whose credentials reach another account" 1
expect_contains "logs names the profile and both accounts" \
	"profile 'alpha' reaches account $(seed_value account alpha) but dlc.ini says $(seed_value account sandbox) for env alpha" "$ERR"
expect_equal "logs prints no event of the other account" "" "$OUT"
set_env_account alpha "$(seed_value account alpha)"
run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format json
expect_status "logs runs when account = is right" 0
expect_contains "the right account's events are printed" "\"logGroupName\":\"$G1\"" "$(squash "$OUT" | head -c 4000)"
set_env_account alpha ""

run "$DLC" logs -e alpha mambu-to-s3-raw salesforce-cases-to-s3-raw --since 3h --format json
expect_status "two functions exit 0" 0
expect_equal "two functions interleaved by time, each event once" "ok" \
	"$(check "$WORK/out" $((t - 3 * 3600 * 1000)) "$t" "$G1" "$G2" 2>/dev/null)"

run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format json --filter-pattern ERROR
expect_equal "a filter pattern is applied by the service" "ok" \
	"$(check "$WORK/out" $((t - 3 * 3600 * 1000)) "$t" "$G1" --contains ERROR 2>/dev/null)"

run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format message --color always --grep 'ERROR'
expect_contains "--color always: ERROR lines are red" "$(printf '\033[31m')" "$OUT"
run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format message --color always --grep 'WARN'
expect_contains "--color always: WARN lines are yellow" "$(printf '\033[33m')" "$OUT"

run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format message --grep 'Task timed OUT|Traceback'
expect_status "--grep exits 0" 0
expect_not_contains "--grep is case-sensitive with an upper-case letter" "Task timed out" "$OUT"
run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format message --grep 'task timed out'
expect_contains "--grep is case-insensitive in lower case" "Task timed out" "$OUT"

rid=$(sed -n 's/.*"message":"START RequestId: \([0-9a-f-]*\) .*/\1/p' "$WORK/history.json" | head -1)
run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format message --request-id "$rid"
expect_contains "--request-id keeps that invocation's START" "START RequestId: $rid" "$OUT"
expect_contains "--request-id keeps its REPORT" "REPORT RequestId: $rid" "$OUT"
expect_equal "--request-id keeps only that invocation" "" \
	"$(printf '%s\n' "$OUT" | grep -E '^(START|END|REPORT) RequestId' | grep -v "$rid")"

# Hostile content: escapes shown inert, the 256 KiB line whole, no raw ESC.
run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format short
expect_contains "escape sequences are shown inert" '\x1b[2J' "$OUT"
if LC_ALL=C grep -q "$(printf '\033')" "$WORK/out"; then
	fail "no raw ESC reaches the terminal"
else
	pass "no raw ESC reaches the terminal"
fi
expect_equal "the 256 KiB line arrives whole" "1" "$(awk 'length($0) > 262000' "$WORK/out" | wc -l | tr -d ' ')"

run "$DLC" logs -e alpha no-such-function
expect_status "an unknown function fails with 1" 1
expect_contains "the unknown function's AWS error is shown" "ResourceNotFoundException" "$ERR"

# 2. Follow for a minute: the generator writes while 20% of requests fail (throttling,
#    500, 503, resets, stalls, truncated bodies), some events arrive late
#    with older timestamps, and some pages come back empty.
start_fakeaws --log-events-per-function 50 --generate-logs 40 --late-events --faults 0.2 \
	--fault-seed 7 --stall-seconds 1 --empty-pages 0.2
write_static_profiles
t0=$(now_ms)
"$DLC" logs -e alpha mambu-to-s3-raw salesforce-cases-to-s3-raw dynamo-customers-to-s3-raw \
	-f --since 30s --format json >"$WORK/follow.json" 2>"$WORK/follow.err" &
pid=$!
sleep 60
t1=$(now_ms)
# Give dlc one poll past the overlap window to pick up the last late events.
sleep 8
kill -INT "$pid"
wait "$pid"
expect_equal "follow stops cleanly on SIGINT" "0" "$?"
result=$(check "$WORK/follow.json" $((t0 - 29000)) "$t1" "$G1" "$G2" /aws/lambda/datalake-alpha-dynamo-customers-to-s3-raw \
	--ingested-by "$t1" --unordered-ok 2>"$WORK/check.err")
expect_equal "follow: every written event shown exactly once, late ones included" "ok" "$result"
cat "$WORK/check.err"

finish
