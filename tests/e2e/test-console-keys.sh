#!/bin/sh
# The console's keys, help and prompts, driven in tmux against fakeaws: the
# help groups keys by view with one line per action and fits 80x24; the
# queue strip, once focused, owns the keys; each prompt has its own
# history; the details view offers no Enter it does not honour; :logs
# completes and checks every name; a Tab that cannot complete lists the
# candidates and further Tabs cycle; "-" returns to the previous
# environment.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

start_fakeaws
write_static_profiles
write_dlc_ini
status_line() { screen | tail -n 1; }

# 1. The help at 80x24: grouped by view, one line per action, scrolls.
console_start 80 24 -e alpha
wait_for "the functions view opens" "functions (alpha)"
send "?"
wait_for "? opens the help" "Keys (Esc: back)"
s=$(screen)
expect_contains "the help starts with the keys of the view below" "Functions view" "$s"
expect_contains "the view's own keys are on the first screen" "Show every function of the account" "$s"
# The moving keys follow the view's own, half a screen down.
send C-d
wait_for "C-d scrolls the help to the moving keys" "Moving, in every view"
s=$(screen)
if printf '%s\n' "$s" | grep -q "j Down  *Move down one row"; then
	pass "keys with one action share a line (j Down)"
else
	fail "keys with one action share a line (j Down)" "$s"
fi
expect_equal "Move down one row is listed once" 1 \
	"$(printf '%s\n' "$s" | grep -c "Move down one row")"
expect_not_contains "no key of another view (the log view's search)" "Search: a regex" "$s"
send G
wait_for "G scrolls the help to its end, the commands" ":quit"
send g
wait_for "g scrolls it back to the top" "Functions view"
send Escape
wait_for "Esc leaves the help" "functions (alpha)"

# 2. The queue strip, once focused, takes the keys: the list keeps its row.
send /
send -l "mambu"
send Enter
wait_for "the filter leaves two functions" "functions (alpha) 2/"
send g
send Tab
send j Enter
wait_for "keys for the list are refused while the queue strip has focus" "queue strip has focus"
expect_not_contains "Enter did not open the list's function behind the strip" "details:" "$(screen)"
send Tab
send Enter
wait_for "back on the list, Enter opens the first function: j did not move it" \
	"details: datalake-alpha-mambu-datalake-reconciliation"

# 3. The details view does not offer Enter, and Enter there changes nothing.
wait_for "the details are drawn" "CodeSha256"
expect_not_contains "the hint does not offer Enter open" "Enter open" "$(status_line)"
before=$(screen)
send Enter
send x
wait_for "the view still answers keys" "environment values shown"
expect_contains "Enter left the details view as it was" "details: datalake-alpha-mambu-datalake-reconciliation" "$(screen)"
send Escape Escape
wait_for "back to the functions" "functions (alpha)"

# 4. One history per prompt: a filter never comes back at ':'.
send :
send -l "env alpha"
send Enter
wait_for ":env alpha runs" "functions (alpha)"
send /
send -l "mambu-datalake"
send Enter
wait_for "a filter applies" "functions (alpha) 1/"
send :
send Up
wait_for "Up at : recalls the last command" ":env alpha"
expect_not_contains "and not the filter" ":mambu-datalake" "$(status_line)"
send Escape
send /
send C-u Up
wait_for "Up at / recalls the last filter" "/mambu-datalake"
send C-u Enter

# 5. Completion shows its candidates: a Tab that adds nothing lists them, more Tabs cycle.
send :
send -l "env "
send Tab
wait_for "Tab lists the environments" "alpha  sandbox"
send Tab
wait_for "another Tab takes the first" ":env alpha"
send Tab
wait_for "and the next" ":env sandbox"
send Tab
wait_for "and wraps around" ":env alpha"
send C-u
send -l "th"
send Tab
wait_for "a unique command completes" ":theme"
send Escape

# 6. :logs completes every name and refuses an unknown one before opening.
send :
send -l "logs mambu-datalake-rec"
send Tab
wait_for ":logs completes the first name" ":logs mambu-datalake-reconciliation"
send -l " mambu-to-s3-r"
send Tab
wait_for ":logs completes the second name" ":logs mambu-datalake-reconciliation mambu-to-s3-raw"
send C-u
send -l "logs mambu-to-s3-raw mambu-to-s3-rw"
send Enter
wait_for "an unknown second name is refused" "no function 'mambu-to-s3-rw' in alpha"
expect_contains "with the near names" "mambu-to-s3-raw" "$(status_line)"
expect_not_contains "and no log view opened" "logs (alpha)" "$(screen)"
send :
send -l "logs datalake-alpha-mambu-to-s3-raw --group /aws/lambda/datalake-alpha-mambu-datalake-reconciliation"
send Enter
wait_for "an AWS name and a --group are not refused" "logs (alpha)"
send Escape
wait_for "back to the functions from the log view" "functions (alpha)"

# 7. "-" goes back to the previous environment, as cd - does.
send :
send -l "env sandbox"
send Enter
wait_for ":env sandbox switches" "functions (sandbox)"
send -- -
wait_for "- goes back to alpha" "functions (alpha)"
send -- -
wait_for "- again goes to sandbox" "functions (sandbox)"
console_stop

# 8. Before any switch, "-" says there is no previous environment.
console_start 100 30
wait_for "the environments view opens" "environments 2/2"
send -- -
wait_for "- with no previous environment says so" "no previous environment"

finish
