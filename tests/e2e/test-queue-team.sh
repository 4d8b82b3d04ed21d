#!/bin/sh
# Issue 16, done means: two team members (two state folders, so two
# machine locks that know nothing of each other) push at once, sharing one
# lock table in DynamoDB (fakeaws; lock-table and lock-lease = 2 in
# dlc.ini): their special jobs never overlap, their ordinary ones run side
# by side, and every lease is released at the end. Without the lock table
# the same pushes do overlap (the check can fail).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-queue.sh"
lock_table
member ana "lock-table = $LOCK_TABLE" "lock-lease = 2"
member bo "lock-table = $LOCK_TABLE" "lock-lease = 2"

start_member ana "$DLC" push -e alpha mambu-to-s3-raw dynamo-customers-to-s3-raw \
	dynamodb-datalake-reconciliation dynamo-sls-cards-to-s3-raw
ana=$BG
start_member bo "$DLC" push -e alpha mambu-datalake-reconciliation salesforce-cases-to-s3-raw \
	quicksight-authors-datasets
bo=$BG
wait $ana
expect_equal "ana's push exits 0" 0 $?
wait $bo
expect_equal "bo's push exits 0" 0 $?
for f in $SPECIALS $ORDINARY; do
	expect_contains "$f deployed" "$f: deployed to $(remote "$f")" "$(cat "$WORK/ana.out" "$WORK/bo.out")"
	expect_equal "$f was built once" 1 "$(qtimes runs "$TIMES" "$(remote "$f")")"
done
expect_one_at_a_time "two members' special jobs never overlap" $SPECIALS
expect_side_by_side "their ordinary builds ran side by side" $ORDINARY
expect_contains "a member's special waited for the other's lease, and said whose" \
	": waiting: special deploy of " "$(cat "$WORK/ana.err" "$WORK/bo.err")"
[ "$(count_op DynamoDB_20120810.PutItem)" -ge 3 ] && pass "each special took the lease with a conditional PutItem" ||
	fail "each special took the lease with a conditional PutItem" "$(count_op DynamoDB_20120810.PutItem) PutItem"
expect_equal "every lease was released" "" "$(lock_items)"
expect_equal "ana's journal has her four jobs, bo's his three" "4 3" \
	"$(as_member ana "$DLC" queue -o json 2>/dev/null | jpy "len(d['Jobs'])") $(as_member bo "$DLC" queue -o json 2>/dev/null | jpy "len(d['Jobs'])")"

# The control: the same two members without the lock table overlap.
: >"$TIMES"
member ana2
member bo2
# Builds of 4 s: they overlap however late the second dlc gets going.
for f in $SPECIALS; do BUILD_SECONDS=4 make_function "$f" true; done
start_member ana2 "$DLC" push -e alpha mambu-to-s3-raw dynamodb-datalake-reconciliation
ana=$BG
start_member bo2 "$DLC" push -e alpha mambu-datalake-reconciliation
bo=$BG
wait $ana $bo
_o=$(qtimes overlaps "$TIMES" "$REQUESTS" $(remotes $SPECIALS))
[ -n "$_o" ] && pass "without lock-table two members' specials overlap ($_o)" ||
	fail "without lock-table two members' specials overlap" "$(cat "$TIMES")"

finish
