#!/bin/sh
# The facts `dlc audit -e ENV` reads, gathered the way a user would without
# dlc: the Debian aws CLI in a shell loop, one command per call. Used by
# bench/bench-audit.sh; ENDPOINT and the account's keys come from the
# environment. Prints one line per function (name, retention, filters,
# rules, rule states, mappings) so the bench can check it saw them all.
set -eu
a() { /usr/bin/aws --endpoint-url "$ENDPOINT" --output text "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

a lambda list-functions --query 'Functions[].[FunctionName,FunctionArn]' >"$tmp/fns"
a lambda list-functions --query 'Functions[].Layers[].Arn' | tr '\t' '\n' |
	sed -n 's/.*:layer:\([^:]*\):[0-9]*$/\1/p' | sort -u >"$tmp/layers"
a logs describe-log-groups --log-group-name-prefix /aws/lambda/ \
	--query 'logGroups[].[logGroupName,retentionInDays]' >"$tmp/groups"
a cloudwatch describe-alarms --alarm-types MetricAlarm CompositeAlarm \
	--query 'length(MetricAlarms)' >"$tmp/alarms"
a lambda list-event-source-mappings --query 'EventSourceMappings[].[FunctionArn,State]' >"$tmp/esms"
while read -r layer; do
	a lambda list-layer-versions --layer-name "$layer" --query 'LayerVersions[0].Version' >/dev/null
done <"$tmp/layers"
while read -r name arn; do
	group=/aws/lambda/$name
	days=$(awk -v g="$group" '$1 == g { print $2 }' "$tmp/groups")
	filters=-
	if [ -n "$days" ]; then
		filters=$(a logs describe-subscription-filters --log-group-name "$group" \
			--query 'length(subscriptionFilters)')
	fi
	rules=$(a events list-rule-names-by-target --target-arn "$arn" --query 'RuleNames' | tr '\t' ' ')
	states=
	for r in $rules; do
		states="$states$(a events describe-rule --name "$r" --query State) "
	done
	esm=$(awk -v f="$arn" '$1 == f { print $2 }' "$tmp/esms")
	echo "$name ${days:--} $filters ${rules:--} ${states:--} ${esm:--}"
done <"$tmp/fns"
