#!/bin/sh
# dlc diff against fakeaws: all four states and their exit codes (functions
# and layers, a layer with no folder remote only too), runtime,
# handler and layer drift, a layer against its newest version, every
# function's zip built as dlc build builds it (build commands through the
# stand-in pip), a local edit seen as local changes and back in sync once
# dlc build's zip is uploaded with the Debian aws CLI (fakeaws computes
# CodeSha256 from the bytes),
# the deployed CodeSha256 as the aws CLI lists it, a name that is nowhere
# and a zip that cannot be made as errors (1).
. "$(dirname "$0")/lib.sh"

# The functions as a copy, so the test may edit them; a seed where:
#   salesforce-cases-to-s3-raw  deployed from this checkout    -> in sync
#   quicksight-authors-datasets same code, runtime python3.11  -> runtime drift
#   dynamo-sls-cards-to-s3-raw  same code, handler app.handler -> handler drift
#   mambu-to-s3-raw             seeded code, extra layer       -> local changes, layer drift
#   mambu-datalake-reconciliation  gone from alpha              -> not deployed
#   datalake-alpha-retired-job  no folder                       -> remote only
#   flattenjson                 newest version 3 is this one    -> in sync
#   aws-wrangler                newest version for 3.10/3.11    -> local changes, runtime drift
#   datalake-alpha-old-layer    no folder, versions 1 and 2     -> remote only (layer)
cp -r "$SRCDIR/functions" "$WORK/functions"
cp -r "$SRCDIR/tests/fakeaws/seed" "$WORK/seed"
# sha_of NAME: the CodeSha256 of NAME's zip as dlc build makes it (after
# the set-up below), which is what dlc push would send.
sha_of() {
	"$DLC" build "$1" -o json >"$WORK/build.json" 2>"$WORK/build.err" ||
		{ echo "building $1 failed:"; cat "$WORK/build.err"; exit 1; }
	"$PYTHON3" -c 'import json, sys; print(json.load(open(sys.argv[1]))["Builds"][0]["CodeSha256"])' "$WORK/build.json"
}
F="$WORK/functions"
# No package index here: the build branch's stand-in pip (its manifests keep the real commands).
STANDIN="$SRCDIR/tests/e2e/standin"
export PATH="$STANDIN/bin:$PATH"
export PYTHONPATH="$STANDIN/py"
write_dlc_ini
sed -i "s|^functions = .*|functions = $F|" "$WORK/dlc.ini"
SF=$(sha_of salesforce-cases-to-s3-raw)
QS=$(sha_of quicksight-authors-datasets)
SC=$(sha_of dynamo-sls-cards-to-s3-raw)
FJ=$(sha_of flattenjson)
"$PYTHON3" - "$WORK/seed/alpha.json" "$SF" "$QS" "$SC" "$FJ" <<'PY'
import copy, json, sys
path, sf, qs, sc, fj = sys.argv[1:]
d = json.load(open(path))
by = {f["Configuration"]["FunctionName"]: f for f in d["functions"]}
def cfg(name):
    return by["datalake-alpha-" + name]["Configuration"]
c = cfg("salesforce-cases-to-s3-raw")
c.update(CodeSha256=sf, Layers=[l for l in c["Layers"] if ":datalake-alpha-aws-wrangler:" in l["Arn"]])
c = cfg("quicksight-authors-datasets-to-s3-curated")
c.update(CodeSha256=qs, Layers=[], Runtime="python3.11")
c = cfg("dynamo-sls-cards-to-s3-raw"); c.update(CodeSha256=sc, Handler="app.handler")
d["functions"].remove(by["datalake-alpha-mambu-datalake-reconciliation"])
old = copy.deepcopy(by["datalake-alpha-salesforce-cases-to-s3-raw"])
old["Configuration"]["FunctionName"] = "datalake-alpha-retired-job"
old["Configuration"]["FunctionArn"] = old["Configuration"]["FunctionArn"].replace(
    "salesforce-cases-to-s3-raw", "retired-job")
d["functions"].append(old)
v = [l for l in d["layer_versions"] if l["LayerName"] == "datalake-alpha-flattenjson"]
new = copy.deepcopy(max(v, key=lambda l: l["Version"]))
new["Version"] += 1
new["LayerVersionArn"] = new["LayerArn"] + ":%d" % new["Version"]
new["Content"]["CodeSha256"] = fj
d["layer_versions"].append(new)
w = max((l for l in d["layer_versions"] if l["LayerName"] == "datalake-alpha-aws-wrangler"),
        key=lambda l: l["Version"])
w["CompatibleRuntimes"] = ["python3.10", "python3.11"]
for n in (1, 2):
    gone = copy.deepcopy(w)
    gone.update(LayerName="datalake-alpha-old-layer", Version=n,
                LayerArn=w["LayerArn"].replace("aws-wrangler", "old-layer"))
    gone["LayerVersionArn"] = gone["LayerArn"] + ":%d" % n
    gone["Content"] = {"CodeSha256": "b2xkIGxheWVyIHZlcnNpb24gJWQ=%d" % n, "CodeSize": 10}
    d["layer_versions"].append(gone)
json.dump(d, open(path, "w"))
PY
start_fakeaws --seed-dir "$WORK/seed" --update-delay-ms 0
write_static_profiles

run "$DLC" diff -e alpha -o json
expect_status "diff without --exit-code exits 0 when things differ" 0
expect_contains "a build that runs is said on stderr" "dlc diff: building mambu-to-s3-raw" "$ERR"
expect_not_contains "one built before is not built again" "building salesforce-cases-to-s3-raw" "$ERR"
"$PYTHON3" - "$WORK/out" "$SF" "$FJ" >"$WORK/check" 2>&1 <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list), "not a list"
by = {(r["LocalFunction"] or r.get("FunctionName") or r.get("LayerName")): r for r in rows}
def state(n): return by[n]["State"]
def drift(n): return {d["Field"]: (d["Manifest"], d["Deployed"]) for d in by[n]["ConfigDrift"]}
assert state("salesforce-cases-to-s3-raw") == "in sync", by["salesforce-cases-to-s3-raw"]
assert by["salesforce-cases-to-s3-raw"]["Differs"] is False
assert by["salesforce-cases-to-s3-raw"]["LocalCodeSha256"] == sys.argv[2]
assert state("quicksight-authors-datasets") == "in sync"
assert by["quicksight-authors-datasets"]["FunctionName"] == "datalake-alpha-quicksight-authors-datasets-to-s3-curated"
assert drift("quicksight-authors-datasets") == {"Runtime": ("python3.12", "python3.11")}, drift("quicksight-authors-datasets")
assert by["quicksight-authors-datasets"]["Differs"] is True
assert drift("dynamo-sls-cards-to-s3-raw")["Handler"] == ("lambda_function.lambda_handler", "app.handler")
assert state("mambu-to-s3-raw") == "local changes"
assert drift("mambu-to-s3-raw") == {"Layers": ("aws-wrangler", "aws-wrangler:3 flattenjson:2")}, drift("mambu-to-s3-raw")
assert by["mambu-to-s3-raw"]["Layers"] == "aws-wrangler:3 flattenjson:2"
assert state("mambu-datalake-reconciliation") == "not deployed"
assert by["mambu-datalake-reconciliation"]["DeployedCodeSha256"] is None
assert state("datalake-alpha-retired-job") == "remote only"
assert by["datalake-alpha-retired-job"]["LocalFunction"] is None
assert state("flattenjson") == "in sync" and by["flattenjson"]["LayerVersion"] == 3, by["flattenjson"]
assert by["flattenjson"]["DeployedCodeSha256"] == sys.argv[3]
assert state("aws-wrangler") == "local changes" and by["aws-wrangler"]["LayerVersion"] == 3
assert drift("aws-wrangler") == {"Runtime": ("python3.12", "python3.10 python3.11")}, drift("aws-wrangler")
assert drift("flattenjson") == {}, drift("flattenjson")
ol = by["datalake-alpha-old-layer"]
assert ol["Kind"] == "layer" and ol["State"] == "remote only" and ol["LayerVersion"] == 2, ol
assert ol["DeployedCodeSha256"] == "b2xkIGxheWVyIHZlcnNpb24gJWQ=2", ol
# Another environment's functions and unmatched ones are not alpha's.
assert "legacy-export-job" not in by, "an unmatched function was diffed"
print("ok")
PY
expect_equal "JSON: every state, runtime/handler/layer drift, layers by newest version" "ok" "$(cat "$WORK/check")"

# The deployed side is what AWS lists: the aws CLI is the oracle.
if [ -x /usr/bin/aws ]; then
	AWS_DEFAULT_REGION=eu-west-1 /usr/bin/aws --endpoint-url "$ENDPOINT" --profile alpha \
		lambda get-function-configuration --function-name datalake-alpha-mambu-to-s3-raw \
		--query CodeSha256 --output text >"$WORK/awssha" 2>&1
	expect_contains "DeployedCodeSha256 is what aws lambda reports" \
		"\"DeployedCodeSha256\":	\"$(cat "$WORK/awssha")\"" "$OUT"
else
	echo "SKIP: /usr/bin/aws missing (install awscli); the oracle checks did not run"
fi

run "$DLC" diff -e alpha --exit-code
expect_status "--exit-code: 2 when anything differs" 2
expect_equal "nothing changed: nothing built again" "" "$ERR"
expect_contains "text: a table" "FUNCTION" "$OUT"
expect_contains "text: in sync row" "salesforce-cases-to-s3-raw" "$(printf '%s\n' "$OUT" | grep 'in sync')"
expect_contains "text: runtime drift said" "runtime python3.11 (manifest python3.12)" "$OUT"
expect_contains "text: not deployed" "not deployed" "$(printf '%s\n' "$OUT" | grep mambu-datalake-reconciliation)"
expect_contains "text: remote only" "remote only" "$(printf '%s\n' "$OUT" | grep retired-job)"

run "$DLC" diff -e alpha salesforce-cases-to-s3-raw flattenjson --exit-code
expect_status "--exit-code: 0 when what is named is in sync" 0
expect_equal "only what is named" "3" "$(printf '%s\n' "$OUT" | wc -l)"
run "$DLC" diff -e alpha quicksight-authors-datasets --exit-code
expect_status "--exit-code: runtime drift alone differs" 2
run "$DLC" diff -e alpha mambu-datalake-reconciliation --exit-code
expect_status "--exit-code: not deployed differs" 2
run "$DLC" diff -e alpha retired-job --exit-code
expect_status "--exit-code: remote only differs (named through the template)" 2
expect_contains "remote only named" "remote only" "$OUT"
run "$DLC" diff -e alpha old-layer --exit-code
expect_status "--exit-code: a remote-only layer differs" 2
expect_contains "a remote-only layer, named through the template" "remote only" "$(printf '%s\n' "$OUT" | grep datalake-alpha-old-layer)"
run "$DLC" diff -e alpha legacy-export-job -o json
expect_status "an unmatched function, named, is diffed" 0
expect_contains "unmatched named: remote only" '"State":	"remote only"' "$OUT"

# A local edit is local changes; uploading its zip brings it back in sync.
echo "# edited" >>"$F/salesforce-cases-to-s3-raw/src/lambda_function.py"
run "$DLC" diff -e alpha salesforce-cases-to-s3-raw --exit-code
expect_status "an edited function differs" 2
expect_contains "an edit is local changes" "local changes" "$OUT"
if [ -x /usr/bin/aws ]; then
	NEW=$(sha_of salesforce-cases-to-s3-raw)
	AWS_DEFAULT_REGION=eu-west-1 /usr/bin/aws --endpoint-url "$ENDPOINT" --profile alpha \
		lambda update-function-code --function-name datalake-alpha-salesforce-cases-to-s3-raw \
		--zip-file "fileb://$WORK/.dlc/build/salesforce-cases-to-s3-raw.zip" --query CodeSha256 --output text >"$WORK/upsha" 2>&1
	expect_equal "aws lambda update-function-code took the zip" "$NEW" "$(cat "$WORK/upsha")"
	run "$DLC" diff -e alpha salesforce-cases-to-s3-raw --exit-code
	expect_status "uploaded: in sync again" 0
	expect_contains "uploaded: says in sync" "in sync" "$OUT"
fi

run "$DLC" diff -e alpha no-such-thing
expect_status "a name that is nowhere fails" 1
expect_contains "the name is said with the fix" "'no-such-thing' is neither a folder" "$ERR"
expect_contains "the fix" "dlc ls -e alpha" "$ERR"

rm -rf "$F/dynamo-customers-to-s3-raw/src"
run "$DLC" diff -e alpha dynamo-customers-to-s3-raw --exit-code
expect_status "a zip that cannot be made is an error (1), also with --exit-code" 1
expect_contains "the error names the function" "dynamo-customers-to-s3-raw" "$ERR"
expect_contains "its state is unknown" "unknown" "$OUT"

run "$DLC" diff
expect_status "no -e is a usage error" 2
finish
