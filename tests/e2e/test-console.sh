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

n=$(seed_value count alpha 40)
console_start 120 40
wait_for "the environments view opens" "environments 2/2"
wait_for "alpha's account arrives" "111111111111"
wait_for "sandbox's account arrives" "222222222222"
wait_for "the queue strip is there" "queue empty"
expect_contains "sandbox carries its deploy badge" "! confirm" "$(screen)"

send Enter
wait_for "Enter opens alpha's functions" "functions (alpha) $n/$n"
send G
wait_for "G goes to the end, where a deprecated runtime is marked" "(deprecated)"

send /
send -l "mambu"
wait_for "the filter narrows the list as it is typed" "functions (alpha) 2/$n"
send Enter
expect_contains "local names are shown" "mambu-to-s3-raw" "$(screen)"
expect_contains "special functions are marked" "special" "$(screen)"
expect_not_contains "filtered rows are hidden" "salesforce-cases" "$(screen)"
send /
send BSpace BSpace BSpace BSpace BSpace
send -l "/^gen-00[12]"
wait_for "a regex filter works" "functions (alpha) 0/$n"
send Escape
wait_for "Esc restores the previous filter" "functions (alpha) 2/$n"
send / BSpace BSpace BSpace BSpace BSpace Enter
wait_for "an empty filter shows all again" "functions (alpha) $n/$n"

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

# The details of a function with an older layer, a schedule and a stream.
send :
send -l "fn mambu-datalake-reconciliation"
send Enter
wait_for ":fn opens a function by its local name" "details: datalake-alpha-mambu-datalake-reconciliation"
wait_for "details say a newer layer version exists" "newer version 3 exists"
wait_for "details show the schedule" "cron(0 3 * * ? *)"
send Escape
send :
send -l "fn dynamo-customers-to-s3-raw"
send Enter
wait_for "details show the event source mapping" "arn:aws:dynamodb:eu-west-1:111111111111:table/"
send Escape

if screen_colors | grep -q "$(printf '\033')\[[0-9;]*m"; then
	pass "the default theme draws with attributes and colours"
else
	fail "the default theme draws with attributes and colours"
fi

send "?"
wait_for "? opens the help" "Keys (Esc: back)"
send G
wait_for "help lists commands from the table" ":theme"
send Escape

send :
send -l "env sandbox"
send Enter
wait_for "command mode switches environment" "functions (sandbox)"
wait_for "sandbox's band says confirm" "! CONFIRM"

send :
send Up
wait_for "Up in a prompt recalls the last command" ":env sandbox"
send Escape
send :
send -l "the"
send Tab
wait_for "Tab completes a command" ":theme"
send -l " mono"
send Enter
wait_for "the theme switches" "theme mono"

resize 60 20
wait_for "at 60x20 the compact layout still lists" "datalake-sandbox-"
wait_for "at 60x20 the queue line stays" "queue: empty"
expect_contains "at 60x20 the header keeps the environment's badge" "sandbox ! CONFIRM" "$(screen)"
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

# Hostile names and descriptions from the endpoint are shown inert: a
# function whose name clears the screen and sets the window title, with a
# C1 CSI and a bidi override in its description (the seed is copied and
# extended; JSON cannot carry invalid UTF-8, which the sanitiser's unit
# tests cover byte by byte).
cp -r "$SRCDIR/tests/fakeaws/seed" "$WORK/seed"
"$PYTHON3" - "$WORK/seed/alpha.json" <<'PY'
import copy, json, sys
path = sys.argv[1]
d = json.load(open(path))
evil = copy.deepcopy(d["functions"][0])
evil["Configuration"]["FunctionName"] = "evil\u001b[2J\u001b]0;pwned\u0007name"
evil["Configuration"]["FunctionArn"] = evil["Configuration"]["FunctionArn"].rsplit(":", 1)[0] + ":evil"
evil["Configuration"]["Description"] = "desc \u009b31m red \u202egnp.exe wide \u5bbd\u5b57 end"
d["functions"].append(evil)
json.dump(d, open(path, "w"))
PY
start_fakeaws --seed-dir "$WORK/seed"
write_static_profiles
console_start 120 40 -e alpha
wait_for "the hostile function is listed, escapes shown inert" 'evil\x1b[2J\x1b]0;pwned\x07name'
expect_not_contains "the window title was not set" "pwned" "$(tmx display-message -p -t dlc '#{pane_title}')"
send /
send -l "evil"
send Enter
send Enter
wait_for "its details open" "details: evil"
wait_for "C1 and bidi controls are shown inert, wide characters kept" 'desc \u009b31m red \u202egnp.exe wide 宽字 end'
send :
send -l "q"
send Enter

# Errors: the status line has AWS's code; 'e' shows the whole text and the fix.
sed -i '/^\[sandbox\]/,$ s/^\(aws_secret_access_key = \).*/\1wrong/' "$AWS_SHARED_CREDENTIALS_FILE"
start_fakeaws
write_static_profiles
sed -i '/^\[sandbox\]/,$ s/^\(aws_secret_access_key = \).*/\1wrong/' "$AWS_SHARED_CREDENTIALS_FILE"
console_start 160 40 -e sandbox
wait_for "an AWS error reaches the status line with its code" "InvalidSignatureException"
send e
wait_for "e shows the full error" "last error"
wait_for "the full error says what to do" "what to do:"
send :
send -l "env alpha"
send Enter
wait_for "the other environment still works" "functions (alpha) $(seed_value count alpha 0)/"
send :
send -l "q"
send Enter

# SSO from inside the console: missing login shown, L runs the device flow.
cat >>"$AWS_CONFIG_FILE" <<CFG

[profile sso-alpha]
region = eu-west-1
endpoint_url = $ENDPOINT
sso_session = datalake
sso_account_id = $(seed_value account alpha)
sso_role_name = $(seed_value sso_role)

[sso-session datalake]
sso_start_url = $(seed_value sso_start_url)
sso_region = eu-west-1
CFG
write_dlc_ini sso-alpha sandbox
console_start 160 40
wait_for "a missing SSO login is shown" "missing"
send L
wait_for "L shows the code to confirm" "SSO login: open"
wait_for "the login completes in the background" "signed in for alpha" 20
wait_for "alpha's credentials are then ok" "ok"
send Enter
wait_for "alpha lists through SSO" "functions (alpha) $(seed_value count alpha 0)/"
send :
send -l "q"
send Enter

# Sorts by value, checked row by row: numbers as numbers, sizes as bytes,
# and MARK groups the special functions (the seed's own functions only, so
# the memory sizes and code sizes differ from row to row).
start_fakeaws
write_static_profiles
write_dlc_ini
console_start 160 40 -e alpha
wait_for "the seed's functions are listed" "functions (alpha) $(seed_value count alpha 0)/"
# column_of WORD: the values of the rows under the header's WORD, as numbers.
column_of() {
	screen | awk -v want="$1" '
		/^FUNCTION/ { for (i = 1; i <= NF; i++) { h = $i; sub(/(↑|↓)$/, "", h)
			if (h == want) col = i; if (h == "MODIFIED") mod = i }; next }
		col && NF >= col {
			# "(deprecated)" follows a runtime, and MODIFIED is two words ("3y ago").
			v = $(col + ($0 ~ /\(deprecated\)/) + (col > mod)); n = v + 0
			if (v !~ /^[0-9]/) next	# the queue strip and the key line below the list
			if (v ~ /K$/) n *= 1024; else if (v ~ /M$/ && want == "SIZE") n *= 1048576
			print n
		}'
}
expect_sorted() {	# NAME WORD: the column reads in ascending order
	vals=$(column_of "$2")
	if [ -n "$vals" ] && [ "$(printf '%s\n' "$vals" | wc -l)" -ge 5 ] &&
	    printf '%s\n' "$vals" | sort -n -c 2>/dev/null; then
		pass "$1"
	else
		fail "$1" "values in screen order: $(printf '%s' "$vals" | tr '\n' ' ')"
	fi
}
send s s
wait_for "s s sorts by MEMORY" "sorted by MEMORY"
expect_sorted "MEMORY sorts as megabytes, row by row" MEMORY
send s
wait_for "s sorts by TIMEOUT" "sorted by TIMEOUT"
expect_sorted "TIMEOUT sorts as seconds, row by row" TIMEOUT
send s s
wait_for "s s sorts by SIZE" "sorted by SIZE"
expect_sorted "SIZE sorts as bytes, row by row" SIZE
send s s
wait_for "s s sorts by MARK" "sorted by MARK"
marks=$(screen | awk '/^FUNCTION/ { on = 1; next } on && NF { print ($0 ~ / special( |$)/) ? "s" : "o" }' | uniq | tr -d '\n')
case $marks in
s*o) pass "MARK puts the special functions together, first ($marks)" ;;
*) fail "MARK puts the special functions together, first" "rows: $marks" ;;
esac
send :
send -l "q"
send Enter

# A stalled endpoint never freezes the keys.
start_fakeaws --faults stall=1.0 --stall-seconds 20
write_static_profiles
write_dlc_ini
console_start 120 40 -e alpha
wait_for "a stalled list shows that it is loading" "loading the functions of alpha"
send "?"
wait_for "keys answer while the endpoint stalls" "Keys (Esc: back)" 2
send Escape
send :
send -l "q"
send Enter

finish
