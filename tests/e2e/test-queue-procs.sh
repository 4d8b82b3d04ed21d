#!/bin/sh
# Issue 16, done means: the special and ordinary jobs spread over three
# dlc processes started at once on one machine (one XDG_STATE_HOME): the
# special ones still never overlap (the machine lock), the ordinary ones
# still run side by side; asserted from the builds' own times and
# fakeaws's request log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-queue.sh"
export XDG_STATE_HOME="$WORK/state"
cd "$WORK" || exit 1

"$DLC" push -e alpha mambu-to-s3-raw dynamo-customers-to-s3-raw dynamo-sls-cards-to-s3-raw \
	>"$WORK/p1.out" 2>"$WORK/p1.err" &
p1=$!
"$DLC" push -e alpha mambu-datalake-reconciliation salesforce-cases-to-s3-raw \
	>"$WORK/p2.out" 2>"$WORK/p2.err" &
p2=$!
"$DLC" push -e alpha dynamodb-datalake-reconciliation quicksight-authors-datasets \
	>"$WORK/p3.out" 2>"$WORK/p3.err" &
p3=$!
for p in 1 2 3; do
	eval "wait \$p$p"
	rc=$?
	expect_equal "process $p exits 0" 0 "$rc"
	[ "$rc" -eq 0 ] || cat "$WORK/p$p.err"
done
for f in $SPECIALS $ORDINARY; do
	expect_contains "$f deployed" "$f: deployed to $(remote "$f")" "$(cat "$WORK"/p?.out)"
	expect_equal "$f was built once" 1 "$(qtimes runs "$TIMES" "$(remote "$f")")"
done
expect_one_at_a_time "the special jobs of three processes never overlap" $SPECIALS
expect_side_by_side "the ordinary builds of three processes ran side by side" $ORDINARY
expect_contains "a special waited for another process's, and said which" \
	": waiting: machine lock held by job " "$(cat "$WORK"/p?.err)"
expect_equal "dlc queue sees the three processes' seven jobs ended" "7" \
	"$("$DLC" queue -o json 2>/dev/null | jpy "len([j for j in d['Jobs'] if j['State'] == 'ended' and j['Outcome'] == 'deployed'])")"
expect_equal "from three processes" "3" \
	"$("$DLC" queue -o json 2>/dev/null | jpy "len({j['Pid'] for j in d['Jobs']})")"

finish
