#!/bin/sh
# How the console's log view shows lines, driven in tmux against fakeaws
# with exact events put into the groups: ERROR/FATAL lines in the theme's
# log-error colour and WARN lines in log-warn (Lambda's text prefix,
# [LEVEL], a JSON "level"); a search that moves (Enter jumps to the first
# match onward, n/N wrap with a note, "no match"); W to NDJSON and to text
# keeps the START/END lines that P folds; and a 200 KB event with wrap on:
# following shows its end, and j/k/PgDn/g/G reach every part of it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

G1=/aws/lambda/datalake-alpha-mambu-to-s3-raw
G2=/aws/lambda/datalake-alpha-mambu-datalake-reconciliation
ESC=$(printf '\033')

# put GROUP: the events (one JSON string a line on stdin) written a second
# apart, ending a minute ago, through fakeaws' logs/put.
put() {
	cat >"$WORK/put.py" <<'PY'
import json, sys, time, urllib.request
msgs = [json.loads(l) for l in sys.stdin if l.strip()]
t0 = int(time.time() * 1000) - 60000 - 1000 * len(msgs)
events = [{"timestamp": t0 + 1000 * i, "message": m} for i, m in enumerate(msgs)]
body = json.dumps({"group": sys.argv[2], "account": "alpha",
                   "stream": "2026/12/03/[$LATEST]0123456789abcdef", "events": events}).encode()
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/logs/put", data=body, method="POST")
urllib.request.urlopen(req).read()
PY
	"$PYTHON3" "$WORK/put.py" "$ENDPOINT" "$1"
}

# The screen row holding TEXT, with its colours (capture-pane -e).
row_of() { screen_colors | grep -F -- "$1" | head -1; }
# The selected row: drawn in the theme's "selected" (black on cyan).
selected_row() { screen_colors | grep -E "$ESC\[[0-9;]*(46|48;5;6)m" | grep -v 'search /' | head -1; }

# expect_fg NAME TEXT CODES: the row of TEXT is drawn in one of the SGR
# foregrounds CODES (a regex, e.g. "91|38;5;9") before the text.
expect_fg() {
	r=$(row_of "$2")
	if printf '%s' "$r" | grep -Eq "$ESC\[([0-9;]*;)?($3)(;[0-9;]*)?m[^$ESC]*$2"; then
		pass "$1"
	else
		fail "$1" "row: $(printf '%s' "$r" | cat -v | head -c 400)"
	fi
}

# wait_selected NAME TEXT: the selected row comes to hold TEXT.
wait_selected() {
	end=$(( $(date +%s) + 10 ))
	while [ "$(date +%s)" -le "$end" ]; do
		case "$(selected_row | sed "s/$ESC\[[0-9;]*m//g")" in *"$2"*) pass "$1"; return 0 ;; esac
		sleep 0.05
	done
	fail "$1" "selected row: $(selected_row | cat -v | head -c 300)"
}

RID=6f1c2d3e-0000-4000-8000-00000000abcd
T=2026-12-03T06:00:00.000Z
start_fakeaws --log-events-per-function 0
write_static_profiles
write_dlc_ini
"$PYTHON3" -c '
import json, sys
rid, t = sys.argv[1], sys.argv[2]
for m in ["START RequestId: %s Version: $LATEST" % rid,
          "%s\t%s\tINFO\tplain info line\n" % (t, rid),
          "%s\t%s\tINFO\tneedle one\n" % (t, rid),
          "%s\t%s\tERROR\tpayment failed in lambda text\n" % (t, rid),
          "[ERROR] bracket failure",
          "{\"level\": \"ERROR\", \"message\": \"json failure\"}",
          "%s\t%s\tINFO\tneedle two\n" % (t, rid),
          "%s\t%s\tWARN\tdisk almost full\n" % (t, rid),
          "[WARNING] bracket warning",
          "{\"level\": \"warn\", \"message\": \"json warning\"}",
          "[CRITICAL] critical failure",
          "FATAL out of memory",
          "%s\t%s\tINFO\tneedle three\n" % (t, rid),
          "END RequestId: %s" % rid,
          "REPORT RequestId: %s\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t" % rid]:
    print(json.dumps(m))
' "$RID" "$T" | put "$G1"

console_start 160 45 -e alpha
wait_for "the functions view opens" "functions (alpha)"
send :
send -l "logs mambu-to-s3-raw"
send Enter
wait_for "the log view follows" "following" 20
wait_for "the put events are shown" "needle three"

# 1. Levels, coloured as the theme says: log-error is bright-red, log-warn yellow.
ERR_FG='91|38;5;9'
WARN_FG='33|38;5;3'
expect_fg "Lambda's tab-separated ERROR is drawn in log-error" "payment failed in lambda text" "$ERR_FG"
expect_fg "[ERROR] is drawn in log-error" "bracket failure" "$ERR_FG"
expect_fg 'a JSON "level": "ERROR" is drawn in log-error' "json failure" "$ERR_FG"
expect_fg "[CRITICAL] is drawn in log-error" "critical failure" "$ERR_FG"
expect_fg "FATAL is drawn in log-error" "FATAL out of memory" "$ERR_FG"
expect_fg "Lambda's tab-separated WARN is drawn in log-warn" "disk almost full" "$WARN_FG"
expect_fg "[WARNING] is drawn in log-warn" "bracket warning" "$WARN_FG"
expect_fg 'a JSON "level": "warn" is drawn in log-warn' "json warning" "$WARN_FG"
r=$(row_of "plain info line")
if printf '%s' "$r" | grep -Eq "$ESC\[([0-9;]*;)?($ERR_FG|$WARN_FG)(;[0-9;]*)?m[^$ESC]*plain info"; then
	fail "an INFO line is not drawn as an error or a warning" "$(printf '%s' "$r" | cat -v)"
else
	pass "an INFO line is not drawn as an error or a warning"
fi

# 3. A search that moves: Enter goes to the first match from the cursor on,
#    n/N wrap at the ends and say so, and a search without a match says so.
send g
wait_selected "g goes to the oldest line" "plain info line"
send /
send -l "needle"
send Enter
wait_selected "Enter jumps to the first match" "needle one"
expect_contains "the matches are counted" "/needle/ 3 matches" "$(screen)"
send n
wait_selected "n goes to the next match" "needle two"
send n
wait_selected "n again goes to the last match" "needle three"
expect_not_contains "no wrap note before the end" "search wrapped" "$(screen)"
send n
wait_selected "n past the last match wraps to the first" "needle one"
wait_for "and says the search wrapped" "search wrapped: continuing at the top"
send N
wait_selected "N before the first match wraps to the last" "needle three"
wait_for "and says the search wrapped the other way" "search wrapped: continuing at the bottom"
send N
wait_selected "N goes to the previous match" "needle two"
expect_not_contains "no wrap note in the middle" "search wrapped" "$(screen)"
# From a line between matches, Enter goes to the next one onward.
send k k k
wait_selected "k moves up" "payment failed"
send /
send C-u
send -l "needle t"
send Enter
wait_selected "Enter searches onward from the cursor" "needle two"
send /
send C-u
send -l "nothing-like-this"
send Enter
wait_for "a search without a match says so" "no match for /nothing-like-this/"
send Escape

# 4. W keeps every event, folded or not: START and END are saved too.
send W C-u
send -l "$WORK/folded.ndjson"
send Enter
wait_for "W saves as NDJSON" "folded.ndjson"
expect_equal "NDJSON holds every event, START and END included" "15 1 1 1" \
	"$("$PYTHON3" - "$WORK/folded.ndjson" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
n = lambda w: sum(1 for e in ev if e["message"].startswith(w + " RequestId"))
print(len(ev), n("START"), n("END"), n("REPORT"))
PY
)"
send W C-u
send -l "$WORK/folded.log"
send Enter
wait_for "W saves as text" "folded.log"
expect_equal "text holds every event too, one line each" "15" "$(grep -c '^2026-' "$WORK/folded.log")"
expect_contains "text keeps the START line" "START RequestId: $RID" "$(cat "$WORK/folded.log")"
expect_contains "text keeps the END line" "END RequestId: $RID" "$(cat "$WORK/folded.log")"
expect_contains "text keeps the REPORT as it came" "REPORT RequestId: $RID" "$(cat "$WORK/folded.log")"

# 2. A 200 KB event with wrap on: following shows its end, k and j scroll it
#    by rows, g shows its start, PgDn reaches its end, G follows again.
console_stop
"$PYTHON3" -c '
import json
print(json.dumps("line before the tall one"))
print(json.dumps("TALLSTART " + "".join("s%06d " % i for i in range(25000)) + "TALLEND"))
' | put "$G2"
console_start 160 45 -e alpha
wait_for "the functions view opens" "functions (alpha)"
send :
send -l "logs mambu-datalake-reconciliation"
send Enter
wait_for "the log view follows the tall event's function" "following" 20
wait_for "without wrap the tall event is one row" "TALLSTART s000000"
send w
wait_for "w turns wrap on" "wrap on"
wait_for "following shows the end of the newest event" "TALLEND"
# The first segment number on the screen: how far into the event the view is.
first_seg() { screen | grep -o 's[0-9]\{6\}' | head -1 | tr -d s | sed 's/^0*//;s/^$/0/'; }
seg_rows() { screen | grep -c 's[0-9]\{6\} s[0-9]\{6\} s[0-9]\{6\}'; }
# one_row_apart NAME LOWER HIGHER: the first segments of two screens one row apart (a row holds 16-17).
one_row_apart() {
	[ "$3" -gt "$2" ] && [ $(($3 - $2)) -le 20 ] && pass "$1 ($2 -> $3)" || fail "$1" "first segments $2 and $3"
}
rows=$(seg_rows)
[ "$rows" -ge 35 ] && pass "the view is full of the event's rows, not blank ($rows)" ||
	fail "the view is full of the event's rows, not blank" "rows: $rows" "$(screen)"
expect_contains "its end is on the last line of the view" "TALLEND" "$(screen | sed -n '42p')"
s0=$(first_seg)
send k
wait_gone "k scrolls up one row within the event" "TALLEND"
s1=$(first_seg)
one_row_apart "by one row" "$s1" "$s0"
expect_contains "k stops following" "PAUSED" "$(screen)"
send j
wait_for "j scrolls back down to the end" "TALLEND"
send g
wait_for "g shows the oldest line" "line before the tall one"
wait_for "and the start of the tall event" "TALLSTART s000000"
i=0 prev=$(first_seg) moved=ok
while [ $i -lt 150 ]; do
	case "$(screen)" in *TALLEND*) break ;; esac
	i=$((i + 1))
	send NPage
	end=$(( $(date +%s) + 5 ))
	while [ "$(first_seg)" = "$prev" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.05; done
	now=$(first_seg)
	[ "$now" = "$prev" ] && { moved="page $i: PgDn did not move ($now)"; break; }
	if [ "$now" -le "$prev" ] || [ $((now - prev)) -gt 1000 ]; then moved="page $i: $prev -> $now"; fi
	[ "$(seg_rows)" -ge 30 ] || moved="page $i: only $(seg_rows) rows shown"
	prev=$now
done
case "$(screen)" in
*TALLEND*) pass "PgDn reaches the end of the tall event ($i pages)" ;;
*) fail "PgDn reaches the end of the tall event" "after $i pages" "$(screen)" ;;
esac
expect_equal "each PgDn moved a page into it, never blank" "ok" "$moved"
send k
wait_gone "k scrolls up from the end" "TALLEND"
s1=$(first_seg)
send j
wait_for "j scrolls down to the end again" "TALLEND"
s2=$(first_seg)
one_row_apart "j moved one row" "$s1" "$s2"
send g G
wait_for "G follows again" "following"
wait_for "and shows the end of the newest event" "TALLEND"

finish
