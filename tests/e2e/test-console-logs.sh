#!/bin/sh
# The console's log view, driven in tmux against fakeaws: opened with l and
# :logs, history then following, two functions interleaved with tags,
# START/END folded into their REPORT, hostile content shown inert (no
# clear, no title, no colour change), search with a match count, n/N and
# only-matches, JSON pretty-printed, one request id, pause with a "N new"
# count, time and wrap toggles, saving; then a minute-scale follow under
# 20% faults whose saved NDJSON holds every written event exactly once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

check() { "$PYTHON3" "$SRCDIR/tests/e2e/logcheck.py" "$ENDPOINT" "$@"; }
now_ms() { "$PYTHON3" -c 'import time; print(int(time.time() * 1000))'; }
G1=/aws/lambda/datalake-alpha-mambu-to-s3-raw
G2=/aws/lambda/datalake-alpha-mambu-datalake-reconciliation

# 1. Reading: history of the seed's hour with hostile lines, a slow generator.
start_fakeaws --log-events-per-function 300 --hostile-logs --generate-logs 40 \
	--log-requests "$WORK/requests.jsonl"
write_static_profiles
write_dlc_ini
console_start 160 45 -e alpha
wait_for "the functions view opens" "functions (alpha)"
send /
send -l "mambu-to-s3"
send Enter g l
wait_for "l opens the selected function's logs" "logs (alpha) mambu-to-s3-raw"
wait_for "history is read, then the view follows" "following" 20
expect_equal "a listed function's log group comes with the list: no GetFunctionConfiguration" 0 \
	"$(grep -c '"operation": "GetFunctionConfiguration"' "$WORK/requests.jsonl")"
wait_for "a REPORT is one line per invocation" "(billed"
s=$(screen)
expect_not_contains "START lines are folded into it" "START RequestId" "$s"
expect_contains "Lambda's prefix is shortened to level and id" "INFO " "$s"
expect_contains "the status line counts events" " events" "$s"
expect_contains "and says what the view costs AWS" " calls " "$s"

# Hostile lines: jump to them with a search backwards from the newest.
send /
wait_for "/ opens the search prompt" "search /"
send -l "and a title"
send Enter
wait_for "the search counts its matches" "/and a title/ 1 match"
send N
wait_for "N goes to the match" 'and a title \x1b]0;pwned\x07'
s=$(screen)
expect_contains "a clear-screen sequence is shown inert" '\x1b[2J\x1b[H' "$s"
expect_contains "colour sequences are shown inert" '\x1b[31mRED\x1b[0m' "$s"
expect_contains "the header is still there: nothing cleared the screen" "dlc 0." "$s"
expect_contains "invalid UTF-8 arrives replaced" "caf�" "$s"
expect_contains "a C1 CSI is shown inert" '\u009b31m' "$s"
expect_contains "a bidi override is shown inert" '\u202egnp.exe' "$s"
expect_contains "a NUL is shown inert" 'NUL here:\x00:after' "$s"
title=$(tmx display-message -p -t dlc '#{pane_title}')
expect_not_contains "a log line cannot set the window title" "pwned" "$title"
# The match is drawn in the theme's match colours (black on yellow).
if screen_colors | grep -q "$(printf '\033')\[[0-9;]*43m[^$(printf '\033')]*and a title"; then
	pass "the match is highlighted"
else
	fail "the match is highlighted" "$(screen_colors | grep 'and a title' | cat -v | head -3)"
fi
expect_contains "the 256 KiB line is one row without wrap" "BIG xxxxxxxx" "$s"
rows_before=$(screen | grep -c '^x\{100,\}')
send w
wait_for "w turns wrap on" "wrap on"
sleep 0.3
rows_after=$(screen | grep -c 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')
[ "$rows_after" -gt 10 ] && pass "wrap shows the long line over many rows" ||
	fail "wrap shows the long line over many rows" "rows of x: before $rows_before, after $rows_after" "$(screen)"
send w
wait_for "w turns wrap off" "wrap off"
send '&'
wait_for "& shows only the matches" "(only matches)"
s=$(screen)
expect_not_contains "lines that do not match are hidden" "(billed" "$s"
send Escape
wait_gone "Esc clears the search first" "/and a title/"
expect_contains "and stays in the log view" "logs (alpha) mambu-to-s3-raw" "$(screen)"
send n
wait_for "n without a search says so" "no search: / to search"

# Two functions interleaved, one of them writing JSON lines.
send Escape
wait_for "Esc goes back to the functions" "functions (alpha)"
send Enter
wait_for "Enter opens the function's details" "details: datalake-alpha-mambu-to-s3-raw"
send l
wait_for "l in the details opens the function's logs" "logs (alpha) mambu-to-s3-raw"
send Escape
wait_for "Esc goes back to the details" "details: datalake-alpha-mambu-to-s3-raw"
send Escape
wait_for "and again to the functions" "functions (alpha)"
send :
send -l "logs mambu-to-s3-raw mambu-datalake-reconciliation"
send Enter
wait_for ":logs opens several functions" "logs (alpha) mambu-to-s3-raw, mambu-datalake-reconciliation"
wait_for "history, then following" "following" 20
wait_for "each line carries its function's tag" "mambu-datalake-reconcil"
wait_for "both functions are interleaved" "mambu-to-s3-raw  "
send J
wait_for "J pretty-prints every JSON message" '"level": "'
send J
wait_for "J again collapses them" "JSON collapsed"
expect_not_contains "collapsed JSON is one line" '  "level": "' "$(screen)"
send P
wait_for "P shows the platform lines raw" "START RequestId"
send R
wait_for "R keeps one request id" "only request"
s=$(screen)
rid=$(printf '%s\n' "$s" | sed -n 's/.*only request \([0-9a-f-]*\).*/\1/p' | head -1)
others=$(printf '%s\n' "$s" | grep -E 'RequestId: [0-9a-f-]{36}' | grep -vc "$rid")
expect_equal "only that request's platform lines are left" "0" "$others"
send R
wait_for "R again shows every request" "every request shown"
send P
wait_for "P folds them again" "folded into one line"
send t
wait_for "t switches to local time" "timestamps: local"
send t
wait_for "t switches to relative time" "timestamps: relative"
expect_contains "relative times are shown" " ago " "$(screen)"
send t t
wait_for "t cycles back to UTC" "timestamps: UTC"
send '?'
wait_for "? lists the log view's keys" "Pause or resume following"
send Escape
wait_for "Esc leaves the help" "logs (alpha) mambu-to-s3-raw, mambu-datalake"
resize 60 20
wait_for "at 60x20 the log view still draws, message first" "(billed"
resize 160 45
wait_for "back at 160x45 the full layout returns" "logs (alpha) mambu-to-s3-raw, mambu-datalake"

# Pause: new lines keep arriving and are counted.
send Space
wait_for "Space pauses" "PAUSED"
wait_for "a paused view counts what arrives" "new (F: follow)" 30
send F
wait_for "F follows again" "following  "
expect_not_contains "following clears the count" "new (F: follow)" "$(screen)"

# A filter pattern set mid-follow is applied by the service from then on.
send f
wait_for "f asks for a filter pattern" "filter pattern:"
send -l "ERROR"
send Enter
wait_for "the pattern is in force" "pattern: ERROR"
switched=$(now_ms)
# Wait (saving now and then) until events ingested after the switch arrive.
i=0 after="0 0"
while [ $i -lt 8 ]; do
	i=$((i + 1))
	sleep 5
	send W C-u
	send -l "$WORK/pattern$i.ndjson"
	send Enter
	wait_for "the lines so far are saved ($i)" "pattern$i.ndjson"
	after=$("$PYTHON3" - "$WORK/pattern$i.ndjson" "$switched" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
later = [e for e in events if e["ingestionTime"] > int(sys.argv[2]) + 2000]
print(len(later), sum(1 for e in later if "ERROR" not in e["message"]))
PY
)
	case "$after" in "0 "*) ;; *) break ;; esac
done
case "$after" in
"0 "*) fail "events arrive after the pattern is set" "$after" ;;
*" 0") pass "after the switch only events matching the pattern arrive ($after)" ;;
*) fail "after the switch only events matching the pattern arrive" "arrived, not matching: $after" ;;
esac
send f C-u Enter
wait_for "an empty pattern clears it" "filter pattern cleared"
# Clearing it reads the range again: wait for its lines before saving.
wait_for "the range is read again without the pattern" "(billed" 30

# Save what is shown, never over an existing file.
send W
wait_for "W asks where to save" "save shown lines to: dlc-logs-alpha-"
send C-u
send -l "$WORK/saved.log"
send Enter
wait_for "the lines are saved" "saved "
[ -s "$WORK/saved.log" ] && pass "the saved file has the lines" || fail "the saved file has the lines"
if LC_ALL=C grep -q "$(printf '\033')" "$WORK/saved.log"; then
	fail "the saved file holds no raw escape"
else
	pass "the saved file holds no raw escape"
fi
send W C-u
send -l "$WORK/saved.log"
send Enter
wait_for "an existing file is not overwritten" "choose another name"

# 2. Following for half a minute while 20% of requests fail (throttling,
#    500, 503, resets, stalls, truncated bodies), with late events and
#    empty pages: the saved NDJSON holds every written event exactly once.
console_stop
start_fakeaws --log-events-per-function 100 --generate-logs 40 --late-events --faults 0.2 \
	--fault-seed 5 --stall-seconds 1 --empty-pages 0.2
write_static_profiles
console_start 160 45 -e alpha
wait_for "the functions view opens under faults" "functions (alpha)" 20
t0=$(now_ms)
send :
send -l "logs mambu-to-s3-raw mambu-datalake-reconciliation"
send Enter
wait_for "the log view follows under faults" "following" 30
send P
sleep 30
t1=$(now_ms)
# One poll past the overlap window picks up the last late events.
sleep 10
send W C-u
send -l "$WORK/follow.ndjson"
send Enter
wait_for "the followed lines are saved as NDJSON" "saved " 20
result=$(check "$WORK/follow.ndjson" $((t0 - 3600 * 1000 + 5000)) "$t1" "$G1" "$G2" \
	--ingested-by "$t1" 2>"$WORK/check.err")
expect_equal "console follow: every written event once, in time order, late ones included" "ok" "$result"
cat "$WORK/check.err"

# 3. A bounded buffer: with log-buffer = 1000 the oldest events go, and the view says so.
console_stop
start_fakeaws --log-events-per-function 3000
write_static_profiles
write_dlc_ini
sed -i 's|^\[dlc\]$|[dlc]\nlog-buffer = 1000|' "$WORK/dlc.ini"
console_start 160 45 -e alpha
wait_for "the functions view opens" "functions (alpha)"
send :
send -l "logs mambu-to-s3-raw"
send Enter
wait_for "the view holds at most log-buffer events and counts the dropped" "1000 events, " 30
expect_contains "the dropped count is shown" "oldest dropped" "$(screen)"

finish
