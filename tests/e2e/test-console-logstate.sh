#!/bin/sh
# The log view's states, driven in tmux against fakeaws (issue 14):
# 1. a function that has never run has no log group yet: the view waits
#    (it used to say FAILED for good), asks again on its own, shows the
#    events once the group exists, and r asks at once; a failure that
#    may pass (a 503 while the group is looked up) recovers on its own,
#    one that does not (a failing credential helper) on r once fixed;
# 2. against a slow endpoint it says "reading history" until the first
#    pass is done, never "no log events in the last hour yet" meanwhile;
# 3. an outage (the endpoint stopped, then started again on the same
#    port) is said at once and counted, its end noted, and its span
#    marked inline among the lines;
# 4. the header says when the last read was, not the newest event's age
#    under the name "lag", which read as a polling delay.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

now_ms() { "$PYTHON3" -c 'import time; print(int(time.time() * 1000))'; }
faults() {
	"$PYTHON3" -c 'import json,sys,urllib.request
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/faults", method="POST",
    data=json.dumps({"spec": sys.argv[2], "stall_seconds": 2}).encode())
urllib.request.urlopen(req).read()' "$ENDPOINT" "$1"
}
filter_calls() { grep -c '"operation": "FilterLogEvents"' "$WORK/requests.jsonl"; }
open_logs() {
	send :
	send -l "logs $1"
	send Enter
	wait_for "the log view of $1 opens" "logs (alpha) $1"
}

# 1. No log group yet. The generated functions have none: never invoked.
start_fakeaws --extra-functions 2 --log-requests "$WORK/requests.jsonl"
write_static_profiles
write_dlc_ini
console_start 160 40 -e alpha
wait_for "the functions view opens" "functions (alpha)"
open_logs datalake-alpha-gen-0001
wait_for "a missing log group is a waiting state, said plainly" \
	"no log group yet: the function has not run since it was created" 10
s=$(screen)
expect_not_contains "it is not FAILED" "FAILED" "$s"
expect_not_contains "nor a gap line" "gap: ResourceNotFound" "$s"
put_event /aws/lambda/datalake-alpha-gen-0001 "first words of gen-0001"
wait_for "once the group exists its events show with no key pressed" "first words of gen-0001" 25
wait_gone "and the waiting note goes" "no log group yet" 5
expect_contains "the view follows" "following" "$(screen)"

# r asks again at once: just after an automatic retry (the next one is
# 5 s or more away), the event written then shows within 3 s of r.
send Escape
wait_for "Esc goes back to the functions" "functions (alpha)"
open_logs datalake-alpha-gen-0002
wait_for "the second never-run function waits too" "no log group yet" 10
n=$(filter_calls)
end=$(( $(date +%s) + 30 ))
while [ "$(filter_calls)" -le "$n" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.05; done
n=$(filter_calls)
while [ "$(filter_calls)" -le "$n" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.05; done
put_event /aws/lambda/datalake-alpha-gen-0002 "gen-0002 woke up"
send r
wait_for "r reads again at once" "gen-0002 woke up" 3

# A failure that may pass (every call a 503 while the log group is looked
# up) is retried on its own, and the view recovers when AWS does.
console_stop
start_fakeaws --log-events-per-function 50
write_static_profiles
faults "503=1"
console_start 160 40 -e alpha
wait_for "the console opens while AWS fails" "functions (alpha)"
open_logs mambu-to-s3-raw
wait_for "a failure that may pass says it is retried" "retrying in " 40
faults ""
wait_for "and the view recovers on its own" "(billed" 40
expect_not_contains "it no longer says FAILED" "FAILED" "$(screen | sed -n 3p)"

# A failure that does not pass by itself (the credential helper fails)
# waits for r, and r starts the view again once it is fixed.
console_stop
cat >"$WORK/helper.sh" <<SH
#!/bin/sh
if [ -e "$WORK/sealed" ]; then echo "helper: the vault is sealed" >&2; exit 1; fi
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}\n' "$(seed_value key alpha)" "$(seed_value secret alpha)"
SH
chmod +x "$WORK/helper.sh"
cat >>"$AWS_CONFIG_FILE" <<CFG

[profile helped]
region = eu-west-1
endpoint_url = $ENDPOINT
credential_process = "$WORK/helper.sh"
CFG
write_dlc_ini helped
: >"$WORK/sealed"
console_start 160 40 -e alpha
wait_for "the console opens with a failing credential helper" "functions (alpha)"
send :
send -l "logs --group /aws/lambda/datalake-alpha-mambu-to-s3-raw"
send Enter
wait_for "a credentials failure says r retries it" "FAILED (e: why) — r: retry" 10
rm -f "$WORK/sealed"
send r
wait_for "once the helper works, r starts the view again" "(billed" 20
expect_not_contains "and it is no longer FAILED" "FAILED" "$(screen | sed -n 3p)"
write_dlc_ini

# 2. Reading history from a slow endpoint (every call 2 s late).
console_stop
start_fakeaws --log-events-per-function 2000 --log-history-hours 1
write_static_profiles
console_start 160 40 -e alpha
wait_for "the functions view opens again" "functions (alpha)"
faults "stall=1.0"
send :
send -l "logs mambu-to-s3-raw"
send Enter
said_reading=0 said_none=0
end=$(( $(date +%s) + 40 ))
while [ "$(date +%s)" -le "$end" ]; do
	s=$(screen)
	case "$s" in *"(billed"*) break ;; esac
	case "$s" in *"no log events in the last hour"*) said_none=1 ;; esac
	# The body, not only the header line, says it.
	[ "$(printf '%s\n' "$s" | grep -c 'reading history')" -ge 2 ] && said_reading=1
	sleep 0.03
done
expect_equal "while history is read the view says \"reading history\"" 1 "$said_reading"
expect_equal "and never \"no log events in the last hour yet\"" 0 "$said_none"
wait_for "then the history is shown" "(billed" 20
faults ""

# 3. An outage while following: the endpoint stopped, then back on its port.
console_stop
start_fakeaws --log-events-per-function 50
write_static_profiles
port=$(cat "$WORK/port")
console_start 160 40 -e alpha
wait_for "the functions view opens for the outage" "functions (alpha)"
open_logs mambu-to-s3-raw
wait_for "the view follows before the outage" "following" 20
# 4. What the header says of time: the last read, not "lag".
wait_for "the header says how long ago the last read was" " s ago" 10
expect_not_contains "it no longer says \"lag\"" " lag " "$(screen | sed -n 3p)"
stop_fakeaws
t0=$(date +%s)
t0n=$(date +%s%N)
# At once: at the next poll (every 1 s while events come, 5 s when idle).
wait_for "the outage is said at once" "DISCONNECTED" 12
echo "# said $(( ($(date +%s%N) - t0n) / 1000000 )) ms after the endpoint stopped"
expect_contains "its cause is on the status line" "FilterLogEvents on /aws/lambda/datalake-alpha-mambu-to-s3-raw" \
	"$(screen | tail -1)"
expect_contains "with what is done about it" ", retrying" "$(screen)"
count() { screen | sed -n 's/.*DISCONNECTED \([0-9]*\) s.*/\1/p' | head -1; }
end=$(( $(date +%s) + 8 ))
s1=$(count)
while [ -z "$s1" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.1; s1=$(count); done
s2=$s1
while [ "$s2" = "$s1" ] && [ "$(date +%s)" -le "$end" ]; do
	sleep 0.2
	s2=$(count)
done
if [ -n "$s1" ] && [ -n "$s2" ] && [ "$s2" -gt "$s1" ]; then
	pass "the outage is counted in seconds ($s1 s, then $s2 s)"
else
	fail "the outage is counted in seconds" "read: '$s1' then '$s2'" "$(screen)"
fi
expect_not_contains "the last read's age is not shown while disconnected" " s ago" "$(screen | sed -n 3p)"
# Down for about 15 s in all, then up again on the same port.
while [ $(( $(date +%s) - t0 )) -lt 15 ]; do sleep 0.2; done
"$PYTHON3" "$SRCDIR/tests/fakeaws/fakeaws.py" --port "$port" --log-events-per-function 50 \
	>>"$WORK/fakeaws.log" 2>&1 &
FAKEAWS_PID=$!
wait_for "its end is noted, with its length" "reconnected after " 30
wait_gone "the header no longer says disconnected" "DISCONNECTED" 10
wait_for "the outage is marked inline among the lines" "── disconnected " 10
expect_contains "the mark says the endpoint was unreachable" "endpoint unreachable" "$(screen)"
secs=$(screen | sed -n 's/.*reconnected after \([0-9]*\) s.*/\1/p' | head -1)
if [ -n "$secs" ] && [ "$secs" -ge 8 ] && [ "$secs" -le 40 ]; then
	pass "the outage lasted about 15 s: $secs s"
else
	fail "the outage lasted about 15 s" "got: '$secs'" "$(screen)"
fi
wait_for "the header says the last read again" " s ago" 10

finish
