#!/bin/sh
# dlc alarms against fakeaws: every alarm across several pages (fakeaws's
# page size capped at 5), the same alarms the Debian aws CLI lists; alarms
# that name their function only through the FunctionName dimension or only
# by name; the composite alarm; ALARM first; JSON with AWS's field names
# plus LocalFunction; exit 3 with an alarm in ALARM, 0 without (--state OK,
# a selection in sandbox); --watch exiting 3 when SetAlarmState flips an
# alarm (signed, through the aws CLI) and 0 on Ctrl-C; the hostile
# StateReason inert in text and JSON; errors that say the cause and fix.
. "$(dirname "$0")/lib.sh"

start_fakeaws --log-requests "$WORK/requests.log"
write_static_profiles
write_dlc_ini

knob_alarms() {
	"$PYTHON3" - "$ENDPOINT" "$1" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/cloudwatch/alarms",
                             data=sys.argv[2].encode(), method="POST")
print(urllib.request.urlopen(req).read().decode())
PY
}

# One page holds at most 5 alarms: alpha's 26 take six pages.
knob_alarms '{"account": "alpha", "page_size_cap": 5}' >/dev/null

run "$DLC" alarms -e alpha -o json
expect_status "alarms in ALARM: exit 3" 3
aws_as alpha cloudwatch describe-alarms --alarm-types CompositeAlarm MetricAlarm \
	--query '[MetricAlarms[].AlarmName, CompositeAlarms[].AlarmName][]' --output json >"$WORK/aws.json" 2>&1
"$PYTHON3" - "$WORK/out" "$WORK/aws.json" "$WORK/requests.log" >"$WORK/check" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
want = sorted(json.load(open(sys.argv[2])))
alarms = doc["Alarms"]
names = [a["AlarmName"] for a in alarms]
assert doc["Environment"] == "alpha", doc
assert sorted(names) == want, (sorted(names), want)
assert len(set(names)) == len(names), "duplicates"
pages = [json.loads(l) for l in open(sys.argv[3])]
pages = [p for p in pages if p.get("operation") == "DescribeAlarms"]
assert len(pages) >= 6, "%d DescribeAlarms calls" % len(pages)
rank = {"ALARM": 0, "INSUFFICIENT_DATA": 1, "OK": 2}
keys = [(rank[a["StateValue"]], a["AlarmName"]) for a in alarms]
assert keys == sorted(keys), "not ALARM first, then by name"
assert doc["InAlarm"] == sum(a["StateValue"] == "ALARM" for a in alarms) >= 2
by = {a["AlarmName"]: a for a in alarms}
# Named only by its dimension.
a = by["lambda-errors-7f3a"]
assert a["LocalFunction"] == "dynamodb-datalake-reconciliation", a
assert a["Function"] == "datalake-alpha-dynamodb-datalake-reconciliation", a
# Named only by its name.
a = by["datalake-alpha-mambu-to-s3-raw-freshness"]
assert not any(d["Name"] == "FunctionName" for d in a["Dimensions"]), a
assert a["LocalFunction"] == "mambu-to-s3-raw", a
# A function only AWS has: its remote name, no local folder.
assert by["legacy-export-job-errors"]["LocalFunction"] is None
assert by["legacy-export-job-errors"]["Function"] == "legacy-export-job"
c = by["datalake-alpha-pipeline-health"]
assert c["AlarmType"] == "CompositeAlarm" and "ALARM(" in c["AlarmRule"], c
assert "MetricName" not in c and c["LocalFunction"] is None, c
m = by["datalake-alpha-mambu-to-s3-raw-errors"]
for k in ("AlarmName", "AlarmArn", "StateValue", "StateReason", "StateUpdatedTimestamp",
          "StateTransitionedTimestamp", "MetricName", "Namespace", "Statistic", "Dimensions",
          "Threshold", "ComparisonOperator", "EvaluationPeriods", "DatapointsToAlarm",
          "Period", "ActionsEnabled", "LocalFunction", "Condition"):
    assert k in m, k
assert m["Namespace"] == "AWS/Lambda" and m["Period"] == 300, m
assert m["Dimensions"] == [{"Name": "FunctionName", "Value": "datalake-alpha-mambu-to-s3-raw"}], m
assert m["LocalFunction"] == "mambu-to-s3-raw"
assert by["datalake-alpha-dynamo-sls-cards-to-s3-raw-duration"]["ActionsEnabled"] is False
assert {a["StateValue"] for a in alarms} == {"ALARM", "INSUFFICIENT_DATA", "OK"}
print("ok")
PY
expect_equal "JSON: every alarm over six pages, as the aws CLI lists them, sorted, matched, AWS's fields" \
	"ok" "$(cat "$WORK/check")"
# The hostile reason: escaped in JSON, never raw C1 or bidi controls.
if grep -q "$(printf '\302\233')" "$WORK/out" || grep -q "$(printf '\342\200\256')" "$WORK/out" ||
	! grep -q 'u009b' "$WORK/out"; then
	fail "JSON escapes the hostile StateReason"
else
	pass "JSON escapes the hostile StateReason"
fi

run "$DLC" alarms -e alpha
expect_status "text: exit 3" 3
line=$(printf '%s\n' "$OUT" | grep '^!! ALARM  *datalake-alpha-mambu-datalake-reconciliation-errors ')
case "$line" in
*mambu-datalake-reconciliation*"Errors > 0 for 1 of 1 x 5 min"*) pass "text: state mark, function, condition in words" ;;
*) fail "text: state mark, function, condition in words" "$OUT" ;;
esac
first=$(printf '%s\n' "$OUT" | sed -n 2p)
case "$first" in
'!! ALARM'*) pass "text: ALARM rows first" ;;
*) fail "text: ALARM rows first" "$first" ;;
esac
if printf '%s\n' "$OUT" | grep -q '^?? INSUFFICIENT_DATA' && printf '%s\n' "$OUT" | grep -q '^ok OK .*OFF$'; then
	pass "text: INSUFFICIENT_DATA and OK marks, actions off shown"
else
	fail "text: INSUFFICIENT_DATA and OK marks, actions off shown" "$OUT"
fi
if grep -q "$(printf '\302\233')" "$WORK/out" || grep -q "$(printf '\342\200\256')" "$WORK/out" ||
	grep -q "$(printf '\033')" "$WORK/out"; then
	fail "text: the hostile reason is inert" "$(grep freshness "$WORK/out" | od -c | head -5)"
elif grep -q '^datalake-alpha-mambu-to-s3-raw-freshness: Threshold Crossed' "$WORK/out"; then
	pass "text: the hostile reason is inert"
else
	fail "text: the hostile reason is shown" "$OUT"
fi

run "$DLC" alarms -e alpha --state OK
expect_status "--state OK: nothing selected in ALARM, exit 0" 0
if printf '%s\n' "$OUT" | sed 1d | grep -qv '^ok OK '; then
	fail "--state OK shows only OK alarms" "$OUT"
else
	pass "--state OK shows only OK alarms"
fi
run "$DLC" alarms -e alpha --state INSUFFICIENT_DATA -o json
expect_status "--state INSUFFICIENT_DATA: exit 0" 0
run "$DLC" alarms -e sandbox mambu-to-s3-raw datalake-sandbox-salesforce-cases-to-s3-raw
expect_status "sandbox, a selection with nothing in ALARM: exit 0" 0
n=$(printf '%s\n' "$OUT" | grep -c '^ok OK ')
expect_equal "the selection: three alarms of each function, by local or remote name" 6 "$n"
run "$DLC" alarms -e sandbox
expect_status "sandbox, its one alarm in ALARM: exit 3" 3
run "$DLC" alarms -e sandbox dynamo-sls-cards-to-s3-raw -o json
expect_status "a selected function's alarm in ALARM: exit 3" 3
run "$DLC" alarms -e alpha --state FIRING
expect_status "a bad --state: usage, exit 2" 2
run "$DLC" alarms
expect_status "no -e: usage, exit 2" 2

# --watch: nothing exits before a transition; SetAlarmState (signed, aws CLI) flips one.
"$DLC" alarms -e alpha mambu-to-s3-raw --watch --interval 1 >"$WORK/watch.out" 2>"$WORK/watch.err" &
WATCH=$!
i=0
while ! grep -q freshness "$WORK/watch.out" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
sleep 2.5
if kill -0 $WATCH 2>/dev/null; then
	pass "--watch keeps running with an alarm already in ALARM"
else
	fail "--watch keeps running with an alarm already in ALARM" "$(cat "$WORK/watch.out" "$WORK/watch.err")"
fi
aws_as alpha cloudwatch set-alarm-state --alarm-name datalake-alpha-mambu-to-s3-raw-errors \
	--state-value ALARM --state-reason "Threshold Crossed: flipped by test-alarms" >/dev/null
i=0
while kill -0 $WATCH 2>/dev/null && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
if kill -0 $WATCH 2>/dev/null; then
	kill $WATCH
	fail "--watch exits on the transition" "$(cat "$WORK/watch.out" "$WORK/watch.err")"
fi
wait $WATCH
expect_equal "--watch exits 3 on the first transition into ALARM" 3 "$?"
if grep -q '!! datalake-alpha-mambu-to-s3-raw-errors: OK -> ALARM  (mambu-to-s3-raw)  Threshold Crossed: flipped by test-alarms' "$WORK/watch.out"; then
	pass "--watch prints the transition with its function and reason"
else
	fail "--watch prints the transition with its function and reason" "$(cat "$WORK/watch.out")"
fi

# Ctrl-C ends a watch cleanly.
"$DLC" alarms -e sandbox --watch --interval 1 -o json >"$WORK/watch2.out" 2>"$WORK/watch2.err" &
WATCH=$!
i=0
while ! grep -q '"InAlarm"' "$WORK/watch2.out" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $WATCH
wait $WATCH
expect_equal "--watch: Ctrl-C exits 0" 0 "$?"
expect_equal "--watch: nothing on stderr after Ctrl-C" "" "$(cat "$WORK/watch2.err")"

# A long function list: the alarms answer long before the list's last
# page. dlc alarms asks each once, side by side, and waits for both; it
# used to take the list's end as the cue to ask the alarms again and then
# stop waiting, saying "DescribeAlarms never answered".
"$PYTHON3" -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/_fakeaws/lambda/scale", method="POST",
    data=b"{\"account\": \"sandbox\", \"count\": 1500, \"alarms\": false}")).read()' "$ENDPOINT"
run "$DLC" alarms -e sandbox -o json
expect_status "a 1,500-function list slower than the alarms: still exit 3" 3
expect_contains "and the alarm in ALARM is there" "datalake-sandbox-dynamo-sls-cards-to-s3-raw-errors" "$OUT"

# Errors say what failed, why and what to do.
cat >>"$AWS_SHARED_CREDENTIALS_FILE" <<CRED

[badkeys]
aws_access_key_id = $(seed_value key alpha)
aws_secret_access_key = not-the-secret
CRED
cat >>"$AWS_CONFIG_FILE" <<CFG

[profile badkeys]
region = eu-west-1
endpoint_url = $ENDPOINT
CFG
sed -i 's/^profile = alpha$/profile = badkeys/' "$WORK/dlc.ini"
run "$DLC" alarms -e alpha
expect_status "bad keys: exit 1" 1
case "$ERR" in
*"DescribeAlarms (alpha)"*SignatureDoesNotMatch*) pass "bad keys: the error names the call and cause" ;;
*) fail "bad keys: the error names the call and cause" "$ERR" ;;
esac
if [ "$(printf '%s\n' "$ERR" | wc -l)" -ge 2 ]; then
	pass "bad keys: a fix is offered"
else
	fail "bad keys: a fix is offered" "$ERR"
fi

finish
