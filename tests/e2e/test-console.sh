#!/bin/sh
# The console, driven in tmux against fakeaws: environments, switching,
# filter, sort, details, help, command mode, themes, NO_COLOR, resizes,
# hostile names shown inert, and keys that stay responsive while an
# endpoint stalls.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

start_fakeaws --extra-functions 40
write_static_profiles
write_dlc_ini

console_start 120 40
wait_for "the environments view opens" "environments 2/2"
wait_for "alpha's account arrives" "111111111111"
wait_for "sandbox's account arrives" "222222222222"
wait_for "the queue strip is there" "queue empty"
expect_contains "sandbox carries its deploy badge" "! confirm" "$(screen)"

send Enter
wait_for "Enter opens alpha's functions" "functions (alpha) 49/49"
wait_for "a special function is marked" "special"
expect_contains "a deprecated runtime is marked" "(deprecated)" "$(screen)"
expect_contains "local names are shown" "mambu-to-s3-raw" "$(screen)"

send /
send -l "mambu"
wait_for "the filter narrows the list as it is typed" "functions (alpha) 2/49"
send Enter
expect_not_contains "filtered rows are hidden" "salesforce-cases" "$(screen)"
send /
send BSpace BSpace BSpace BSpace BSpace
send -l "/^gen-00[12]"
wait_for "a regex filter works" "functions (alpha) 0/49" 3 || true
send Escape
wait_for "Esc restores the previous filter" "functions (alpha) 2/49"
send / BSpace BSpace BSpace BSpace BSpace Enter
wait_for "an empty filter shows all again" "functions (alpha) 49/49"

send s
wait_for "s sorts by the next column" "sorted by RUNTIME"

send g Enter
wait_for "Enter opens the details" "details:"
wait_for "details show the configuration" "CodeSha256"
wait_for "details show layers" "Layers"
wait_for "environment values are masked" "= ••••••"
send x
wait_for "x says the values are shown" "environment values shown"
wait_gone "x shows the environment values" "= ••••••"
send Escape
wait_for "Esc goes back to the list" "functions (alpha)"

send "?"
wait_for "? opens the help" "Keys (Esc: back)"
wait_for "help lists commands from the table" ":theme"
send Escape

send :
send -l "env sandbox"
send Enter
wait_for "command mode switches environment" "functions (sandbox)"
wait_for "sandbox's band says confirm" "! CONFIRM"

send :
send -l "the"
send Tab
wait_for "Tab completes a command" ":theme"
send -l " mono"
send Enter
wait_for "the theme switches" "theme mono"

resize 60 20
wait_for "at 60x20 the compact layout still lists" "functions (sandbox)" 5 || true
wait_for "at 60x20 the queue line stays" "queue: empty"
resize 200 60
wait_for "at 200x60 the full layout returns" "queue empty: no deployments"
resize 30 8
wait_for "below 40x10 it says the terminal is too small" "terminal too small"
resize 120 40
wait_for "growing again redraws" "functions (sandbox)"

send :
send -l "q"
send Enter
i=0; while ! pane_dead && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
pane_dead && pass ":q quits" || fail ":q quits"

# NO_COLOR: no colour escapes at all, attributes only.
CONSOLE_ENV="NO_COLOR=1" console_start 120 40 -e alpha
wait_for "NO_COLOR: the console works" "functions (alpha)"
if screen_colors | grep -q "$(printf '\033')\[3[0-7]m\|$(printf '\033')\[38;5"; then
	fail "NO_COLOR: no colours drawn" "$(screen_colors | head -5 | od -c | head -10)"
else
	pass "NO_COLOR: no colours drawn"
fi

# A stalled endpoint never freezes the keys.
start_fakeaws --faults stall=1.0 --stall-seconds 20
write_static_profiles
console_start 120 40 -e alpha
wait_for "a stalled list shows that it is loading" "loading the functions of alpha"
send "?"
wait_for "keys answer while the endpoint stalls" "Keys (Esc: back)" 2
send Escape
send :
send -l "q"
send Enter

finish
