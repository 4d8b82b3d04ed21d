#!/bin/sh
# The console's i against fakeaws's Invoke, in tmux: the prompt names the
# function and environment and offers the saved events of events/ (the
# first filled in); the one picked reaches the function (fakeaws echoes
# it), and the result view shows the status, the response as indented
# JSON and the decoded log tail; a function error shows its type,
# message and stack; a name that is not an event is refused listing
# those there, nothing sent; without events {} goes at once; hostile
# bytes in the log tail are drawn inert.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"

cp -r "$SRCDIR/functions" "$WORK/functions"
F="$WORK/functions"
mkdir -p "$F/mambu-to-s3-raw/events"
printf '{"mode": "daily", "day": "2026-11-24"}\n' >"$F/mambu-to-s3-raw/events/daily.json"
printf '{"mode": "weekly"}\n' >"$F/mambu-to-s3-raw/events/weekly.json"

start_fakeaws --log-requests "$WORK/requests.log"
write_static_profiles
write_dlc_ini
sed -i "s|^functions = .*|functions = $F|" "$WORK/dlc.ini"

knob() {
	"$PYTHON3" - "$ENDPOINT" "$1" "$2" <<'PY'
import json, sys, urllib.request
doc = dict(json.loads(sys.argv[3]), function=sys.argv[2], account="alpha")
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/lambda/function",
                             data=json.dumps(doc).encode(), method="POST")
urllib.request.urlopen(req).read()
PY
}
invocations() {
	grep -c "/invocations" "$WORK/requests.log" 2>/dev/null || true
}
select_fn() {
	send /
	send -l "$1"
	send Enter
	wait_for "the filter shows $1" "filter: $1"
}

console_start 160 45 -e alpha
wait_for "alpha's functions open" "functions (alpha) 8/8"

# --- a payload from events/, echoed back; the log tail ---
knob datalake-alpha-mambu-to-s3-raw '{"invoke": null, "log": null}'
select_fn mambu-to-s3-raw
send i
wait_for "i names function and environment and offers the events" \
	"invoke datalake-alpha-mambu-to-s3-raw in alpha with (daily weekly | {}): daily"
send C-u
send -l weekly
send Enter
wait_for "the result view names the payload and the policy" \
	"invoke datalake-alpha-mambu-to-s3-raw in alpha (deploy = allow) with events/weekly.json"
wait_for "the status" "status 200, version \$LATEST"
wait_for "the response as indented JSON, the event echoed" '"mode": "weekly"'
wait_for "the decoded log tail" "END RequestId:"
expect_contains "the log tail's START line" "START RequestId:" "$(screen)"
expect_contains "the title says done" "invoke mambu-to-s3-raw (alpha): done" "$(screen)"
expect_equal "one Invoke sent" "1" "$(invocations)"
send Escape
wait_for "Esc goes back" "functions (alpha) 1/8"
expect_contains "the queue strip lists the invoke" "invoke mambu-to-s3-raw in alpha: status 200" "$(screen)"

# --- a name that is not an event: refused, listing those there ---
send i
wait_for "i asks again" "with (daily weekly | {}):"
send C-u
send -l monthly
send Enter
wait_for "a missing event is refused, naming those there" "no event 'monthly'"
expect_equal "nothing sent for it" "1" "$(invocations)"

# --- a function error, with hostile bytes in its log ---
knob datalake-alpha-mambu-to-s3-raw '{"invoke": {"error": {"errorMessage": "division by zero", "errorType": "ZeroDivisionError", "stackTrace": ["  File \"/var/task/lambda_function.py\", line 3, in lambda_handler"]}, "log": ["about to fail \u001b]0;pwned\u0007 \u001b[31mred"]}}'
send i
wait_for "i asks once more" "with (daily weekly | {}):"
send Enter
wait_for "the function error" "function error: Unhandled"
wait_for "its type and message" "ZeroDivisionError: division by zero"
wait_for "its stack" 'File "/var/task/lambda_function.py", line 3, in lambda_handler'
wait_for "the title says failed" "invoke mambu-to-s3-raw (alpha): failed"
expect_contains "hostile bytes in the log tail are drawn inert" "about to fail" "$(screen)"
expect_not_contains "no escape reached the terminal (title unchanged)" "pwned" \
	"$(tmx display-message -p -t dlc '#{pane_title}')"
send Escape

# --- no events: {} at once ---
send Escape
wait_for "the filter is cleared" "functions (alpha) 8/8"
select_fn salesforce
send i
wait_for "without events {} is sent at once" \
	"invoke datalake-alpha-salesforce-cases-to-s3-raw in alpha (deploy = allow) with {} (no events/*.json)"
wait_for "its echo" '"body": {'
console_stop
finish
