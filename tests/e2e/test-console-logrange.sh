#!/bin/sh
# What the console's log view reads, driven in tmux against fakeaws: a
# filter pattern (f) re-reads the view's whole range through the pattern
# (history included) and keeps following with it, clearing it re-reads
# without; the time range: :logs --since/--until, [ to widen it back, H to
# set it, @ to go to a time; a range that ends in the past does not follow.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

G=/test/range
now_ms() { "$PYTHON3" -c 'import time; print(int(time.time() * 1000))'; }
# put MS_AGO MESSAGE [MS_AGO MESSAGE...]: events written to $G, visible at
# once; prints the time (epoch ms) they are before.
put() {
	"$PYTHON3" - "$ENDPOINT" "$G" "$@" <<'PY'
import json, sys, time, urllib.request
now = int(time.time() * 1000)
a = sys.argv[3:]
evs = sorted(({"timestamp": now - int(a[i]), "message": a[i + 1] + "\n"}
              for i in range(0, len(a), 2)), key=lambda e: e["timestamp"])
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/logs/put", method="POST",
    data=json.dumps({"account": "alpha", "group": sys.argv[2],
                     "stream": "2026/12/03/[$LATEST]0a", "events": evs}).encode())
urllib.request.urlopen(req).read()
print(now)
PY
}
# logs ARGS: :logs ARGS typed at the prompt.
logs() {
	send :
	send -l "logs $*"
	send Enter
}
M=60000
# utc_hm MS_AGO: that time of day as the header writes it.
utc_hm() { date -u -d "@$(( ($(now_ms) - $1) / 1000 ))" +%H:%M; }
# hm_range SINCE_AGO UNTIL_AGO: "HH:MM–HH:MM" as now says it.
hm_range() { echo "$(utc_hm "$1")–$(utc_hm "$2")"; }
# expect_range NAME BEFORE AFTER: the screen says the range as it was when
# the view opened: BEFORE or AFTER (a minute may turn in between).
expect_range() {
	case "$(screen)" in
	*"$2"* | *"$3"*) pass "$1" ;;
	*) fail "$1" "wanted $2 or $3" "$(screen)" ;;
	esac
}

start_fakeaws --log-events-per-function 20
write_static_profiles
write_dlc_ini
T0=$(put $((150 * M)) "INFO old-150m" $((90 * M)) "ERROR old-90m" \
	$((40 * M)) "INFO hist-info-one" $((39 * M)) "ERROR hist-error-one" \
	$((20 * M)) "INFO hist-info-two" $((19 * M)) "ERROR hist-error-two")
# Filler after old-90m, so going back to it scrolls the view.
args=""
i=0
while [ $i -lt 60 ]; do
	args="$args $((85 * M - i * 10000)) filler-$i"
	i=$((i + 1))
done
# shellcheck disable=SC2086
put $args >/dev/null
console_start 160 45 -e alpha
wait_for "the functions view opens" "functions (alpha)"

# 1. The filter pattern applies to the history already shown.
logs --group $G
wait_for ":logs --group opens the group" "logs (alpha) $G"
wait_for "history is read, then the view follows" "following" 20
wait_for "the last hour's history is shown" "hist-error-two"
s=$(screen)
expect_contains "INFO history lines are there before the pattern" "hist-info-one" "$s"
expect_not_contains "history is the last hour by default" "old-90m" "$s"
expect_contains "the header says the range" "since 1h" "$s"
send f
wait_for "f asks for a filter pattern" "filter pattern:"
send -l "ERROR"
send Enter
wait_for "the header says the pattern" "pattern: ERROR"
wait_gone "the INFO history lines are gone once the pattern is set" "hist-info-one"
wait_for "the ERROR history lines are read again through the pattern" "hist-error-one" 20
s=$(screen)
expect_contains "every ERROR line of the range is there" "hist-error-two" "$s"
expect_not_contains "no INFO line of the range is left" "hist-info-two" "$s"
expect_not_contains "the range is kept: nothing older than an hour" "old-90m" "$s"
wait_for "it follows again with the pattern" "following" 20
put 0 "ERROR live-error" 0 "INFO live-info" >/dev/null
wait_for "a new line matching the pattern arrives" "live-error" 20
expect_not_contains "a new line not matching it does not" "live-info" "$(screen)"
send f C-u Enter
wait_for "an empty pattern clears it" "filter pattern cleared"
wait_for "clearing the pattern re-reads the range without it" "hist-info-one" 20
wait_for "new lines not matching the old pattern are back too" "live-info" 20
expect_not_contains "the header no longer says a pattern" "pattern: ERROR" "$(screen)"
send Escape

# 2. The time range: --since, [ to widen, --until, H to set, @ to go to a time.
# 68 lines in three hours: a view that follows shows the newest 43, g the oldest.
logs --since 3h --group $G
wait_for "the header says since 3h" "since 3h"
wait_for "history is read" "hist-error-two" 20
send g
wait_for ":logs --since 3h reads three hours" "old-150m"
send Escape
wait_for "Esc leaves the log view" "functions (alpha)"
logs --group $G
wait_for "the default range is the last hour" "hist-error-two" 20
wait_for "read" "following" 20
send '['
wait_for "[ widens the range back to 2h" "since 2h"
wait_for "the wider range is read" "hist-error-two" 20
send g
wait_for "and the older lines are there" "old-90m"
expect_not_contains "but not older than 2h" "old-150m" "$(screen)"
send '['
wait_for "[ again doubles it to 4h" "since 4h"
wait_for "the wider range is read" "hist-error-two" 20
send g
wait_for "and reaches back further" "old-150m"
send Escape
wait_for "Esc goes back" "functions (alpha)"

r1=$(hm_range $((180 * M)) $((60 * M)))
logs --since 3h --until 1h --group $G
wait_for "--until bounds the range" "filler-59" 20
expect_range "the header says the range as times" "$r1" "$(hm_range $((180 * M)) $((60 * M)))"
wait_for "a range that ends in the past is read once, not followed" "range read" 20
s=$(screen)
expect_contains "lines inside the range are shown" "filler-50" "$s"
expect_not_contains "lines after --until are not" "hist-info-one" "$s"
expect_not_contains "it does not say following" "following" "$s"
send Escape
wait_for "Esc goes back" "functions (alpha)"

# An empty range says so in its own words, and that nothing more comes.
logs --since 3h --until 2h40m --group $G
wait_for "an empty range is read" "range read" 20
s=$(screen)
expect_contains "it says there are no events" "no log events" "$s"
expect_not_contains "not in the last hour" "last hour" "$s"
expect_not_contains "nor that new ones will come" "new ones appear" "$s"
send Escape
wait_for "Esc goes back" "functions (alpha)"

# Only a range: the function under the cursor, as :logs without a name.
send g
logs --since 2h
wait_for ":logs --since with no name opens the selected function's logs" "logs (alpha) "
wait_for "with that range" "since 2h"
send Escape
wait_for "Esc goes back" "functions (alpha)"

logs --since yesterday --group $G
wait_for "a --since dlc does not understand is refused" "is not a time dlc understands"
expect_not_contains "and no view opens" "logs (alpha)" "$(screen)"

logs --group $G
wait_for "the default view again" "hist-error-two" 20
send H
wait_for "H asks for the range" "time range (since [until]):"
send C-u
send -l "3h 2h"
r1=$(hm_range $((180 * M)) $((120 * M)))
send Enter
wait_for "the range's lines are read" "old-150m" 20
expect_range "H sets since and until" "$r1" "$(hm_range $((180 * M)) $((120 * M)))"
s=$(screen)
expect_not_contains "and only those" "old-90m" "$s"
send H C-u Enter
wait_for "an empty range goes back to the default" "since 1h"
wait_for "the last hour is read again" "hist-error-two" 20
send Escape
wait_for "Esc goes back" "functions (alpha)"

logs --since 3h --group $G
wait_for "three hours again" "hist-error-two" 20
wait_for "following" "following" 20
expect_not_contains "old-150m is scrolled out: it is followed at the bottom" "old-150m" "$(screen)"
send @
wait_for "@ asks for a time" "go to time:"
# A second before old-90m was written.
send -l "$(date -u -d "@$(( (T0 - 90 * M - 1000) / 1000 ))" +%H:%M:%S)"
send Enter
wait_for "@ HH:MM:SS scrolls to the first line at or after it" "old-90m"
expect_contains "and stops following there" "PAUSED" "$(screen)"
# The selected line is drawn black on cyan (the default theme's selected).
if screen_colors | grep -F 'old-90m' | grep -q '46m'; then
	pass "the line gone to is the selected one"
else
	fail "the line gone to is the selected one" "$(screen_colors | grep -F -e old-90m -e filler-0 | cat -v)"
fi
send F
wait_for "F follows again" "following"
wait_gone "the old line scrolls away" "old-90m"
send @
send -l "151m"
send Enter
wait_for "@ takes a duration back from now as well" "old-150m"
send @
send -l "5h"
send Enter
wait_for "a time before the range says so" "before the view's range"
send '?'
wait_for "? lists [" "Widen the time range"
s=$(screen)
expect_contains "? lists H" "Set the time range" "$s"
expect_contains "? lists @" "Go to a time" "$s"
send Escape

finish
