#!/bin/sh
# Every credential source, end to end against fakeaws: environment
# variables, static keys (test-envs.sh), credential_process, assume-role,
# and SSO: dlc login's device flow, the shared token cache, a refresh with
# the refresh token, and an expired login that says what to run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

start_fakeaws --sso-approve-after 1 --log-requests "$WORK/requests.jsonl"
write_static_profiles
alpha_account=$(seed_value account alpha)

# 1. Environment variables, for an environment that names no profile.
cat >"$WORK/env.ini" <<INI
[env alpha]
region = eu-west-1
function-name = datalake-alpha-{function}
INI
run env DLC_CONFIG="$WORK/env.ini" AWS_ENDPOINT_URL="$ENDPOINT" \
	AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)" \
	"$DLC" envs -o json
expect_status "env keys: envs exits 0" 0
expect_contains "env keys reach alpha's account" "\"Account\":\"$alpha_account\"" "$(squash "$OUT")"
run env DLC_CONFIG="$WORK/env.ini" AWS_ENDPOINT_URL="$ENDPOINT" \
	AWS_ACCESS_KEY_ID="$(seed_value key alpha)" AWS_SECRET_ACCESS_KEY="$(seed_value secret alpha)" \
	"$DLC" ls -e alpha
expect_status "env keys: ls exits 0" 0
expect_contains "env keys: ls lists alpha" "datalake-alpha-mambu-to-s3-raw" "$OUT"

# 2. credential_process (a script: no shell ever parses the line).
cat >"$WORK/helper.sh" <<SH
#!/bin/sh
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}\n' "$(seed_value key alpha)" "$(seed_value secret alpha)"
SH
chmod +x "$WORK/helper.sh"
cat >>"$AWS_CONFIG_FILE" <<CFG

[profile proc]
region = eu-west-1
endpoint_url = $ENDPOINT
credential_process = "$WORK/helper.sh" --ignored 'arg with spaces'

[profile role]
region = eu-west-1
endpoint_url = $ENDPOINT
role_arn = arn:aws:iam::$alpha_account:role/$(seed_value role alpha)
source_profile = alpha
role_session_name = dlc-e2e

[profile sso-alpha]
region = eu-west-1
endpoint_url = $ENDPOINT
sso_session = datalake
sso_account_id = $alpha_account
sso_role_name = $(seed_value sso_role)

[sso-session datalake]
sso_start_url = $(seed_value sso_start_url)
sso_region = eu-west-1
sso_registration_scopes = sso:account:access
CFG
write_dlc_ini proc sandbox
run "$DLC" ls -e alpha
expect_status "credential_process: ls exits 0" 0
expect_contains "credential_process: ls lists alpha" "datalake-alpha-mambu-to-s3-raw" "$OUT"

# 2b. Two environments whose credential_process takes 2 s each: the
# helpers run side by side as children on the loop, so dlc envs takes
# about 2 s, not 4, and the console answers a key while they run.
for e in alpha sandbox; do
	slow_process_profile "slow-$e" "$e" 2
done
write_dlc_ini slow-alpha slow-sandbox
run_timed "$DLC" envs
expect_status "slow helpers: envs exits 0" 0
expect_contains "slow helpers: alpha's account arrives" "$alpha_account" "$OUT"
expect_contains "slow helpers: sandbox's account arrives" "$(seed_value account sandbox)" "$OUT"
expect_ms_between "two 2 s helpers: dlc envs under 3 s" 2000 3000
console_start 120 40
wait_for "slow helpers: the console opens while they run" "checking" 2
send "?"
wait_for "slow helpers: a key is drawn at once while they run" "Keys (Esc: back)" 1
expect_not_contains "slow helpers: the help came before the helpers ended" "$alpha_account" "$(screen)"
send Escape
wait_for "slow helpers: the accounts arrive afterwards" "$alpha_account" 5
console_stop

# 3. Assume-role from a static source profile.
write_dlc_ini role sandbox
run "$DLC" envs -o json
expect_status "assume-role: envs exits 0" 0
expect_contains "assume-role: the identity is the assumed role" "assumed-role/$(seed_value role alpha)/dlc-e2e" "$OUT"
run "$DLC" ls -e alpha
expect_status "assume-role: ls exits 0" 0

# 4. SSO: no login yet says exactly what to run.
write_dlc_ini sso-alpha sandbox
run "$DLC" ls -e alpha
expect_status "sso without a login fails" 1
expect_contains "sso without a login says what to run" "dlc login -e alpha" "$ERR"

# Without HOME, dlc login refuses before the device flow instead of
# writing the token under ./.aws in the current folder.
(cd "$WORK" && env -u HOME "$DLC" login -e alpha) >"$WORK/out" 2>"$WORK/err"
STATUS=$?
OUT=$(cat "$WORK/out")
ERR=$(cat "$WORK/err")
expect_status "dlc login without HOME fails" 1
expect_contains "dlc login without HOME says to set it" "set HOME" "$ERR"
[ ! -e "$WORK/.aws/sso" ] && pass "dlc login without HOME writes nothing in the current folder" ||
	fail "dlc login without HOME writes nothing in the current folder" "$(ls -R "$WORK/.aws" 2>&1)"

# dlc login runs the device flow and writes the CLI's cache file.
run "$DLC" login -e alpha
expect_status "dlc login exits 0" 0
expect_contains "dlc login prints the verification URL" "http" "$OUT"
cache="$HOME/.aws/sso/cache/$(printf '%s' datalake | sha1sum | cut -d' ' -f1).json"
[ -f "$cache" ] && pass "the token cache file has the CLI's name" || fail "the token cache file has the CLI's name" "$(ls -R "$HOME/.aws" 2>&1)"
expect_equal "the token cache is private" "600" "$(stat -c %a "$cache" 2>/dev/null)"

run "$DLC" ls -e alpha
expect_status "sso: ls exits 0 after login" 0
expect_contains "sso: ls lists alpha" "datalake-alpha-mambu-to-s3-raw" "$OUT"

# While dlc holds the SSO token and role keys, no core file can be
# written: started where core dumps are allowed, the running `dlc logs -f`
# shows a core size limit of 0, soft and hard.
(ulimit -c unlimited && exec "$DLC" logs -e alpha mambu-to-s3-raw -f) \
	>"$WORK/follow.out" 2>"$WORK/follow.err" &
pid=$!
limits=
i=0
while [ $i -lt 100 ]; do
	limits=$(grep 'Max core file size' "/proc/$pid/limits" 2>/dev/null)
	case $limits in *" 0 "*" 0 "*) break ;; esac
	i=$((i + 1))
	sleep 0.05
done
case $limits in
*" 0 "*" 0 "*) pass "a running dlc has core dumps off" ;;
*) fail "a running dlc has core dumps off" "$limits" ;;
esac
expect_contains "the process checked is dlc following" "logs -e alpha mambu-to-s3-raw -f" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
kill -INT "$pid" 2>/dev/null
wait "$pid"

# An access token past expiry is refreshed with the refresh token.
old_token=$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["accessToken"])' "$cache")
"$PYTHON3" - "$cache" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["expiresAt"] = "2020-01-01T00:00:00Z"
json.dump(d, open(sys.argv[1], "w"))
PY
run "$DLC" ls -e alpha
expect_status "sso: an expired token is refreshed" 0
new_token=$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["accessToken"])' "$cache")
[ "$new_token" != "$old_token" ] && pass "the refreshed token is written back" || fail "the refreshed token is written back"

# Two environments on one SSO session share one refresh: a single
# CreateToken, not one each (the second would spend a refresh token the
# first had already rotated).
cat >>"$AWS_CONFIG_FILE" <<CFG

[profile sso-alpha-too]
region = eu-west-1
endpoint_url = $ENDPOINT
sso_session = datalake
sso_account_id = $alpha_account
sso_role_name = $(seed_value sso_role)
CFG
"$PYTHON3" - "$cache" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["expiresAt"] = "2020-01-01T00:00:00Z"
json.dump(d, open(sys.argv[1], "w"))
PY
write_dlc_ini sso-alpha sso-alpha-too
seen=$(wc -l <"$WORK/requests.jsonl")
run "$DLC" envs
expect_status "one SSO session, two environments: envs exits 0" 0
expect_equal "one SSO session, two environments: both reach the account" "2" "$(printf '%s\n' "$OUT" | grep -c "$alpha_account")"
expect_equal "one SSO session, two environments: one CreateToken" "1" \
	"$(tail -n +$((seen + 1)) "$WORK/requests.jsonl" | grep -c '"operation": "CreateToken"')"
expect_equal "one SSO session, two environments: a role each" "2" \
	"$(tail -n +$((seen + 1)) "$WORK/requests.jsonl" | grep -c '"operation": "GetRoleCredentials"')"
new_token=$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["accessToken"])' "$cache")
write_dlc_ini sso-alpha sandbox

# The same cache works for the Debian aws CLI (one shared login).
if [ -x /usr/bin/aws ]; then
	/usr/bin/aws --endpoint-url "$ENDPOINT" --region eu-west-1 sso get-role-credentials \
		--role-name "$(seed_value sso_role)" --account-id "$alpha_account" \
		--access-token "$new_token" >"$WORK/awsout" 2>&1
	expect_contains "the aws CLI accepts dlc's token" "accessKeyId" "$(cat "$WORK/awsout")"
fi

# A refresh token that SSO-OIDC refuses: AWS's own words (the OAuth
# error_description and error) and what to run, not "HTTP 400 with no
# error message".
"$PYTHON3" - "$cache" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["expiresAt"] = "2020-01-01T00:00:00Z"
d["refreshToken"] = "aor-revoked"
json.dump(d, open(sys.argv[1], "w"))
PY
run "$DLC" ls -e alpha
expect_status "sso: a refused refresh fails ls" 1
expect_contains "sso: a refused refresh shows AWS's error_description" "Invalid refresh token provided (invalid_grant)" "$ERR"
expect_contains "sso: a refused refresh says what to run" "dlc login -e alpha" "$ERR"
expect_not_contains "sso: a refused refresh is not a bare status" "no error message" "$ERR"
# Two environments on the session: the one refused refresh reaches both,
# each with its own fix.
write_dlc_ini sso-alpha sso-alpha-too
seen=$(wc -l <"$WORK/requests.jsonl")
run "$DLC" envs
expect_contains "a refused shared refresh: alpha's fix" "dlc login -e alpha" "$ERR"
expect_contains "a refused shared refresh: sandbox's fix" "dlc login -e sandbox" "$ERR"
expect_equal "a refused shared refresh: one CreateToken" "1" \
	"$(tail -n +$((seen + 1)) "$WORK/requests.jsonl" | grep -c '"operation": "CreateToken"')"
write_dlc_ini sso-alpha sandbox

# Expired with no way to refresh: the fix, exit 1.
"$PYTHON3" - "$cache" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["expiresAt"] = "2020-01-01T00:00:00Z"
d.pop("refreshToken", None)
json.dump(d, open(sys.argv[1], "w"))
PY
run "$DLC" ls -e alpha
expect_status "sso: an expired login fails ls" 1
expect_contains "sso: an expired login says what to run" "dlc login -e alpha" "$ERR"
run "$DLC" envs
expect_status "envs exits 1 with an expired login" 1
expect_contains "envs shows the expired state" "expired" "$OUT"

finish
