#!/bin/sh
# dlc envs against fakeaws: accounts from GetCallerIdentity, credential
# states, and the AWS error text verbatim (with exit 1 from ls) when a
# secret is wrong. envs lists every environment and exits 1 when one of
# them is not ok, so scripts can check it.
. "$(dirname "$0")/lib.sh"

start_fakeaws
write_static_profiles
write_dlc_ini

run "$DLC" envs
expect_status "envs exits 0" 0
expect_contains "alpha's account" "$(seed_value account alpha)" "$OUT"
expect_contains "sandbox's account" "$(seed_value account sandbox)" "$OUT"
expect_contains "deploy policy shown" "confirm" "$OUT"

run "$DLC" envs -o json
expect_status "envs -o json exits 0" 0
"$PYTHON3" - "$WORK/out" "$(seed_value account alpha)" >"$WORK/check" 2>&1 <<'PY'
import json, sys
envs = {e["Name"]: e for e in json.load(open(sys.argv[1]))["Environments"]}
a = envs["alpha"]
assert a["Account"] == sys.argv[2], a
assert a["CredentialState"] == "ok", a
assert a["Region"] == "eu-west-1" and a["Profile"] == "alpha" and a["Deploy"] == "allow", a
assert envs["sandbox"]["Deploy"] == "confirm"
print("ok")
PY
expect_equal "envs JSON has account, state, region, policy" "ok" "$(cat "$WORK/check")"

# Credentials that reach another account than account =: error, exit 1.
set_env_account sandbox "$(seed_value account alpha)"
run "$DLC" envs
expect_status "envs exits 1 when an environment reaches another account" 1
expect_contains "envs names the profile and both accounts" \
	"profile 'sandbox' reaches account $(seed_value account sandbox) but dlc.ini says $(seed_value account alpha) for env sandbox" "$ERR"
set_env_account sandbox ""

# A wrong secret: AWS's own error code and message, and the fix.
sed -i 's/^\(aws_secret_access_key = \).*/\1wrongwrongwrong/' "$AWS_SHARED_CREDENTIALS_FILE"
run "$DLC" ls -e alpha
expect_status "a wrong secret fails ls with 1" 1
expect_contains "the AWS error code is shown" "InvalidSignatureException" "$ERR"
expect_contains "the AWS message is shown verbatim" "The request signature we calculated does not match the signature you provided" "$ERR"
expect_contains "the request id is shown" "request id" "$ERR"
expect_contains "the fix names the profile" "profile 'alpha'" "$ERR"

run "$DLC" envs -o json
expect_status "envs lists with a bad secret, and exits 1" 1
expect_contains "envs reports the error state" '"CredentialState":"error"' "$(squash "$OUT")"
expect_contains "envs carries STS's code" "SignatureDoesNotMatch" "$OUT"

# A profile that does not exist: missing, with what to do.
write_static_profiles
write_dlc_ini alpha nosuchprofile
run "$DLC" envs
expect_status "envs with a missing profile exits 1" 1
expect_contains "missing state shown" "missing" "$OUT"
expect_contains "the fix is printed" "nosuchprofile" "$ERR"
expect_contains "the environments that are fine are still listed" "$(seed_value account alpha)" "$OUT"

finish
