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
