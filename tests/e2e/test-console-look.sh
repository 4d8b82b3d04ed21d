#!/bin/sh
# How the console looks, in tmux against fakeaws (issue 14): a non-UTF-8
# locale draws ASCII only; no installed theme never stops the console; the
# environments view sorts FUNCTIONS by count and shows "-" for a listing
# that failed; at 60x15 the view's title (filter, log view's names) stays;
# a layer whose newest version is unknown says so; curl's text once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

# alpha holds three more functions than sandbox (11 against 8), and one
# function uses another account's layer, whose versions it cannot list.
rm -rf "$WORK/seed"
cp -r "$SRCDIR/tests/fakeaws/seed" "$WORK/seed"
"$PYTHON3" - "$WORK/seed/alpha.json" <<'PY'
import copy, json, sys
path = sys.argv[1]
d = json.load(open(path))
base = d["functions"][0]
for i in range(3):
    f = copy.deepcopy(base)
    c = f["Configuration"]
    name = "datalake-alpha-extra-%d" % i
    c["FunctionArn"] = c["FunctionArn"].replace(c["FunctionName"], name)
    c["FunctionName"] = name
    d["functions"].append(f)
for f in d["functions"]:
    if f["Configuration"]["FunctionName"] == "datalake-alpha-salesforce-cases-to-s3-raw":
        f["Configuration"]["Layers"] = [{
            "Arn": "arn:aws:lambda:eu-west-1:999999999999:layer:public-tools:4",
            "CodeSize": 1000}]
json.dump(d, open(path, "w"))
PY
start_fakeaws --seed-dir "$WORK/seed"
write_static_profiles
write_dlc_ini
# A third environment whose endpoint is a closed port: its listing fails.
cat >>"$AWS_CONFIG_FILE" <<CFG

[profile broken]
region = eu-west-1
endpoint_url = http://127.0.0.1:1
CFG
cat >>"$AWS_SHARED_CREDENTIALS_FILE" <<CRED

[broken]
aws_access_key_id = $(seed_value key alpha)
aws_secret_access_key = $(seed_value secret alpha)
CRED
cat >>"$DLC_CONFIG" <<INI

[env broken]
profile = broken
region = eu-west-1
function-name = datalake-broken-{function}
deploy = allow
INI

# no_high_bytes NAME: the screen is plain ASCII, and shows none of the
# "~T~B" that curses draws for UTF-8 bytes in a non-UTF-8 locale.
no_high_bytes() {
	screen >"$WORK/cap"
	if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$WORK/cap"; then
		fail "$1: no byte above 0x7f" "screen:" "$(cat "$WORK/cap")"
	elif LC_ALL=C grep -q '~[@-_]' "$WORK/cap"; then
		fail "$1: no mojibake" "screen:" "$(cat "$WORK/cap")"
	else
		pass "$1: ASCII only"
	fi
}

# row_order: the ENV column's values, top to bottom.
row_order() {
	screen | awk '/^ENV/ { on = 1; next } on && !NF { exit } on { print $1 }' | tr '\n' ' '
}

# once_per_line WHERE TEXT: curl's error text appears, at most once a line.
once_per_line() {
	if ! printf '%s\n' "$2" | grep -q "Failed to connect"; then
		fail "$1 shows curl's error" "$2"
	elif printf '%s\n' "$2" | grep -q "Failed to connect.*Failed to connect"; then
		fail "$1 shows curl's error once" "$2"
	else
		pass "$1 shows curl's error once"
	fi
}

# 0. curl's error text, once (an endpoint on a closed port).
run "$DLC" ls -e broken
expect_status "ls on a closed port fails" 1
expect_equal "ls: curl's error once" 1 "$(printf '%s\n' "$ERR" | grep -o "Failed to connect" | wc -l)"
once_per_line "ls" "$ERR"
run "$DLC" logs -e broken mambu-to-s3-raw
expect_equal "logs: curl's error once" 1 "$(printf '%s\n' "$ERR" | grep -o "Failed to connect" | wc -l)"
run "$DLC" envs
expect_equal "envs: curl's error once, for the one broken environment" 1 "$(printf '%s\n' "$ERR" | grep -o "Failed to connect" | wc -l)"

# 1. LC_ALL=C: every glyph the console draws has an ASCII stand-in.
CONSOLE_ENV="LC_ALL=C" console_start 120 40
wait_for "C locale: the environments view opens" "environments 3/3"
wait_for "C locale: alpha's account arrives" "111111111111"
expect_contains "C locale: the sort arrow is ASCII" "ENV^" "$(screen)"
no_high_bytes "C locale: environments view"
send Enter
wait_for "C locale: alpha's functions" "functions (alpha) 11/11"
wait_for "C locale: the header's separators are ASCII" "account 111111111111 | eu-west-1 | creds ok"
no_high_bytes "C locale: functions view"
send Enter
wait_for "C locale: details open" "CodeSha256"
wait_for "C locale: masked values are ASCII" "= ******"
no_high_bytes "C locale: details view"
send Escape
send l
wait_for "C locale: the log view shows invocations" "ms (billed"
if screen | grep -q '> [0-9.]* ms (billed'; then
	pass "C locale: a REPORT is marked with an ASCII arrow"
else
	fail "C locale: a REPORT is marked with an ASCII arrow" "$(screen)"
fi
no_high_bytes "C locale: log view"
send Escape
send "?"
wait_for "C locale: help opens" "Keys (Esc: back)"
no_high_bytes "C locale: help"
console_stop

# 2. Environments: FUNCTIONS sorts by count, a failed listing shows "-".
console_start 120 40
wait_for "the environments view opens" "environments 3/3"
send Enter
wait_for "alpha lists" "functions (alpha) 11/11"
send Escape j j Enter
wait_for "sandbox lists" "functions (sandbox) 8/8"
send Escape k Enter
wait_for "broken's listing fails" "could not list functions"
once_per_line "the console" "$(screen)"
send Escape
wait_for "back at the environments" "environments 3/3"
broken_row=$(screen | awk '$1 == "broken" { print $NF }')
expect_equal "a failed listing shows - functions, not 0" "-" "$broken_row"
send s s s s s s
wait_for "s reaches FUNCTIONS" "sorted by FUNCTIONS"
expect_equal "FUNCTIONS sorts by count: -, 8, 11" "broken sandbox alpha " "$(row_order)"
send S
wait_for "S reverses the sort" "FUNCTIONS↓"
expect_equal "FUNCTIONS reversed: 11, 8, -" "alpha sandbox broken " "$(row_order)"
console_stop

# 3. A layer whose newest version could not be read says "unknown".
console_start 120 40 -e alpha
wait_for "alpha lists" "functions (alpha) 11/11"
send :
send -l "fn salesforce-cases-to-s3-raw"
send Enter
wait_for "details of the function with another account's layer" "details: datalake-alpha-salesforce-cases-to-s3-raw"
wait_for "its newest version is unknown, and says so" "public-tools:4   newest version unknown"
console_stop

# 4. No theme installed, dlc.ini outside the checkout: the built-in default.
mkdir -p "$WORK/nothemes"
CONSOLE_ENV="DLC_THEMES_DIR=$WORK/nothemes" console_start 120 40
wait_for "no themes: the console starts" "environments 3/3"
wait_for "no themes: the status line warns" "theme default: not found"
if screen_colors | grep -q "$(printf '\033')\[[0-9;]*3[0-9;]*m"; then
	pass "no themes: the built-in default draws in colour"
else
	fail "no themes: the built-in default draws in colour" "$(screen_colors | head -5)"
fi
send :
send -l "theme"
send Enter
wait_for ":theme lists the themes it finds" "themes: default, mono"
send :
send -l "theme light"
send Enter
wait_for "a missing theme is a warning" "theme light: not found"
send :
send -l "theme mono"
send Enter
wait_for "the built-in mono is there" "theme mono"
console_stop

CONSOLE_ENV="DLC_THEMES_DIR=$WORK/nothemes NO_COLOR=1" console_start 120 40
wait_for "no themes, NO_COLOR: the console starts" "environments 3/3"
console_stop
CONSOLE_ENV="DLC_THEMES_DIR=$WORK/nothemes" console_start 120 40 --theme mono
wait_for "no themes, --theme mono: the console starts" "environments 3/3"
console_stop

# A broken theme file is a warning too; :theme lists what the folder holds.
mkdir -p "$WORK/badthemes"
printf '[roles]\nnormal = purplish on nothing\n' >"$WORK/badthemes/default.ini"
cp "$SRCDIR/themes/light.ini" "$WORK/badthemes/"
CONSOLE_ENV="DLC_THEMES_DIR=$WORK/badthemes" console_start 120 40
wait_for "a broken theme: the console starts" "environments 3/3"
wait_for "a broken theme: the status line warns" "theme default: using the built-in default, the file is broken"
send :
send -l "theme"
send Enter
wait_for ":theme lists the folder's themes and the built-in ones" "themes: default, light, mono"
send :
send -l "theme light"
send Enter
wait_for "a theme from the folder loads" "theme light"
console_stop

# 5. At 60x15 the view's title stays: the filter and the log view's names.
console_start 60 15
wait_for "60x15: the environments view" "environments 3/3"
send /
send -l "san"
send Enter
wait_for "60x15: the environments' filter is shown" "environments 1/3   filter: san"
console_stop
console_start 60 15 -e alpha
wait_for "60x15: the functions view" "functions (alpha) 11/11"
send /
send -l "mambu-to"
send Enter
wait_for "60x15: the filter is shown" "filter: mambu-to"
send l
wait_for "60x15: the log view's title names the function" "logs (alpha) mambu-to-s3-raw"
console_stop

finish
