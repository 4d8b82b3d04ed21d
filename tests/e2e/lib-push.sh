# Shared by test-push.sh and test-layer.sh (after lib.sh): a fakeaws that
# logs requests, the alpha and sandbox profiles, and a copy of functions/
# that a test may change, with dlc.ini pointing at it. Sourced, not run.
start_fakeaws --log-requests "$WORK/requests.jsonl" --update-delay-ms "${UPDATE_DELAY_MS:-1500}"
write_static_profiles
write_dlc_ini
cp -r "$SRCDIR/functions" "$WORK/functions"
sed -i "s|^functions = .*|functions = $WORK/functions|" "$WORK/dlc.ini"

# count_op OPERATION: how many requests of it fakeaws has seen.
count_op() {
	grep -c "\"operation\": \"$1\"" "$WORK/requests.jsonl" 2>/dev/null || true
}

# aws_as ENV ARGS...: the Debian aws CLI as ENV's account, at fakeaws.
aws_as() {
	_env=$1; shift
	AWS_ACCESS_KEY_ID=$(seed_value key "$_env") AWS_SECRET_ACCESS_KEY=$(seed_value secret "$_env") \
	AWS_DEFAULT_REGION=eu-west-1 /usr/bin/aws --endpoint-url "$ENDPOINT" "$@"
}
