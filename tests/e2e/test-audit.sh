#!/bin/sh
# dlc audit against fakeaws's seeded findings (tests/fakeaws/README.md
# "Audit facts"): every check passes for some function and fails for
# another (layers also warns for an old pin); JSON has one object per function and one per
# finding, each finding pinned by function, check and result; the drift
# check passes once the deployed code is the local build and fails when it
# is not; exit 0 for a clean function, 4 when something fails; the text
# table marks with ✔ / ✘ / ~ and falls back to ok / X / ~ without UTF-8;
# a hostile group name reaches the terminal sanitised.
. "$(dirname "$0")/lib.sh"

start_fakeaws --log-requests "$WORK/requests.jsonl"
write_static_profiles
write_dlc_ini
cp -r "$SRCDIR/functions" "$WORK/functions"
sed -i "s|^functions = .*|functions = $WORK/functions|" "$WORK/dlc.ini"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# --- the seeded account: what fails, for whom ---
run "$DLC" audit -e alpha -o json
expect_status "findings that fail: exit 4" 4
cp "$WORK/out" "$WORK/seeded.json"
"$PYTHON3" - "$WORK/seeded.json" >"$WORK/check" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
P = "datalake-alpha-"
fns = {f["FunctionName"]: f for f in d["Functions"]}
assert len(fns) == len(d["Functions"]) == 8, sorted(fns)
assert d["Fails"] is True and d["Unknown"] == [], d["Unknown"]
ok = dict(log_group="pass", retention="pass", alarms="pass",
          subscription="pass", trigger="pass", runtime="pass",
          layers="pass", drift="warn")   # nothing is built yet
want = {
    "dynamo-customers-to-s3-raw": {},
    "dynamodb-datalake-reconciliation": {},
    "mambu-to-s3-raw": {},
    "dynamo-sls-cards-to-s3-raw": dict(alarms="fail", trigger="fail",
                                       layers="warn"),
    "mambu-datalake-reconciliation": dict(layers="fail"),
    "quicksight-authors-datasets-to-s3-curated": dict(retention="fail",
                                                      trigger="fail"),
    "salesforce-cases-to-s3-raw": dict(retention="fail", alarms="fail",
                                       subscription="fail", layers="warn"),
}
for short, diff in want.items():
    got = fns[P + short]["Checks"]
    assert got == dict(ok, **diff), (short, got)
legacy = fns["legacy-export-job"]
assert legacy["LocalFunction"] is None, legacy
assert legacy["Checks"] == dict(log_group="fail", retention="n/a",
                                alarms="pass", subscription="n/a",
                                trigger="fail", runtime="fail",
                                layers="n/a", drift="n/a"), legacy
assert fns[P + "quicksight-authors-datasets-to-s3-curated"][
    "LocalFunction"] == "quicksight-authors-datasets"

# One object per finding: (function or subject, check, result), exactly.
got = sorted((f["FunctionName"] or f["Subject"], f["Check"], f["Result"])
             for f in d["Findings"])
fail, warn = "fail", "warn"
expect = sorted(
    [(P + s, "drift", warn) for s in want] +
    [(P + "dynamo-sls-cards-to-s3-raw", "alarms", fail),
     (P + "dynamo-sls-cards-to-s3-raw", "trigger", fail),
     (P + "dynamo-sls-cards-to-s3-raw", "layers", warn),
     (P + "mambu-datalake-reconciliation", "layers", fail),
     (P + "quicksight-authors-datasets-to-s3-curated", "retention", fail),
     (P + "quicksight-authors-datasets-to-s3-curated", "trigger", fail),
     (P + "salesforce-cases-to-s3-raw", "retention", fail),
     (P + "salesforce-cases-to-s3-raw", "alarms", fail),
     (P + "salesforce-cases-to-s3-raw", "subscription", fail),
     (P + "salesforce-cases-to-s3-raw", "layers", warn),
     ("legacy-export-job", "log group", fail),
     ("legacy-export-job", "trigger", fail),
     ("legacy-export-job", "runtime", fail),
     ("legacy-export-job", "orphan", warn),
     ("/aws/lambda/datalake-alpha-retired-importer", "orphan", warn)])
assert got == expect, "\n".join(map(str, sorted(set(got) ^ set(expect))))
for f in d["Findings"]:
    assert f["Severity"] in ("high", "medium", "low"), f
    assert f["Reason"] and "\n" not in f["Reason"], f
    assert f["Fix"], f
    n = fns.get(f["FunctionName"])
    assert f["FunctionName"] is None or n is not None, f
# Each function's count is its findings.
for name, fn in fns.items():
    assert fn["Findings"] == sum(f["FunctionName"] == name
                                 for f in d["Findings"]), name
orphan = [f for f in d["Findings"] if f["FunctionName"] is None][0]
assert orphan["Subject"] == "/aws/lambda/datalake-alpha-retired-importer"

def reason(fn, check):
    return [f["Reason"] for f in d["Findings"]
            if f["FunctionName"] == fn and f["Check"] == check][0]
# The reasons name what is wrong, as seeded.
assert "30 days" in reason(P + "salesforce-cases-to-s3-raw", "retention")
assert "throttles" in reason(P + "salesforce-cases-to-s3-raw", "alarms")
assert "no subscription filter" in reason(P + "salesforce-cases-to-s3-raw",
                                          "subscription")
assert "no retention" in reason(P + "quicksight-authors-datasets-to-s3-"
                                "curated", "retention")
# A folder with `name =` is fixed under the name Lambda knows, not the folder's.
fix = [f["Fix"] for f in d["Findings"] if f["FunctionName"] == P +
       "quicksight-authors-datasets-to-s3-curated" and
       f["Check"] == "retention"][0]
assert '/aws/lambda/datalake-${var.environment}-quicksight-authors-' \
    'datasets-to-s3-curated"' in fix, fix
r = reason(P + "quicksight-authors-datasets-to-s3-curated", "trigger")
assert "datalake-alpha-quicksight-authors-datasets-to-s3-curated-schedule" \
    in r and "DISABLED" in r, r
r = reason(P + "dynamo-sls-cards-to-s3-raw", "trigger")
assert "40fcecb2-69c6-44f7-b0ac-491232c81b5d" in r and "Disabled" in r, r
r = reason(P + "dynamo-sls-cards-to-s3-raw", "alarms")
assert "datalake-alpha-dynamo-sls-cards-to-s3-raw-duration" in r and \
    "actions disabled" in r, r
r = reason(P + "dynamo-sls-cards-to-s3-raw", "layers")
assert "aws-wrangler:2 (3 is out)" in r and "flattenjson:1 (2 is out)" in r
# Its manifest needs flattenjson, which Lambda lacks: a failure, and the pin too.
r = reason(P + "mambu-datalake-reconciliation", "layers")
assert "lacks the layers its manifest needs: flattenjson" in r and \
    "aws-wrangler:2 (3 is out)" in r, r
assert "python3.7" in reason("legacy-export-job", "runtime")
assert "/aws/lambda/legacy-export-job" in reason("legacy-export-job",
                                                 "log group")
print("ok")
PY
expect_equal "JSON: every function's checks and every finding as seeded" "ok" "$(cat "$WORK/check")"

# --- drift: built and deployed passes, built and different fails ---
run "$DLC" build dynamo-customers-to-s3-raw salesforce-cases-to-s3-raw
expect_status "the two functions build" 0
zip=$(find "$WORK" -path '*/build/dynamo-customers-to-s3-raw.zip' | head -1)
aws_as alpha lambda update-function-code --function-name datalake-alpha-dynamo-customers-to-s3-raw \
	--zip-file "fileb://$zip" >/dev/null 2>"$WORK/aws.err"
expect_equal "the aws CLI deployed the local build" "0" "$?"
i=0
while [ $i -lt 100 ]; do
	st=$(aws_as alpha lambda get-function-configuration --function-name datalake-alpha-dynamo-customers-to-s3-raw \
		--query LastUpdateStatus --output text)
	[ "$st" = Successful ] && break
	i=$((i + 1)); sleep 0.1
done
run "$DLC" audit -e alpha -o json
expect_status "still exit 4" 4
cp "$WORK/out" "$WORK/built.json"
"$PYTHON3" - "$WORK/seeded.json" "$WORK/built.json" >"$WORK/check" 2>&1 <<'PY'
import json, sys
seeded, built = (json.load(open(p)) for p in sys.argv[1:3])
fns = {f["FunctionName"]: f for f in built["Functions"]}
c = fns["datalake-alpha-dynamo-customers-to-s3-raw"]
assert c["Checks"]["drift"] == "pass" and c["Findings"] == 0, c
s = fns["datalake-alpha-salesforce-cases-to-s3-raw"]
assert s["Checks"]["drift"] == "fail", s
f = [f for f in built["Findings"] if f["Check"] == "drift" and
     f["FunctionName"] == "datalake-alpha-salesforce-cases-to-s3-raw"][0]
assert f["Result"] == "fail", f
# Every check passes for some function and does not for another.
for check in c["Checks"]:
    seen = {fn["Checks"][check] for d in (seeded, built)
            for fn in d["Functions"]}
    assert "pass" in seen and "fail" in seen, (check, seen)
print("ok")
PY
expect_equal "drift passes when deployed == built, fails when not; every check passes and fails" "ok" "$(cat "$WORK/check")"

# --- exit codes and the text table ---
run "$DLC" audit -e alpha dynamo-customers-to-s3-raw
expect_status "a clean function selected: exit 0" 0
row=$(printf '%s\n' "$OUT" | grep '^datalake-alpha-dynamo-customers-to-s3-raw ')
expect_equal "its row: eight ✔ and no findings" \
	"datalake-alpha-dynamo-customers-to-s3-raw dynamo-customers-to-s3-raw ✔ ✔ ✔ ✔ ✔ ✔ ✔ ✔ 0" \
	"$(printf '%s' "$row" | tr -s ' ')"
expect_equal "only the selected function" "2" "$(printf '%s\n' "$OUT" | grep -c .)"
run "$DLC" audit -e alpha salesforce-cases-to-s3-raw dynamo-customers-to-s3-raw
expect_status "a failing function among those selected: exit 4" 4
row=$(printf '%s\n' "$OUT" | grep '^datalake-alpha-salesforce-cases-to-s3-raw ')
expect_equal "✘ for what fails, ~ for a warning" \
	"datalake-alpha-salesforce-cases-to-s3-raw salesforce-cases-to-s3-raw ✔ ✘ ✘ ✘ ✔ ✔ ~ ✘ 5" \
	"$(printf '%s' "$row" | tr -s ' ')"
expect_contains "the findings follow the table" "✘ low     datalake-alpha-salesforce-cases-to-s3-raw  retention: log group /aws/lambda/datalake-alpha-salesforce-cases-to-s3-raw keeps logs 30 days, not 14" "$OUT"
expect_contains "each with its Terraform fix" "retention_in_days = 14" "$OUT"
run env LANG=C LC_ALL=C "$DLC" audit -e alpha salesforce-cases-to-s3-raw
expect_status "LANG=C: still exit 4" 4
row=$(printf '%s\n' "$OUT" | grep '^datalake-alpha-salesforce-cases-to-s3-raw ')
expect_equal "LANG=C: ok / X / ~" \
	"datalake-alpha-salesforce-cases-to-s3-raw salesforce-cases-to-s3-raw ok X X X ok ok ~ X 5" \
	"$(printf '%s' "$row" | tr -s ' ')"
expect_equal "LANG=C: no byte outside ASCII" "0" "$(printf '%s' "$OUT" | LC_ALL=C grep -c '[^ -~]')"
run "$DLC" audit -e alpha quicksight-authors-datasets-to-s3-curated
expect_status "a function named as its manifest's name = (as dlc logs takes it): exit 4" 4
expect_contains "its row" "datalake-alpha-quicksight-authors-datasets-to-s3-curated quicksight-authors-datasets" "$(printf '%s' "$OUT" | tr -s ' ')"
run "$DLC" audit -e alpha no-such-function
expect_status "an unknown function: exit 1" 1
expect_contains "and it is named" "no-such-function" "$ERR"

# --- hostile text: a group name with escape sequences (AWS refuses such
# names; dlc must not trust its endpoint to) ---
"$PYTHON3" -c 'import json,sys,urllib.request
g = "/aws/lambda/datalake-alpha-evil\x1b]0;owned\x07\x1b[2J\x1b[31mred"
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/logs/put", method="POST",
    data=json.dumps({"account": "alpha", "group": g, "stream": "s", "events": []}).encode())
urllib.request.urlopen(req).read()' "$ENDPOINT"
run "$DLC" audit -e alpha
expect_status "with the hostile orphan: exit 4" 4
expect_contains "the hostile group is listed as an orphan" "datalake-alpha-evil" "$OUT"
expect_equal "no ESC or BEL byte reaches the terminal" "0" "$(tr -d -c '\033\007' <"$WORK/out" | wc -c)"
expect_contains "they are shown as visible escapes instead" 'datalake-alpha-evil\x1b]0;owned\x07\x1b[2J\x1b[31mred' "$OUT"
run "$DLC" audit -e alpha -o json
"$PYTHON3" - "$WORK/out" >"$WORK/check" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = [f["Subject"] for f in d["Findings"] if f["Check"] == "orphan"]
assert "/aws/lambda/datalake-alpha-evil\x1b]0;owned\x07\x1b[2J\x1b[31mred" in names, names
print("ok")
PY
expect_equal "JSON keeps the name exactly (escaped as JSON)" "ok" "$(cat "$WORK/check")"

finish
