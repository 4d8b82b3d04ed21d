#!/bin/sh
# The console's copy (y, Y through OSC 52, seen in tmux's buffer with
# set-clipboard on), the functions view's column chooser (c), remembered
# across runs in the state file and never written into dlc.ini, horizontal
# scroll of a wide table (< and >), and a long details value shown whole (w).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

# A seed whose mambu-to-s3-raw has a 3,000-character environment value
# made of numbered pieces, so a cut or a missing row shows.
rm -rf "$WORK/seed"
cp -r "$SRCDIR/tests/fakeaws/seed" "$WORK/seed"
long=$("$PYTHON3" -c 'print("".join("%04d." % i for i in range(600)))')
"$PYTHON3" - "$WORK/seed/alpha.json" "$long" <<'PY'
import json, sys
path, value = sys.argv[1], sys.argv[2]
with open(path) as f:
    seed = json.load(f)
for fn in seed["functions"]:
    c = fn["Configuration"]
    if c["FunctionName"] == "datalake-alpha-mambu-to-s3-raw":
        c["Environment"]["Variables"]["LONG_VALUE"] = value
with open(path, "w") as f:
    json.dump(seed, f, indent=2)
PY
start_fakeaws --seed-dir "$WORK/seed"
write_static_profiles
write_dlc_ini
printf '# a comment the console must keep\n' >>"$DLC_CONFIG"
cp "$DLC_CONFIG" "$WORK/dlc.ini.before"
state="$HOME/.local/state/dlc/console.ini"
arn=arn:aws:lambda:eu-west-1:$(seed_value account alpha):function:datalake-alpha-mambu-to-s3-raw

# buffer: what the console last copied, as tmux stored it from OSC 52.
buffer() { tmx show-buffer 2>/dev/null; }
# header: the functions view's column titles, one blank between, sort arrow dropped.
header() { screen | awk '/^FUNCTION/ { print; exit }' | sed 's/↑//; s/↓//' | tr -s ' '; }

console_start 160 60 -e alpha
tmx set-option -s set-clipboard on
wait_for "the functions view opens" "functions (alpha)"
wait_for "the list is loaded" "mambu-to-s3-raw"

# ---- Copy ----
send /
send -l "mambu-to-s3"
send Enter
wait_for "the filter keeps one function" "functions (alpha) 1/"
send y
wait_for "y says what it copied" "copied name of datalake-alpha-mambu-to-s3-raw"
expect_equal "y copies the function's AWS name (OSC 52)" "datalake-alpha-mambu-to-s3-raw" "$(buffer)"
send Y
wait_for "Y says what it copied" "copied ARN of datalake-alpha-mambu-to-s3-raw"
expect_equal "Y copies the function's ARN" "$arn" "$(buffer)"

send Enter
wait_for "Enter opens the details" "details: datalake-alpha-mambu-to-s3-raw"
wait_for "values are masked" "LONG_VALUE = ••••••"
tmx delete-buffer 2>/dev/null
send y
wait_for "y in the details copies the name" "copied name of datalake-alpha-mambu-to-s3-raw"
expect_equal "the details copy the AWS name" "datalake-alpha-mambu-to-s3-raw" "$(buffer)"
send Y
wait_for "Y in the details copies the ARN" "copied ARN of"
expect_equal "the details copy the ARN, never a hidden value" "$arn" "$(buffer)"

# ---- A long value shown whole ----
send x
wait_for "x shows the values" "environment values shown"
wait_for "the long value starts" "LONG_VALUE = 0000.0001."
expect_not_contains "unwrapped, the long value is cut" "0599." "$(squash "$(screen)")"
send w
wait_for "w wraps long values" "values wrapped"
joined=$(screen | tr -d ' \n')
expect_contains "wrapped, the whole value is on screen, piece by piece" "LONG_VALUE=$long" "$joined"
# Taller than the screen: scrolled by rows, the value's end can be reached.
resize 80 16
wait_for "the details draw at 80x16" "Local folder"
send g
send j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j
send j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j
wait_for "a value taller than the screen scrolls to its end" "0599."
resize 160 60
send w
wait_for "w again cuts them" "values cut to the width"
wait_gone "the tail goes with the wrap" "0599."
send Escape
wait_for "Esc goes back to the list" "functions (alpha) 1/"

# ---- A log line and its request id ----
send l
wait_for "l opens the log view" "logs (alpha) mambu-to-s3-raw"
wait_for "history arrives" "following" 20
send P
wait_for "P shows Lambda's lines raw" "START RequestId"
send g
send y
wait_for "y in the log view copies the line" "copied line of"
first=$(buffer)
case $first in
?*) expect_contains "the copied line is the first line shown" "$(printf '%s' "$first" | cut -f1 | cut -c1-30)" "$(screen)" ;;
*) fail "the copied line is the first line shown" "tmux buffer empty" ;;
esac
send /
send -l "START RequestId"
send Enter
wait_for "a search finds a START line" "matches"
send n
send Y
wait_for "Y copies the line's request id" "copied request id"
rid=$(buffer)
if printf '%s' "$rid" | grep -Eqx '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'; then
	pass "the request id copied is one UUID ($rid)"
else
	fail "the request id copied is one UUID" "got: $rid"
fi
expect_contains "that request id is on the screen" "$rid" "$(screen)"
send Escape Escape
wait_for "back to the list" "functions (alpha) 1/"
send / BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter
wait_for "every function again" "legacy-export-job"

# ---- Columns: choose, hide, reorder, remember ----
send c
wait_for "c opens the column chooser" "columns of the functions view"
wait_for "the chooser lists shown columns" "[x] RUNTIME"
send j
send Space
wait_for "Space hides RUNTIME" "[ ] RUNTIME"
send j
send K
send Enter
wait_for "Enter saves the columns" "columns saved"
h=$(header)
expect_not_contains "RUNTIME is hidden" "RUNTIME" "$h"
case $h in
"FUNCTION MEMORY TIMEOUT MODIFIED SIZE STATE MARK"*) pass "the columns are in the chosen order ($h)" ;;
*) fail "the columns are in the chosen order" "header: $h" ;;
esac
expect_contains "the choice is in the state file" "FUNCTION,MEMORY,TIMEOUT,MODIFIED,SIZE,STATE,MARK" "$(cat "$state" 2>/dev/null)"
if cmp -s "$DLC_CONFIG" "$WORK/dlc.ini.before"; then
	pass "dlc.ini is left as it was, comments and all"
else
	fail "dlc.ini is left as it was" "$(diff "$WORK/dlc.ini.before" "$DLC_CONFIG")"
fi
send c
wait_for "the chooser opens again" "columns of the functions view"
send j j j j
send K
send Escape
wait_for "Esc leaves the chooser" "functions (alpha)"
case $(header) in
"FUNCTION MEMORY TIMEOUT MODIFIED SIZE STATE MARK"*) pass "Esc keeps the columns as they were" ;;
*) fail "Esc keeps the columns as they were" "header: $(header)" ;;
esac
send :
send -l "q"
send Enter

console_start 160 60 -e alpha
wait_for "a new console opens" "mambu-to-s3-raw"
case $(header) in
"FUNCTION MEMORY TIMEOUT MODIFIED SIZE STATE MARK"*) pass "the columns are remembered across runs" ;;
*) fail "the columns are remembered across runs" "header: $(header)" ;;
esac

# ---- Horizontal scroll of a narrow table ----
# At 60 columns the least important columns (SIZE first) make room.
resize 60 20
wait_for "at 60 columns the view still draws" "FUNCTION"
expect_not_contains "a narrow view hides SIZE" "SIZE" "$(header)"
send ">" ">" ">"
wait_for "> scrolls the columns" "columns from SIZE"
h=$(header)
expect_contains "scrolled right, SIZE is shown" "SIZE" "$h"
expect_not_contains "the columns scrolled past are not" "MEMORY" "$h"
expect_contains "the name column stays, marked as scrolled" "FUNCTION <" "$h"
# Eight more: one past AUDIT, the last column, where it stops.
send ">" ">" ">" ">" ">" ">" ">" ">"
wait_for "> stops at the last column" "columns from AUDIT"
send "<" "<" "<" "<" "<" "<" "<" "<" "<" "<" "<" "<"
wait_for "< scrolls back" "columns from MEMORY"
h=$(header)
expect_not_contains "back at the left, SIZE is hidden again" "SIZE" "$h"
expect_not_contains "and the scroll mark is gone" "FUNCTION <" "$h"
# Spaces squeezed: the key column's width follows the longest key names.
keys=$("$DLC" --keys | tr -s " ")
for k in "c Choose, hide and reorder" "y Copy the function's name" "Y Copy the function's ARN" \
    "< Scroll the columns" "> Scroll the columns right" "w Wrap long values" \
    "Space Show or hide the selected column" "y Copy the line's message" "Y Copy the line's request id"; do
	expect_contains "dlc --keys lists: $k" "$k" "$keys"
done
send :
send -l "q"
send Enter

finish
