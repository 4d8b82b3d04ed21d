# Shared by the deploy queue's end-to-end tests (test-queue-*.sh, after
# lib.sh): a fakeaws that logs its requests, the alpha profile, and seven
# functions of alpha's seed with manifests of the test's own, whose build
# is queue-stamp.sh (it records its own start and end): three special
# ones and four ordinary ones. Each team member (or machine) is a folder
# with its own dlc.ini (so its own build folder) and XDG_STATE_HOME.
# Sourced, not run.
start_fakeaws --log-requests "$WORK/requests.jsonl" --update-delay-ms "${UPDATE_DELAY_MS:-300}"
write_static_profiles
write_dlc_ini
QFUNCS="$WORK/qfunctions"
TIMES="$WORK/times"
REQUESTS="$WORK/requests.jsonl"
BUILD_SECONDS=${BUILD_SECONDS:-1.2}
SPECIALS="mambu-to-s3-raw mambu-datalake-reconciliation dynamodb-datalake-reconciliation"
ORDINARY="dynamo-customers-to-s3-raw dynamo-sls-cards-to-s3-raw salesforce-cases-to-s3-raw quicksight-authors-datasets"
LOCK_TABLE=dlc-locks
sed -i "s|^functions = .*|functions = $QFUNCS|" "$WORK/dlc.ini"
touch "$TIMES"

# remote LOCAL: the function's name in alpha.
remote() {
	case $1 in
	quicksight-authors-datasets) echo datalake-alpha-quicksight-authors-datasets-to-s3-curated ;;
	*) echo "datalake-alpha-$1" ;;
	esac
}
remotes() { for _f in "$@"; do remote "$_f"; done; }

# make_function LOCAL true|false: a manifest whose build stamps its times.
make_function() {
	mkdir -p "$QFUNCS/$1/src"
	{
		echo "[function]"
		echo "special = $2"
		[ "$1" = quicksight-authors-datasets ] &&
			echo "name = quicksight-authors-datasets-to-s3-curated"
		echo "build = \"$SRCDIR/tests/e2e/queue-stamp.sh\" \"$TIMES\" $(remote "$1") $BUILD_SECONDS"
		echo "source = src"
	} >"$QFUNCS/$1/function.ini"
	touch_source "$1"
}
# touch_source LOCAL: new code, so the next push has something to send.
touch_source() {
	printf 'def lambda_handler(event, context):\n    return "%s %s"\n' "$1" "$(date +%s%N)" \
		>"$QFUNCS/$1/src/lambda_function.py"
}
for _f in $SPECIALS; do make_function "$_f" true; done
for _f in $ORDINARY; do make_function "$_f" false; done

# member NAME [dlc.ini lines...]: a team member's folder with its dlc.ini
# (the shared one plus the lines, e.g. the lock table) and state folder.
member() {
	_m=$1; shift
	mkdir -p "$WORK/$_m/state"
	cp "$WORK/dlc.ini" "$WORK/$_m/dlc.ini"
	for _l in "$@"; do
		sed -i "s/^\[env alpha\]\$/&\n$_l/" "$WORK/$_m/dlc.ini"
	done
}
# as_member NAME CMD...: CMD as member NAME (its dlc.ini, its state, its folder).
as_member() {
	_m=$1; shift
	env -C "$WORK/$_m" DLC_CONFIG="$WORK/$_m/dlc.ini" XDG_STATE_HOME="$WORK/$_m/state" "$@"
}
# start_member NAME CMD...: as_member in the background, stdout and stderr
# to $WORK/NAME.out and .err; BG is the command's own pid (env execs it),
# for wait and kill.
start_member() {
	_m=$1; shift
	env -C "$WORK/$_m" DLC_CONFIG="$WORK/$_m/dlc.ini" XDG_STATE_HOME="$WORK/$_m/state" \
		"$@" >"$WORK/$_m.out" 2>"$WORK/$_m.err" &
	BG=$!
}
# lock_table: the team's lock table in alpha, as Terraform would make it.
lock_table() {
	"$PYTHON3" - "$ENDPOINT" "$LOCK_TABLE" <<'PY'
import json, sys, urllib.request
doc = {"table": sys.argv[2], "account": "alpha", "create": {"hash": "key", "type": "S"}}
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/dynamodb/table",
                             data=json.dumps(doc).encode(), method="POST")
urllib.request.urlopen(req).read()
PY
}
# lock_items: the lock table's items, one JSON object a line.
lock_items() {
	"$PYTHON3" -c 'import json,sys,urllib.request
d = json.load(urllib.request.urlopen(sys.argv[1] + "/_fakeaws/dynamodb/items?account=alpha&table=" + sys.argv[2]))
for i in d["items"]: print(json.dumps(i, sort_keys=True))' "$ENDPOINT" "$LOCK_TABLE"
}
qtimes() { "$PYTHON3" "$SRCDIR/tests/e2e/queuetimes.py" "$@"; }
# jpy EXPR: a Python expression over the JSON document d on stdin.
jpy() {
	"$PYTHON3" -c 'import json,sys; d=json.load(sys.stdin); v=eval(sys.argv[1]); print("" if v is None else v)' "$1"
}
count_op() {
	grep -c "\"operation\": \"$1\"" "$REQUESTS" 2>/dev/null || true
}
now_ns() { date +%s%N; }
# wait_until SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
wait_until() {
	_n=$(($1 * 10)); shift
	while ! "$@" >/dev/null 2>&1; do
		_n=$((_n - 1))
		[ $_n -le 0 ] && return 1
		sleep 0.1
	done
	return 0
}
started() { [ "$(qtimes runs "$TIMES" "$(remote "$1")")" -ge 1 ]; }
sent_code() { grep -q "\"path\": \"/2015-03-31/functions/$(remote "$1")/code\"" "$REQUESTS"; }

# expect_one_at_a_time WHAT LOCAL...: those jobs never overlapped, from the
# builds' own stamps and fakeaws's request log.
expect_one_at_a_time() {
	_what=$1; shift
	_o=$(qtimes overlaps "$TIMES" "$REQUESTS" $(remotes "$@"))
	if [ -z "$_o" ]; then pass "$_what"; else
		fail "$_what" "overlapping: $_o" "$(qtimes jobs "$TIMES" "$REQUESTS" $(remotes "$@"))"
	fi
}
# expect_side_by_side WHAT LOCAL...: at least two of those builds overlapped.
expect_side_by_side() {
	_what=$1; shift
	_n=$(qtimes build-overlaps "$TIMES" $(remotes "$@"))
	if [ "$_n" -ge 1 ]; then pass "$_what ($_n pairs)"; else
		fail "$_what" "no two overlapped" "$(cat "$TIMES")"
	fi
}
