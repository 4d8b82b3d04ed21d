#!/bin/sh
# dlc layer against fakeaws: ls shows who pins which version and whether
# it is the newest; build compares and publishes nothing; publish makes a
# new version only when the CodeSha256 differs (checked with the Debian
# aws CLI), then moves the functions whose manifests list the layer
# (--move all|none without a terminal), keeping their other layers in
# order, through a ResourceConflictException, each verified; old versions
# stay; deny refuses; a dry run changes nothing.
. "$(dirname "$0")/lib.sh"

UPDATE_DELAY_MS=1200
. "$(dirname "$0")/lib-push.sh"

# The layers of a function, one "NAME:VERSION" per line, in order.
layers_of() {
	aws_as alpha lambda get-function-configuration --function-name "$1" \
		--query 'Layers[].Arn' --output text | tr '\t' '\n' | sed 's/.*:layer://'
}
LAYER=arn:aws:lambda:eu-west-1:$(seed_value account alpha):layer

# --- ls: who pins which version ---
run "$DLC" layer ls -e alpha -o json
expect_status "layer ls exits 0" 0
"$PYTHON3" - "$WORK/out" >"$WORK/check" 2>&1 <<'PY'
import json, sys
pins = json.load(open(sys.argv[1]))["Pins"]
by = {(p["FunctionName"], p["Layer"]): p for p in pins}
p = by[("datalake-alpha-dynamo-sls-cards-to-s3-raw", "datalake-alpha-flattenjson")]
assert p["Version"] == 1 and p["Newest"] == 2 and p["IsNewest"] is False, p
p = by[("datalake-alpha-dynamo-customers-to-s3-raw", "datalake-alpha-aws-wrangler")]
assert p["Version"] == 3 and p["IsNewest"] is True, p
assert p["Local"] == "dynamo-customers-to-s3-raw", p
print("ok")
PY
expect_equal "ls gives each pin, its version and the newest" "ok" "$(cat "$WORK/check")"
run "$DLC" layer ls -e alpha
expect_contains "text marks an old pin" "datalake-alpha-flattenjson   1        2 (newer exists)" "$OUT"

# --- build: packages and compares, publishes nothing ---
run "$DLC" layer build -e alpha flattenjson
expect_status "layer build exits 0" 0
expect_contains "build says it differs from the newest version" "flattenjson: built" "$OUT"
expect_contains "build says publish would make a new version" "differs: publish would make a new version" "$OUT"
expect_equal "build published nothing" "0" "$(count_op PublishLayerVersion)"

# --- deny refuses; a dry run changes nothing ---
sed -i '/^\[env alpha\]$/,/^\[/ s/^deploy = allow$/deploy = deny/' "$WORK/dlc.ini"
run "$DLC" layer publish -e alpha flattenjson --move all
expect_status "deny refuses a publish" 1
expect_contains "deny says why" "deploys to alpha are refused" "$ERR"
run "$DLC" layer publish -e alpha flattenjson --dry-run
expect_status "a dry run is allowed under deny" 0
expect_contains "the dry run says it would publish" "flattenjson: would publish" "$OUT"
expect_contains "the dry run names the functions it would ask about" \
	"dynamo-sls-cards-to-s3-raw: on $LAYER:datalake-alpha-flattenjson:1, would be asked to move to the new version" "$OUT"
expect_equal "nothing was published" "0" "$(count_op PublishLayerVersion)"
expect_equal "nothing was moved" "0" "$(count_op UpdateFunctionConfiguration)"
sed -i '/^\[env alpha\]$/,/^\[/ s/^deploy = deny$/deploy = allow/' "$WORK/dlc.ini"

# --- without a terminal, publish needs --move ---
run setsid -w "$DLC" layer publish -e alpha flattenjson </dev/null
expect_status "no terminal and no --move is a usage error" 2
expect_contains "it says to pass --move" "pass --move all or --move none" "$ERR"
expect_equal "and publishes nothing first" "0" "$(count_op PublishLayerVersion)"

# --- publish, moving none ---
run "$DLC" layer publish -e alpha flattenjson --move none -o json
expect_status "publish exits 0" 0
"$PYTHON3" - "$WORK/out" >"$WORK/check" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
l = d["Layers"][0]
assert l["Outcome"] == "deployed", l
assert l["LayerVersionArn"].endswith(":layer:datalake-alpha-flattenjson:3"), l
assert d["Moves"] == [], d["Moves"]
print(l["CodeSha256"])
PY
sha=$(cat "$WORK/check")
expect_equal "version 3 has the local CodeSha256" "$sha" \
	"$(aws_as alpha lambda get-layer-version --layer-name datalake-alpha-flattenjson --version-number 3 --query Content.CodeSha256 --output text)"
expect_equal "its compatible runtime is the manifest's" "python3.12" \
	"$(aws_as alpha lambda get-layer-version --layer-name datalake-alpha-flattenjson --version-number 3 --query 'CompatibleRuntimes[0]' --output text)"
expect_equal "--move none moved nothing" "datalake-alpha-aws-wrangler:2
datalake-alpha-flattenjson:1" "$(layers_of datalake-alpha-dynamo-sls-cards-to-s3-raw)"

# --- unchanged: nothing published ---
run "$DLC" layer publish -e alpha flattenjson --move none
expect_status "publishing an unchanged layer exits 0" 0
expect_contains "it says unchanged" "flattenjson: unchanged, the newest version $LAYER:datalake-alpha-flattenjson:3" "$OUT"
expect_equal "still one PublishLayerVersion" "1" "$(count_op PublishLayerVersion)"

# --- move all: other layers kept in order, a conflict waited out ---
knob datalake-alpha-dynamo-sls-cards-to-s3-raw '"conflict_next": 1'
run "$DLC" layer publish -e alpha flattenjson --move all
expect_status "moving exits 0" 0
expect_contains "dynamo-customers moved and verified" "dynamo-customers-to-s3-raw: moved to $LAYER:datalake-alpha-flattenjson:3, Layers verified" "$OUT"
expect_contains "dynamo-sls-cards moved and verified" "dynamo-sls-cards-to-s3-raw: moved to $LAYER:datalake-alpha-flattenjson:3, Layers verified" "$OUT"
expect_contains "the conflict was retried" "another update of datalake-alpha-dynamo-sls-cards-to-s3-raw is in progress: retry 1" "$ERR"
expect_contains "the move waited through InProgress" "LastUpdateStatus InProgress" "$ERR"
expect_contains "a function not using it in AWS is left" "mambu-datalake-reconciliation: does not use the layer in AWS: not moved" "$OUT"
expect_equal "the other layer kept its place" "datalake-alpha-aws-wrangler:2
datalake-alpha-flattenjson:3" "$(layers_of datalake-alpha-dynamo-sls-cards-to-s3-raw)"
expect_equal "a function outside the manifests' list is not moved" "datalake-alpha-aws-wrangler:3
datalake-alpha-flattenjson:1" "$(layers_of datalake-alpha-salesforce-cases-to-s3-raw)"
expect_equal "old versions are never deleted" "3 2 1" \
	"$(aws_as alpha lambda list-layer-versions --layer-name datalake-alpha-flattenjson --query 'LayerVersions[].Version' --output text | tr '\t' '\n' | sort -rn | tr '\n' ' ' | sed 's/ $//')"
run "$DLC" layer publish -e alpha flattenjson --move all
expect_contains "a second move finds them on it" "dynamo-sls-cards-to-s3-raw: already on the new version" "$OUT"
expect_equal "one UpdateFunctionConfiguration per function moved, plus the conflict" "3" "$(count_op UpdateFunctionConfiguration)"

# --- a changed layer makes version 4 ---
echo "# changed" >>"$(find "$WORK/functions/flattenjson" -name '*.py' | head -1)"
run "$DLC" layer publish -e alpha flattenjson --move none
expect_contains "a changed layer is published as version 4" "published $LAYER:datalake-alpha-flattenjson:4" "$OUT"

run "$DLC" layer publish -e alpha dynamo-customers-to-s3-raw --move none
expect_status "a function is not a layer" 1
expect_contains "it names the layer" "no layer 'dynamo-customers-to-s3-raw'" "$ERR"

finish
