#!/bin/sh
# The functions view's health columns against fakeaws: ALARMS counts as
# the alarms say (following a SetAlarmState after a refresh), INVOCATIONS
# and ERRORS as 24 h sparklines in UTF-8 and in ASCII (LC_ALL=C), words
# that read with NO_COLOR, the columns a narrow screen keeps, an old
# remembered column choice, and ONE GetMetricData request per refresh for
# all the functions listed (from fakeaws's request log).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

REQS="$WORK/requests.jsonl"
start_fakeaws --log-requests "$REQS"
write_static_profiles
write_dlc_ini
# Only r refreshes until the auto-refresh part at the end.
sed -i 's/^\[dlc\]$/[dlc]\nrefresh = 3600/' "$DLC_CONFIG"
HEALTH="$SRCDIR/tests/e2e/healthcheck.py"

# ops NAME: how many requests of operation NAME fakeaws has answered alpha
# (the environments view may list sandbox's functions too).
ALPHA_KEY=$(seed_value key alpha)
# The aws CLI's own GetMetricData calls (CLI_GMD of them) are not dlc's.
CLI_GMD=0
ops() {
	n=$(grep "\"operation\": \"$1\"" "$REQS" 2>/dev/null | grep -c "\"access_key_id\": \"$ALPHA_KEY\"")
	[ "$1" = GetMetricData ] && n=$((n - CLI_GMD))
	echo "$n"
}
# wait_ops NAME N WHY: fakeaws logs a request after answering it, so wait
# for the Nth, then say whether there are exactly N.
wait_ops() {
	end=$(( $(date +%s) + 15 ))
	while [ "$(ops "$1")" -lt "$2" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.05; done
	expect_equal "$3" "$2" "$(ops "$1")"
}
# column TITLE: the column's cells on the screen, NAME<TAB>CELL a line, by name.
column() { screen >"$WORK/screen"; "$PYTHON3" "$HEALTH" cells "$WORK/screen" "$1" | sort; }
# expected_alarms: the ALARMS cells the alarms fakeaws holds call for.
expected_alarms() {
	aws_as alpha cloudwatch describe-alarms --alarm-types MetricAlarm CompositeAlarm \
		--output json >"$WORK/alarms.json"
	"$PYTHON3" "$HEALTH" expect "$WORK/ls.json" "$WORK/alarms.json" | sort
}
# alarms_match NAME: the ALARMS column says what the alarms do (polled: 10 s).
alarms_match() {
	want=$(expected_alarms)
	end=$(( $(date +%s) + 10 ))
	while [ "$(column ALARMS)" != "$want" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.1; done
	expect_equal "$1" "$want" "$(column ALARMS)"
}
# refresh NAME: r, and exactly one more ListFunctions and GetMetricData.
refresh() {
	l=$(ops ListFunctions) m=$(ops GetMetricData)
	send r
	wait_ops ListFunctions $((l + 1)) "$1: r lists the functions again"
	wait_ops GetMetricData $((m + 1)) "$1: r makes exactly one more GetMetricData request"
}
# sparks_match NAME ASCII: after an r, the INVOCATIONS and ERRORS cells
# agree with what the aws CLI's GetMetricData says of the same 24 hours
# (healthcheck.py spark says how); once more if an hour began meanwhile.
sparks_match() {
	for attempt in 1 2; do
		t0=$(date +%s)
		refresh "$1"
		set -- "$1" "$2" $("$PYTHON3" "$HEALTH" window "$t0")
		"$PYTHON3" "$HEALTH" queries "$WORK/ls.json" >"$WORK/queries.json"
		m=$(ops GetMetricData)
		aws_as alpha cloudwatch get-metric-data --metric-data-queries "file://$WORK/queries.json" \
			--start-time "$4" --end-time "$5" --output json >"$WORK/cli.json"
		# Counted once logged (after its answer), so dlc's count stays dlc's.
		end=$(( $(date +%s) + 10 ))
		while [ "$(ops GetMetricData)" -eq "$m" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.05; done
		CLI_GMD=$((CLI_GMD + 1))
		[ $((t0 / 3600)) -eq $(( $(date +%s) / 3600 )) ] && break
	done
	# The answer reaches the screen at the next frame: poll.
	end=$(( $(date +%s) + 10 ))
	while :; do
		screen >"$WORK/sparks"
		got=$("$PYTHON3" "$HEALTH" spark "$WORK/sparks" "$WORK/ls.json" "$WORK/cli.json" "$3" "$2")
		[ "$got" = ok ] || [ "$(date +%s)" -gt "$end" ] && break
		sleep 0.1
	done
	expect_equal "$1" ok "$got"
}

run "$DLC" ls -e alpha -o json
cp "$WORK/out" "$WORK/ls.json"
n_functions=$("$PYTHON3" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["Functions"]))' "$WORK/ls.json")
: >"$REQS"

# ---- UTF-8: counts, sparklines, one call ----
console_start 230 40 -e alpha
wait_for "the functions view opens" "functions (alpha) $n_functions/$n_functions"
h=$(screen | awk '/^FUNCTION/ { print; exit }' | tr -s ' ')
expect_contains "the health columns are shown, ALARMS first" "ALARMS INVOCATIONS ERRORS" "$h"
wait_gone "the alarms and metrics arrive" "…" 15
alarms_match "ALARMS counts each function's alarms by state, as fakeaws holds them"
expect_contains "a function with an alarm firing says so" "ALARM" "$(column ALARMS | cut -f2)"
wait_ops GetMetricData 1 "one GetMetricData request for the first list"
expect_equal "... after one ListFunctions" 1 "$(ops ListFunctions)"
sparks_match "INVOCATIONS and ERRORS: 24 h sparklines as CloudWatch has them, gaps blank, totals beside" 0

# ---- A state change, seen after r ----
aws_as alpha cloudwatch set-alarm-state --alarm-name datalake-alpha-mambu-to-s3-raw-errors \
	--state-value ALARM --state-reason "test: errors above the threshold" >/dev/null
refresh "after SetAlarmState"
alarms_match "after r, ALARMS follows SetAlarmState"
case $(column ALARMS | awk -F '\t' '$1 == "mambu-to-s3-raw" { print $2 }') in
*ALARM*) pass "mambu-to-s3-raw's errors alarm now counts as ALARM" ;;
*) fail "mambu-to-s3-raw's errors alarm now counts as ALARM" "$(column ALARMS)" ;;
esac
refresh "a second r"

# ---- Colour: the alarm cell coloured; the words carry it without ----
COLOUR="$(printf '\033')\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m"
if screen_colors | grep -Eq "${COLOUR}[0-9]+ ALARM"; then
	pass "the ALARM cell has its theme colour"
else
	fail "the ALARM cell has its theme colour" "$(screen_colors | grep ALARM | head -3)"
fi

# ---- Narrow screens: names whole at 120, ALARMS kept longest, then ERRORS ----
resize 120 30
wait_for "at 120 columns the view draws" "FUNCTION"
expect_equal "120 columns: every function's name is whole (columns hide first)" \
	"$("$PYTHON3" -c 'import json,sys
for f in json.load(open(sys.argv[1]))["Functions"]: print(f["LocalFunction"] or f["FunctionName"])' "$WORK/ls.json" | sort)" \
	"$(column ALARMS | cut -f1)"
resize 110 30
wait_for "at 110 columns the view draws" "FUNCTION"
h=$(screen | awk '/^FUNCTION/ { print; exit }')
expect_contains "110 columns keep ALARMS" "ALARMS" "$h"
expect_contains "110 columns keep ERRORS" "ERRORS" "$h"
expect_not_contains "110 columns drop INVOCATIONS first" "INVOCATIONS" "$h"
resize 60 20
wait_for "at 60 columns the view draws" "FUNCTION"
h=$(screen | awk '/^FUNCTION/ { print; exit }')
expect_contains "60 columns still show ALARMS" "ALARMS" "$h"
expect_not_contains "60 columns drop ERRORS" "ERRORS" "$h"
send :
send -l q
send Enter

# ---- ASCII (LC_ALL=C) and NO_COLOR ----
m=$(ops GetMetricData)
CONSOLE_ENV="LC_ALL=C NO_COLOR=1" console_start 230 40 -e alpha
wait_for "C locale: the functions view opens" "functions (alpha) $n_functions/$n_functions"
wait_ops GetMetricData $((m + 1)) "a new console makes one GetMetricData request"
screen >"$WORK/cap"
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$WORK/cap"; then
	fail "C locale: the sparklines are ASCII, no byte above 0x7f" "$(cat "$WORK/cap")"
else
	pass "C locale: the sparklines are ASCII, no byte above 0x7f"
fi
sparks_match "C locale: the sparklines in ASCII levels, as CloudWatch has them" 1
alarms_match "NO_COLOR: the ALARMS words are all there"
# 39 and 49 are "the default colour", which curses writes anyway.
if screen_colors | grep -Eq "$COLOUR"; then
	fail "NO_COLOR: no colour on the screen" "$(screen_colors | grep ALARM | head -3)"
else
	pass "NO_COLOR: no colour on the screen"
fi
send :
send -l q
send Enter

# ---- Not known yet: "…" until CloudWatch answers ----
# faults SPEC: fakeaws's faults for every request from now on.
faults() {
	"$PYTHON3" -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/_fakeaws/faults", method="POST",
    data=sys.argv[2].encode())).read()' "$ENDPOINT" "$1"
}
faults '{"spec": "stall=1.0", "stall_seconds": 3}'
console_start 230 40 -e alpha
wait_for "slow answers: the list shows" "functions (alpha) $n_functions/$n_functions" 30
# The metrics go out once the list is in, so they are 3 s away here.
expect_equal "slow answers: every INVOCATIONS cell says … until the metrics come" "…" \
	"$(column INVOCATIONS | cut -f2 | sort -u)"
faults '{"spec": ""}'
wait_gone "slow answers: then the sparklines replace it" "…" 20
send :
send -l q
send Enter

# ---- CloudWatch unreachable: the cells say so, the status line why ----
CONSOLE_ENV="AWS_ENDPOINT_URL_CLOUDWATCH=http://127.0.0.1:1" console_start 230 40 -e alpha
wait_for "no CloudWatch: the functions still list" "functions (alpha) $n_functions/$n_functions"
wait_gone "no CloudWatch: the calls give up" "…" 40
expect_equal "no CloudWatch: every ERRORS cell says failed" "failed" "$(column ERRORS | cut -f2 | sort -u)"
expect_equal "no CloudWatch: every ALARMS cell says failed" "failed" "$(column ALARMS | cut -f2 | sort -u)"
expect_contains "no CloudWatch: the status line says why" "(e: details)" "$(screen)"
send :
send -l q
send Enter

# ---- A column choice remembered before these columns existed ----
mkdir -p "$HOME/.local/state/dlc"
printf '[console]\nfunctions-columns = FUNCTION,MEMORY,STATE\n' >"$HOME/.local/state/dlc/console.ini"
console_start 160 40 -e alpha
wait_for "an old column choice: the view opens" "functions (alpha) $n_functions/$n_functions"
expect_equal "the old choice is kept as it was" "FUNCTION MEMORY STATE" \
	"$(screen | awk '/^FUNCTION/ { print; exit }' | sed 's/↑//' | tr -s ' ' | sed 's/ $//')"
send c
wait_for "the chooser offers ALARMS" "[ ] ALARMS"
wait_for "the chooser offers INVOCATIONS" "[ ] INVOCATIONS"
wait_for "the chooser offers ERRORS" "[ ] ERRORS"
send Escape
send :
send -l q
send Enter

# ---- Auto-refresh: one GetMetricData per completed list ----
rm -f "$HOME/.local/state/dlc/console.ini"
sed -i 's/^refresh = 3600$/refresh = 1/' "$DLC_CONFIG"
l0=$(ops ListFunctions) m0=$(ops GetMetricData)
console_start 160 40 -e alpha
wait_ops ListFunctions $((l0 + 4)) "auto-refresh lists the functions again and again"
# Between two refreshes the counts meet; two calls a refresh never would.
end=$(( $(date +%s) + 10 ))
while [ $(( $(ops GetMetricData) - m0 )) -ne $(( $(ops ListFunctions) - l0 )) ] && [ "$(date +%s)" -le "$end" ]; do
	sleep 0.05
done
expect_equal "one GetMetricData per list, auto-refresh too" \
	"$(( $(ops ListFunctions) - l0 ))" "$(( $(ops GetMetricData) - m0 ))"
send :
send -l q
send Enter

finish
