#!/bin/sh
# Issue 16, done means: three special jobs and four ordinary ones queued
# together in one dlc push. The special ones never overlap and start in
# the order queued, the ordinary ones run side by side, asserted from the
# times the build commands record themselves (queue-stamp.sh) and from
# fakeaws's request log, not from dlc's journal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-queue.sh"
export XDG_STATE_HOME="$WORK/state"
cd "$WORK" || exit 1

# Specials and ordinary ones interleaved, as a release manager would name them.
run "$DLC" push -e alpha mambu-to-s3-raw dynamo-customers-to-s3-raw \
	mambu-datalake-reconciliation dynamo-sls-cards-to-s3-raw \
	dynamodb-datalake-reconciliation salesforce-cases-to-s3-raw \
	quicksight-authors-datasets -o json
expect_status "one push of seven functions exits 0" 0
expect_equal "all seven deployed" "deployed deployed deployed deployed deployed deployed deployed" \
	"$(jpy "' '.join(f['Outcome'] for f in d['Functions'])" <"$WORK/out")"
expect_equal "seven UpdateFunctionCode reached AWS" 7 "$(count_op UpdateFunctionCode)"
for f in $SPECIALS $ORDINARY; do
	expect_equal "$f was built once" 1 "$(qtimes runs "$TIMES" "$(remote "$f")")"
done
expect_one_at_a_time "the special jobs never overlap (build start to their last request)" $SPECIALS
s1=$(qtimes start "$TIMES" "$(remote mambu-to-s3-raw)")
s2=$(qtimes start "$TIMES" "$(remote mambu-datalake-reconciliation)")
s3=$(qtimes start "$TIMES" "$(remote dynamodb-datalake-reconciliation)")
[ "$s1" -lt "$s2" ] && [ "$s2" -lt "$s3" ] && pass "the special jobs ran in the order queued" ||
	fail "the special jobs ran in the order queued" "$(cat "$TIMES")"
expect_side_by_side "the ordinary builds ran side by side" $ORDINARY
expect_equal "dlc queue lists the seven jobs ended" "7" \
	"$("$DLC" queue -o json 2>/dev/null | jpy "len([j for j in d['Jobs'] if j['State'] == 'ended' and j['Outcome'] == 'deployed'])")"

finish
