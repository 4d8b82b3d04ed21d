#!/bin/sh
# dlc new end to end, in a copy of the repository's functions/: each source
# kind scaffolds a folder whose pytest tests pass as generated (on Debian's
# /usr/bin/python3) and fail once the code is broken, which dlc build
# builds and dlc scan finds clean; the Terraform has every block the team
# needs and terraform fmt's layout (tests/e2e/tfcheck.py, terraform is not
# in Debian); --write DIR, -o json; a bad name, an existing folder or .tf,
# a missing layer and a bad --source are refused before anything is written.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
REPO="$WORK/repo"
mkdir -p "$REPO/infra"
cp -R "$SRCDIR/functions" "$REPO/functions"
cat >"$REPO/dlc.ini" <<'INI'
[dlc]
functions = functions

[env alpha]
profile = alpha
region = eu-west-1
function-name = datalake-alpha-{function}
INI
cd "$REPO" || exit 1
export PYTHONDONTWRITEBYTECODE=1

# pytest_ok NAME: the function's generated tests, alone (each has its own modules).
pytest_ok() {
	(cd "functions/$1" && "$PY" -m pytest -q -p no:cacheprovider tests >"$WORK/pytest.out" 2>&1)
}

# tf_attr FILE BLOCK ATTR: the attribute's value in a top-level block, from tfcheck's JSON.
tf_attr() {
	"$PYTHON3" - "$1" "$2" "$3" <<'PY'
import json, sys
for b in json.load(open(sys.argv[1])):
    if b["block"] == sys.argv[2]:
        print(b["attrs"].get(sys.argv[3], "(no such attribute)"))
        break
else:
    print("(no such block)")
PY
}

for spec in dynamodb:orders-to-s3-raw kinesis:clicks schedule:cases-to-s3-raw; do
	src=${spec%%:*}
	name=${spec#*:}
	label=$(printf '%s' "$name" | tr - _)
	run "$DLC" new "$name" --source "$src"
	expect_status "$src: dlc new exits 0" 0
	cp "$WORK/out" "$WORK/$name.tf"
	expect_contains "$src: the summary goes to stderr" "functions/$name ($src): " "$ERR"
	expect_contains "$src: the layers found are used" "layers aws-wrangler, flattenjson" "$ERR"
	for f in function.ini README.md src/lambda_function.py src/config.py src/schema.py \
	    tests/conftest.py tests/test_lambda_function.py tests/test_config.py events/sample.json; do
		[ -f "functions/$name/$f" ] || fail "$src: $f written"
	done
	pass "$src: handler, config, schema, tests, manifest, README, sample event"
	expect_equal "$src: no hidden folder left" "" "$(ls -A functions | grep '^\.')"
	if pytest_ok "$name"; then pass "$src: the generated tests pass"; else
		fail "$src: the generated tests pass" "$(cat "$WORK/pytest.out")"
	fi
	expect_contains "$src: every test ran" "passed" "$(tail -1 "$WORK/pytest.out")"
	readme=$(cat "functions/$name/README.md")
	for q in "Deltas or full overwrite, and why?" "Tabular or parquet?" "Log group retention 14 days?" \
	    "Alarms?" "Log aggregation?" "Trigger?"; do
		expect_contains "$src: the README asks: $q" "$q" "$readme"
	done
	expect_not_contains "$src: no placeholder is left" "@" "$(grep -rh '@[A-Z_]*@' "functions/$name")"

	# The Terraform: fmt's layout, then every block the team's style has.
	if "$PYTHON3" "$SRCDIR/tests/e2e/tfcheck.py" "$WORK/$name.tf" >"$WORK/$name.json" 2>"$WORK/tfcheck.err"; then
		pass "$src: the Terraform is laid out as terraform fmt does"
	else
		fail "$src: the Terraform is laid out as terraform fmt does" "$(cat "$WORK/tfcheck.err")"
	fi
	j="$WORK/$name.json"
	expect_equal "$src: the lambda module" '"terraform-aws-modules/lambda/aws"' "$(tf_attr "$j" "module \"$label\"" source)"
	expect_equal "$src: its source_path" "\"\${var.functions_path}/$name/src\"" "$(tf_attr "$j" "module \"$label\"" source_path)"
	expect_equal "$src: its layers" "[data.aws_lambda_layer_version.${label}_aws_wrangler.arn, data.aws_lambda_layer_version.${label}_flattenjson.arn]" \
		"$(tf_attr "$j" "module \"$label\"" layers)"
	expect_equal "$src: an existing log group" "true" "$(tf_attr "$j" "module \"$label\"" use_existing_cloudwatch_log_group)"
	expect_equal "$src: no role of its own" "false" "$(tf_attr "$j" "module \"$label\"" create_role)"
	expect_equal "$src: the remote name through dlc.ini's template" "\"datalake-\${var.environment}-$name\"" \
		"$(tf_attr "$j" "module \"$label\"" function_name)"
	expect_equal "$src: the log group keeps 14 days" "14" \
		"$(tf_attr "$j" "resource \"aws_cloudwatch_log_group\" \"$label\"" retention_in_days)"
	expect_equal "$src: the log group is the function's" "\"/aws/lambda/datalake-\${var.environment}-$name\"" \
		"$(tf_attr "$j" "resource \"aws_cloudwatch_log_group\" \"$label\"" name)"
	for a in errors:Errors throttles:Throttles duration:Duration; do
		expect_equal "$src: the ${a%%:*} alarm" "\"${a#*:}\"" \
			"$(tf_attr "$j" "resource \"aws_cloudwatch_metric_alarm\" \"${label}_${a%%:*}\"" metric_name)"
	done
	expect_equal "$src: the log aggregation subscribes the log group" "aws_cloudwatch_log_group.$label.name" \
		"$(tf_attr "$j" "module \"${label}_log_aggregation\"" log_group_name)"
	if [ "$src" = schedule ]; then
		expect_equal "$src: an EventBridge rule" '"cron(15 3 * * ? *)"' \
			"$(tf_attr "$j" "resource \"aws_cloudwatch_event_rule\" \"$label\"" schedule_expression)"
		expect_equal "$src: its target is the function" "module.$label.lambda_function_arn" \
			"$(tf_attr "$j" "resource \"aws_cloudwatch_event_target\" \"$label\"" arn)"
		expect_equal "$src: EventBridge may invoke it" '"events.amazonaws.com"' \
			"$(tf_attr "$j" "resource \"aws_lambda_permission\" \"${label}_events\"" principal)"
		expect_not_contains "$src: no event source mapping" "aws_lambda_event_source_mapping" "$(cat "$WORK/$name.tf")"
	else
		expect_equal "$src: a Kinesis event source mapping" "var.${label}_stream_arn" \
			"$(tf_attr "$j" "resource \"aws_lambda_event_source_mapping\" \"$label\"" event_source_arn)"
		expect_not_contains "$src: no EventBridge rule" "aws_cloudwatch_event_rule" "$(cat "$WORK/$name.tf")"
	fi
done

# A broken scaffold fails its own tests: they check the code, not themselves.
sed -i 's/"amount": "double"/"amount": "bigint"/' functions/clicks/src/schema.py
if pytest_ok clicks; then fail "a wrong dtype in the schema fails the generated tests" "$(cat "$WORK/pytest.out")"; else
	pass "a wrong dtype in the schema fails the generated tests"
fi
sed -i 's/"amount": "bigint"/"amount": "double"/' functions/clicks/src/schema.py
sed -i 's/"append"))/"overwrite"))/' functions/cases-to-s3-raw/src/lake.py
if pytest_ok cases-to-s3-raw; then fail "a full overwrite instead of deltas fails the generated tests"; else
	pass "a full overwrite instead of deltas fails the generated tests"
fi
sed -i 's/"overwrite"))/"append"))/' functions/cases-to-s3-raw/src/lake.py

# dlc build builds them (with every other function), dlc scan finds them clean.
run "$DLC" build orders-to-s3-raw clicks cases-to-s3-raw
expect_status "dlc build builds the scaffolds" 0
for n in orders-to-s3-raw clicks cases-to-s3-raw; do
	"$PYTHON3" -m zipfile -l ".dlc/build/$n.zip" >"$WORK/zip.txt" 2>&1
	expect_equal "$n: the handler is at the zip's top" "1" "$(grep -c '^lambda_function.py ' "$WORK/zip.txt")"
	expect_not_contains "$n: the tests stay out of the zip" "test_" "$(cat "$WORK/zip.txt")"
done
# The other functions' builds run pip: the stand-in one (no package index here).
PATH="$SRCDIR/tests/e2e/standin/bin:$PATH" PYTHONPATH="$SRCDIR/tests/e2e/standin/py" run "$DLC" build --all
expect_status "dlc build --all with the scaffolds among the functions" 0
run "$DLC" scan orders-to-s3-raw clicks cases-to-s3-raw
expect_status "dlc scan finds the scaffolds clean" 0

# --write DIR: the same Terraform as a file; the summary on stdout.
run "$DLC" new refunds --source kinesis --write infra
expect_status "--write exits 0" 0
expect_contains "--write names the file" "wrote the Terraform to infra/refunds.tf" "$OUT"
expect_equal "--write writes what is printed" "$(sed 's/clicks/refunds/g' "$WORK/clicks.tf")" "$(cat infra/refunds.tf)"
run "$DLC" new refunds2 --source kinesis --write infra/missing
expect_status "--write to no folder fails" 1
expect_equal "--write to no folder writes no function" "" "$(ls -d functions/refunds2 2>/dev/null)"

# -o json.
run "$DLC" new payments --source schedule -d functions -o json
expect_status "-o json exits 0" 0
"$PYTHON3" - "$WORK/out" >"$WORK/check" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["Function"] == "payments" and d["Source"] == "schedule", d
assert d["Table"] == "payments" and d["Layers"] == ["aws-wrangler", "flattenjson"], d
assert "src/checkpoint.py" in d["Files"] and d["Files"] == sorted(d["Files"]), d["Files"]
assert d["TerraformFile"] is None, d
assert 'resource "aws_cloudwatch_event_rule" "payments"' in d["Terraform"], d["Terraform"][:200]
print("ok")
PY
expect_equal "-o json: the function, its files and the Terraform" "ok" "$(cat "$WORK/check")"

# Refusals, before anything is written.
printf '# kept as it is\n' >infra/hand-made.tf
before=$(ls -A functions infra | tr '\n' ' ')
run "$DLC" new clicks --source kinesis
expect_status "an existing folder is refused" 1
expect_contains "the existing folder is named" "functions/clicks is already there" "$ERR"
run "$DLC" new hand-made --source dynamodb --write infra
expect_status "an existing .tf is refused" 1
expect_contains "the existing .tf is named" "infra/hand-made.tf is already there" "$ERR"
for bad in "a.b" "../up" "with space" "_hidden" "$(printf 'x%.0s' $(seq 65))"; do
	run "$DLC" new "$bad" --source kinesis
	expect_status "the name '$bad' is refused" 1
	expect_contains "the name '$bad': Lambda's rule said" "BadName" "$ERR"
done
run "$DLC" new "$(printf 'y%.0s' $(seq 55))" --source kinesis
expect_status "a name too long once alpha's template applies is refused" 1
expect_contains "the environment is named" "in alpha" "$ERR"
run "$DLC" new fine --source sqs
expect_status "an unknown --source is a usage error" 2
expect_contains "the kinds are listed" "dynamodb, kinesis or schedule" "$ERR"
run "$DLC" new fine
expect_status "no --source is a usage error" 2
run "$DLC" new --source kinesis
expect_status "no name is a usage error" 2
mkdir "$WORK/empty"
run "$DLC" new fine --source kinesis --functions-dir "$WORK/empty"
expect_status "a functions folder without the layers is refused" 1
expect_contains "the missing layer is named" "aws-wrangler is no layer folder" "$ERR"
expect_equal "nothing was written by a refusal" "$before" "$(ls -A functions infra | tr '\n' ' ')"
expect_equal "nothing in the empty folder" "" "$(ls -A "$WORK/empty")"

finish
