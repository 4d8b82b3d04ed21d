#!/bin/sh
# The console's alarms against fakeaws, in tmux: a (and :alarms) lists
# every seeded alarm of alpha, read over several DescribeAlarms pages
# (fakeaws's page-size knob), ALARM first, then INSUFFICIENT_DATA, then
# OK; 1/2/3/0 show one state or all, / filters by text; the selection
# stays on its alarm when a refresh moves it to another section
# (SetAlarmState between refreshes); the header counts the alarms in
# ALARM on every view, and a new ALARM is announced once in the status
# line (with the bell only when dlc.ini says alarm-bell = yes); Enter
# shows the reason, the history and the metric's chart with its
# threshold, in UTF-8 and in LANG=C, with and without NO_COLOR; a hostile
# StateReason reaches the screen inert.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

start_fakeaws --log-requests "$WORK/requests.jsonl"
write_static_profiles
write_dlc_ini

count_op() {
	grep -c "\"operation\": \"$1\"" "$WORK/requests.jsonl" 2>/dev/null || true
}
# wait_op NAME OP N: passes once fakeaws has answered OP at least N times.
wait_op() {
	end=$(( $(date +%s) + 15 ))
	while [ "$(date +%s)" -le "$end" ]; do
		[ "$(count_op "$2")" -ge "$3" ] && { pass "$1"; return 0; }
		sleep 0.05
	done
	fail "$1" "fakeaws answered $2 $(count_op "$2") times, not $3"
	return 1
}
# fakeaws's admin knob: DescribeAlarms answers at most N alarms a page.
alarm_page_cap() {
	"$PYTHON3" - "$ENDPOINT" "$1" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/cloudwatch/alarms", method="POST",
    data=json.dumps({"account": "alpha", "page_size_cap": int(sys.argv[2])}).encode())
urllib.request.urlopen(req).read()
PY
}
# spike FUNCTION VALUE: the function's AWS/Lambda Errors is VALUE half an hour ago.
spike() {
	"$PYTHON3" - "$ENDPOINT" "$1" "$2" <<'PY'
import json, sys, time, urllib.request
t = int(time.time()) // 300 * 300 - 1800
doc = {"account": "alpha", "namespace": "AWS/Lambda", "metric": "Errors",
       "dimensions": {"FunctionName": sys.argv[2]}, "points": [{"timestamp": t, "value": float(sys.argv[3])}]}
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/cloudwatch/metrics", method="POST",
    data=json.dumps(doc).encode())
urllib.request.urlopen(req).read()
PY
}
faults() {
	"$PYTHON3" -c 'import json,sys,urllib.request
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/faults", method="POST",
    data=json.dumps({"spec": sys.argv[2]}).encode())
urllib.request.urlopen(req).read()' "$ENDPOINT" "$1"
}
set_state() {
	aws_as alpha cloudwatch set-alarm-state --alarm-name "$1" --state-value "$2" \
		--state-reason "$3" >/dev/null
}
# ascii_only NAME: no byte above 0x7f on the screen.
ascii_only() {
	if screen | LC_ALL=C grep -q "$(printf '[\200-\377]')"; then
		fail "$1" "$(screen)"
	else
		pass "$1"
	fi
}
# The screen's line number (1-based) of the first line holding TEXT, or 0.
line_of() {
	screen | grep -n -F -- "$1" | head -1 | cut -d: -f1 | grep . || echo 0
}
# The alarms of alpha as the aws CLI counts them: every page, both types.
aws_as alpha cloudwatch describe-alarms --alarm-types CompositeAlarm MetricAlarm \
	--output json >"$WORK/alarms.json"
TOTAL=$("$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1]));
print(len(d.get("MetricAlarms", [])) + len(d.get("CompositeAlarms", [])))' "$WORK/alarms.json")
IN_ALARM=$("$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1]));
print(sum(a["StateValue"] == "ALARM" for a in d.get("MetricAlarms", []) + d.get("CompositeAlarms", [])))' "$WORK/alarms.json")
if [ "$IN_ALARM" -ge 2 ]; then pass "the seed has alarms in ALARM"; else
	fail "the seed has alarms in ALARM" "$IN_ALARM"; fi
alarm_page_cap 5
PAGES=$(( (TOTAL + 4) / 5 ))
spike datalake-alpha-mambu-to-s3-raw 7
OKA=datalake-alpha-mambu-to-s3-raw-errors

# --- the view: every alarm, over several pages, ALARM first ---
console_start 160 45 -e alpha
wait_for "alpha's functions open" "functions (alpha)"
wait_for "the header counts the alarms in ALARM" "$IN_ALARM ALARM"
before=$(count_op DescribeAlarms)
send a
wait_for "a opens the alarms view with every alarm" "alarms (alpha) $TOTAL/$TOTAL: $IN_ALARM ALARM"
# Opening the view reads the list again: $TOTAL alarms, 5 a page.
wait_op "the list was read over several DescribeAlarms pages" DescribeAlarms \
	$((before + PAGES))
wait_gone "the view's refresh has settled" "(showing the list of"
first_alarm=$(line_of "✖ ALARM ")
first_insuff=$(line_of "? INSUFF_DATA ")
first_ok=$(line_of "✔ OK ")
if [ "$first_alarm" -gt 0 ] && [ "$first_alarm" -lt "$first_insuff" ] && [ "$first_insuff" -lt "$first_ok" ]; then
	pass "ALARM first, then INSUFFICIENT_DATA, then OK"
else
	fail "ALARM first, then INSUFFICIENT_DATA, then OK" "lines $first_alarm $first_insuff $first_ok" "$(screen)"
fi
expect_contains "each state has its glyph" "✖ ALARM" "$(screen)"
expect_contains "the threshold in words" "Errors > 0 for 1 of 1 x 5 min" "$(screen)"
expect_contains "the time in state" " FOR " "$(screen)"
expect_contains "actions disabled are said" "off" "$(screen)"
send G
wait_for "G goes to the last alarm (past the first screen)" "$(
	"$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1]));
a=[x for x in d.get("MetricAlarms", []) + d.get("CompositeAlarms", []) if x["StateValue"] == "OK"]
print(sorted(x["AlarmName"] for x in a)[-1])' "$WORK/alarms.json")"

send ?
wait_for "? in the alarms view shows its keys first" "Alarms view (a)"
expect_contains "? lists the state keys" "Show only the alarms in ALARM" "$(screen)"
send Escape
wait_for "Esc goes back to the alarms" "alarms (alpha) $TOTAL/$TOTAL"

# --- filter by state and by text ---
send 1
wait_for "1 shows only ALARM" "alarms (alpha) $IN_ALARM/$TOTAL"
expect_contains "1: the title says so" "only: ALARM" "$(screen)"
expect_not_contains "1: no OK row" "✔ OK" "$(screen)"
send 1
wait_for "1 again shows every state" "alarms (alpha) $TOTAL/$TOTAL"
send 3
wait_for "3 shows only OK" "only: OK"
expect_not_contains "3: no ALARM row" "✖ ALARM  " "$(screen)"
send 0
wait_for "0 shows every state" "alarms (alpha) $TOTAL/$TOTAL"
send /
send -l "lambda-errors"
send Enter
wait_for "/ filters by text" "alarms (alpha) 1/$TOTAL"
send /
send C-u
send -l "INSUFFICIENT"
send Enter
wait_for "/ finds a state by its whole word" "filter: INSUFFICIENT"
expect_contains "the INSUFFICIENT_DATA alarms" "? INSUFF_DATA" "$(screen)"
expect_not_contains "no other state" "✔ OK" "$(screen)"
send /
send C-u
send -l "lambda-errors"
send Enter
wait_for "/ filters by text" "alarms (alpha) 1/$TOTAL"
expect_contains "an alarm named only by its dimension is matched to its function" \
	"lambda-errors-7f3a" "$(screen)"
send Escape
wait_for "Esc clears the filter" "alarms (alpha) $TOTAL/$TOTAL"

# --- the selection follows its alarm across a refresh that moves it ---
send /
send -l "$OKA"
send Enter
wait_for "the OK alarm is selected" "alarms (alpha) 1/$TOTAL"
send Escape
wait_for "the filter is cleared, the selection kept" "alarms (alpha) $TOTAL/$TOTAL"
set_state "$OKA" ALARM "Threshold Crossed: 1 datapoint [7.0] was greater than or equal to the threshold (1.0)."
before=$(count_op DescribeAlarms)
send r
wait_op "r reads the alarms again" DescribeAlarms $((before + PAGES))
wait_for "the header counts the new ALARM" "$((IN_ALARM + 1)) ALARM"
wait_for "the new ALARM is announced" "1 alarm went into ALARM: $OKA"
ok_line=$(line_of "$OKA")
if [ "$ok_line" -gt 0 ] && [ "$ok_line" -lt "$(line_of "✔ OK ")" ]; then
	pass "the alarm moved to the ALARM section"
else
	fail "the alarm moved to the ALARM section" "$(screen)"
fi
send j
wait_gone "a key clears the announcement" "went into ALARM"
send k
send Enter
wait_for "the selection stayed on its alarm: Enter opens it" "alarm $OKA (alpha)"
send Escape
before=$(count_op DescribeAlarms)
send r
wait_op "a second refresh" DescribeAlarms $((before + PAGES))
wait_gone "the second refresh has settled" "(showing the list of"
expect_not_contains "the transition is announced once, not at every refresh" "went into ALARM" "$(screen)"

# --- Enter: the reason, the history, the chart with its threshold ---
send Enter
wait_for "Enter shows the reason" "Why (StateReason)"
expect_contains "the alarm's view says since when" "✖ ALARM for " "$(screen)"
wait_for "the reason's text" "was greater than or equal to the threshold (1.0)"
wait_for "the history arrives" "OK -> ALARM"
wait_for "the metric's chart arrives" "Metric: Errors (Sum, per 5 min)"
expect_contains "the threshold is drawn in the chart" "─ threshold 0 (GreaterThanThreshold)" "$(screen)"
if screen | grep -q '█'; then
	pass "the chart draws the spike above the threshold as a full block"
else
	fail "the chart draws the spike above the threshold as a full block" "$(screen)"
fi
send Escape

# --- a refresh that fails: the list stays, said to be stale, with the error ---
wait_for "back in the list" "alarms (alpha) $TOTAL/$TOTAL"
faults "500=1"
send r
wait_for "a failed refresh says the list is stale, and why" "STALE: showing the list of" 40
expect_contains "the error is named" "the refresh failed: " "$(screen)"
expect_contains "the header says the count is stale" "ALARM (stale)" "$(screen)"
expect_contains "the list is still there" "$OKA" "$(screen)"
faults ""
send r
wait_gone "a good refresh ends the stale mark" "STALE:" 40
console_stop

# --- a hostile StateReason is drawn inert ---
# ESC cannot travel in XML 1.0 (fakeaws, like AWS, cannot answer it as
# such); a C1 CSI (U+009B) can, and must show as text too.
HOSTILE=$(printf 'ok\033]0;pwned\007\033[31mRED\302\23332mC1\033[2J%0300d end' 0)
set_state "$OKA" ALARM "$HOSTILE"
console_start 160 45 -e alpha
wait_for "the console opens again" "functions (alpha)"
send :
send -l "alarms ALARM"
send Enter
wait_for ":alarms ALARM shows only ALARM" "only: ALARM"
send /
send -l "$OKA"
send Enter
wait_for "the alarm is found" "1/$TOTAL"
send Enter
wait_for "the hostile reason shows its escapes inert" ']0;pwned'
expect_contains "a colour sequence shows as text" "[31mRED" "$(screen)"
expect_contains "a C1 CSI shows as text" '\u009b32mC1' "$(screen)"
wait_for "the very long reason is wrapped, its end shown" "0000 end"
if [ "$(tmx display-message -p -t dlc '#{pane_title}')" = pwned ]; then
	fail "the reason did not retitle the window"
else
	pass "the reason did not retitle the window"
fi
console_stop

# --- without UTF-8 (LANG=C) and with NO_COLOR ---
CONSOLE_ENV="LC_ALL=C LANG=C" console_start 160 45 -e alpha
wait_for "LANG=C: the console opens" "functions (alpha)"
send a
wait_for "LANG=C: the alarms view" "alarms (alpha) $TOTAL/$TOTAL"
expect_contains "LANG=C: the state's ASCII glyph" "!! ALARM" "$(screen)"
ascii_only "LANG=C: the list is ASCII only"
send 1
send Enter
wait_for "LANG=C: the chart arrives" "Metric: "
wait_for "LANG=C: the chart's threshold is ASCII" "- threshold"
expect_contains "LANG=C: the chart's bars are ASCII" "#" "$(screen)"
ascii_only "LANG=C: the detail is ASCII only"
console_stop

CONSOLE_ENV="NO_COLOR=1" console_start 160 45 -e alpha
wait_for "NO_COLOR: the console opens" "functions (alpha)"
send a
wait_for "NO_COLOR: the alarms view" "alarms (alpha) $TOTAL/$TOTAL"
expect_contains "NO_COLOR: the state reads by its glyph and word" "✖ ALARM" "$(screen)"
# Any foreground or background colour but the terminal's own (39, 49).
if screen_colors | grep -Eq "$(printf '\033')\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]*)*m"; then
	fail "NO_COLOR: no colour" "$(screen_colors | head -5)"
else
	pass "NO_COLOR: no colour"
fi
console_stop

# --- the bell: only with alarm-bell = yes ---
bell_after_transition() {
	console_start 160 45 -e alpha
	wait_for "$1: the console opens" "functions (alpha)"
	# Another window in front, so tmux flags a bell in dlc's.
	tmx new-window -d -t dlc
	tmx select-window -t dlc:1
	set_state "$2" ALARM "bell test"
	before=$(count_op DescribeAlarms)
	tmx send-keys -t dlc:0 r
	wait_op "$1: the refresh" DescribeAlarms $((before + PAGES))
	end=$(( $(date +%s) + 3 ))
	BELL=0
	while [ "$(date +%s)" -le "$end" ]; do
		BELL=$(tmx display-message -p -t dlc:0 '#{window_bell_flag}')
		[ "$BELL" = 1 ] && break
		sleep 0.05
	done
	console_stop
}
set_state datalake-alpha-mambu-to-s3-raw-throttles OK "reset"
set_state datalake-alpha-mambu-to-s3-raw-duration OK "reset"
bell_after_transition "no alarm-bell" datalake-alpha-mambu-to-s3-raw-throttles
expect_equal "without alarm-bell = yes no bell rings" 0 "$BELL"
sed -i 's/^\[dlc\]$/[dlc]\nalarm-bell = yes/' "$DLC_CONFIG"
bell_after_transition "alarm-bell = yes" datalake-alpha-mambu-to-s3-raw-duration
expect_equal "with alarm-bell = yes the bell rings" 1 "$BELL"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
