#!/bin/sh
# dlc ls against fakeaws: every function across pages (230 extra functions,
# so ListFunctions runs five pages), the mapping to local folders, special
# and deprecated marks, JSON with AWS's field names, and the same names as
# the Debian aws CLI lists from the same endpoint.
. "$(dirname "$0")/lib.sh"

start_fakeaws --extra-functions 230
write_static_profiles
write_dlc_ini

run "$DLC" ls -e alpha -o json
expect_status "ls -o json exits 0" 0
"$PYTHON3" - "$WORK/out" "$(seed_value count alpha 230)" >"$WORK/check" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
want = int(sys.argv[2])
fns = doc["Functions"]
names = [f["FunctionName"] for f in fns]
assert doc["Environment"] == "alpha", doc["Environment"]
assert len(fns) == want, "%d functions, wanted %d" % (len(fns), want)
assert len(set(names)) == len(names), "duplicates"
assert names == sorted(names), "not sorted by name"
by = {f["FunctionName"]: f for f in fns}
m = by["datalake-alpha-mambu-to-s3-raw"]
assert m["LocalFunction"] == "mambu-to-s3-raw" and m["Special"] is True, m
for k in ("Runtime", "MemorySize", "Timeout", "LastModified", "CodeSize", "CodeSha256", "State", "LastUpdateStatus"):
    assert k in m, k
q = by["datalake-alpha-quicksight-authors-datasets-to-s3-curated"]
assert q["LocalFunction"] == "quicksight-authors-datasets" and q["Special"] is False, q
s = by["datalake-alpha-salesforce-cases-to-s3-raw"]
assert s["Special"] is False
specials = sorted(f["LocalFunction"] for f in fns if f["Special"])
assert specials == ["dynamodb-datalake-reconciliation", "mambu-datalake-reconciliation", "mambu-to-s3-raw"], specials
unmapped = [f for f in fns if f["LocalFunction"] is None]
assert any(f["RuntimeDeprecated"] for f in unmapped), "no deprecated runtime marked"
print("ok")
PY
expect_equal "JSON lists every function once, mapped and marked" "ok" "$(cat "$WORK/check")"

# The Debian aws CLI is the independent oracle for the names.
if [ -x /usr/bin/aws ]; then
	AWS_ACCESS_KEY_ID=$(seed_value key alpha) AWS_SECRET_ACCESS_KEY=$(seed_value secret alpha) \
	AWS_DEFAULT_REGION=eu-west-1 /usr/bin/aws --endpoint-url "$ENDPOINT" lambda list-functions \
		--query 'Functions[].FunctionName' --output text 2>"$WORK/awserr" | tr '\t' '\n' | sort >"$WORK/aws-names"
	"$PYTHON3" -c 'import json,sys; print("\n".join(sorted(f["FunctionName"] for f in json.load(open(sys.argv[1]))["Functions"])))' "$WORK/out" >"$WORK/dlc-names"
	if cmp -s "$WORK/aws-names" "$WORK/dlc-names" && [ -s "$WORK/dlc-names" ]; then
		pass "dlc and the aws CLI list the same functions"
	else
		fail "dlc and the aws CLI list the same functions" "$(diff "$WORK/aws-names" "$WORK/dlc-names" | head -5)" "$(cat "$WORK/awserr")"
	fi
else
	echo "SKIP: /usr/bin/aws missing (install awscli); the oracle check did not run"
fi

run "$DLC" ls -e alpha
expect_status "ls text exits 0" 0
expect_contains "text has a header" "FUNCTION" "$OUT"
expect_contains "text maps local functions" "mambu-to-s3-raw [special]" "$OUT"
expect_contains "text marks deprecated runtimes" "(deprecated)" "$OUT"
expect_equal "text has a line per function" "$(( $(seed_value count alpha 230) + 1 ))" "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')"

run "$DLC" ls -e sandbox -o json
expect_status "sandbox lists too" 0
expect_contains "sandbox names map with its template" '"dynamo-customers-to-s3-raw"' "$OUT"
expect_not_contains "sandbox shows no alpha function" "datalake-alpha-" "$OUT"

# Credentials that reach another account than dlc.ini's account = are
# refused, not listed: a deploy would land in that account.
set_env_account alpha "$(seed_value account sandbox)"
run "$DLC" ls -e alpha
expect_status "ls refuses an environment whose credentials reach another account" 1
expect_contains "ls names the profile and both accounts" \
	"profile 'alpha' reaches account $(seed_value account alpha) but dlc.ini says $(seed_value account sandbox) for env alpha" "$ERR"
expect_contains "ls says what to fix" "fix the profile or account = in [env alpha]" "$ERR"
expect_not_contains "nothing of the other account is listed" "datalake-alpha-" "$OUT"
set_env_account alpha "$(seed_value account alpha)"
run "$DLC" ls -e alpha
expect_status "ls lists when account = is right" 0
expect_contains "the right account's functions are listed" "datalake-alpha-mambu-to-s3-raw" "$OUT"
set_env_account alpha ""

# Two environments in one account: each lists only its own functions and
# those no environment's template matches; --all lists all, each marked.
shared_account_seed
start_fakeaws --seed-dir "$WORK/shared-seed"
write_static_profiles
write_dlc_ini alpha alpha
run "$DLC" ls -e alpha
expect_status "shared account: alpha lists" 0
expect_contains "shared account: alpha lists its own" "datalake-alpha-mambu-to-s3-raw" "$OUT"
expect_not_contains "shared account: alpha does not list sandbox's" "datalake-sandbox-" "$OUT"
expect_contains "shared account: a function no template matches is listed, marked" "(unmatched)" \
	"$(printf '%s\n' "$OUT" | grep legacy-export-job)"
expect_equal "shared account: alpha's 7 and the unmatched one" 9 "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')"
run "$DLC" ls -e sandbox
expect_status "shared account: sandbox lists" 0
expect_contains "shared account: sandbox lists its own" "datalake-sandbox-mambu-to-s3-raw" "$OUT"
expect_not_contains "shared account: sandbox does not list alpha's" "datalake-alpha-" "$OUT"
expect_contains "shared account: sandbox maps its own to local folders" "mambu-to-s3-raw [special]" "$OUT"
run "$DLC" ls -e alpha --all
expect_status "shared account: --all lists" 0
expect_equal "shared account: --all lists both environments' and the unmatched" 16 "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')"
expect_contains "shared account: --all marks sandbox's" "(env sandbox)" \
	"$(printf '%s\n' "$OUT" | grep datalake-sandbox-mambu-to-s3-raw)"
run "$DLC" ls -e alpha --all -o json
"$PYTHON3" - "$WORK/out" >"$WORK/check" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["AllFunctions"] is True, doc["AllFunctions"]
by = {f["FunctionName"]: f for f in doc["Functions"]}
assert len(by) == 15, len(by)
assert by["legacy-export-job"]["MatchedEnvironment"] is None
assert by["datalake-alpha-mambu-to-s3-raw"]["MatchedEnvironment"] == "alpha"
assert by["datalake-sandbox-mambu-to-s3-raw"]["MatchedEnvironment"] == "sandbox"
assert by["datalake-sandbox-mambu-to-s3-raw"]["LocalFunction"] is None
print("ok")
PY
expect_equal "shared account: JSON says whose each function is" "ok" "$(cat "$WORK/check")"
run "$DLC" ls -e sandbox -o json
expect_equal "shared account: sandbox's JSON holds its 7 and the unmatched" 8 \
	"$("$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["AllFunctions"] is False; print(len(d["Functions"]))' "$WORK/out")"

# Environments whose account = differ never compete: sandbox-named
# functions in alpha's account are then no environment's.
write_dlc_ini alpha sandbox
set_env_account alpha "$(seed_value account alpha)"
set_env_account sandbox "$(seed_value account sandbox)"
run "$DLC" ls -e alpha
expect_status "accounts apart: alpha lists" 0
expect_contains "accounts apart: sandbox-named functions in alpha's account are unmatched" "(unmatched)" \
	"$(printf '%s\n' "$OUT" | grep datalake-sandbox-mambu-to-s3-raw)"
expect_equal "accounts apart: alpha lists all 15 with the header" 16 "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')"

finish
