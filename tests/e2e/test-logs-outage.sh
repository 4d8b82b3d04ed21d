#!/bin/sh
# dlc logs when reads fail: without -f a FilterLogEvents that keeps
# answering 503 ends the command (non-zero, the error on stderr) once the
# retry policy's attempts are spent, where it used to run forever silent;
# with -f a 30 s outage is said on stderr when it starts and when it
# ends, and every event is still shown exactly once.
. "$(dirname "$0")/lib.sh"

check() { "$PYTHON3" "$SRCDIR/tests/e2e/logcheck.py" "$ENDPOINT" "$@"; }
now_ms() { "$PYTHON3" -c 'import time; print(int(time.time() * 1000))'; }
faults() {
	"$PYTHON3" -c 'import json,sys,urllib.request
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/faults", method="POST",
    data=json.dumps({"spec": sys.argv[2]}).encode())
urllib.request.urlopen(req).read()' "$ENDPOINT" "$1"
}
G1=/aws/lambda/datalake-alpha-mambu-to-s3-raw
G2=/aws/lambda/datalake-alpha-salesforce-cases-to-s3-raw

# 1. Every request answered 503: it ends, within a minute, with the error.
start_fakeaws --faults 503=1.0
write_static_profiles
write_dlc_ini
run_timed "$DLC" logs -e alpha --group "$G1"
expect_status "FilterLogEvents always 503: exits 1" 1
expect_contains "the 503 is on stderr" "ServiceUnavailable" "$ERR"
expect_contains "it names the call" "FilterLogEvents" "$ERR"
expect_ms_between "it gives up within a minute" 0 60000
run_timed "$DLC" logs -e alpha mambu-to-s3-raw
expect_status "by function name: exits 1" 1
expect_ms_between "by function name: within a minute" 0 60000

# 2. Following through a 30 s outage (every read a 503), generator writing.
start_fakeaws --log-events-per-function 50 --generate-logs 40 --late-events --fault-seed 3
write_static_profiles
write_dlc_ini
t0=$(now_ms)
"$DLC" logs -e alpha mambu-to-s3-raw salesforce-cases-to-s3-raw \
	-f --since 30s --format json >"$WORK/follow.json" 2>"$WORK/follow.err" &
pid=$!
sleep 8
faults "503=1"
sleep 30
faults ""
sleep 12
t1=$(now_ms)
sleep 8
kill -INT "$pid"
wait "$pid"
expect_equal "follow stops cleanly on SIGINT after the outage" "0" "$?"
errs=$(cat "$WORK/follow.err")
expect_contains "the outage is said when it starts" "dlc: reads failing since " "$errs"
expect_contains "with its cause" "ServiceUnavailable" "$errs"
expect_contains "and that it retries" "; retrying" "$errs"
expect_contains "and when it ends, with its length" "dlc: reads back after " "$errs"
expect_equal "said once each way" "1 1" \
	"$(grep -c 'reads failing since' "$WORK/follow.err") $(grep -c 'reads back after' "$WORK/follow.err")"
secs=$(sed -n 's/.*reads back after \([0-9]*\) s.*/\1/p' "$WORK/follow.err" | head -1)
if [ -n "$secs" ] && [ "$secs" -ge 25 ] && [ "$secs" -le 45 ]; then
	pass "the outage lasted about 30 s: $secs s"
else
	fail "the outage lasted about 30 s" "got: $secs"
fi
result=$(check "$WORK/follow.json" $((t0 - 29000)) "$t1" "$G1" "$G2" \
	--ingested-by "$t1" --unordered-ok 2>"$WORK/check.err")
expect_equal "through the outage every written event is shown exactly once" "ok" "$result"
cat "$WORK/check.err"

finish
