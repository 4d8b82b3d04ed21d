/*
 * The alarms check: the errors, throttles and duration alarms dlc new's
 * Terraform defines exist for the function (matched to it by alarm_match:
 * its FunctionName dimension, else its name) with actions enabled.
 */
#include "audit-facts.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmalloc.h"

static const struct {
	const char		*kind;		/* the alarm name's suffix in the team's style */
	const char		*metric;
	enum new_terraform_part	 part;
} audit_alarm_kinds[] = {
	{ "errors", "Errors", NEW_TF_ALARM_ERRORS },
	{ "throttles", "Throttles", NEW_TF_ALARM_THROTTLES },
	{ "duration", "Duration", NEW_TF_ALARM_DURATION },
};

/* Its metric, else (metric math, another namespace) the kind in its name. */
static int
audit_alarm_is(const struct audit_alarm *a, size_t k)
{
	size_t i, n = strlen(audit_alarm_kinds[k].kind);

	if (a->metric != NULL)
		return strcmp(a->metric, audit_alarm_kinds[k].metric) == 0;
	for (i = 0; a->name[i] != '\0'; i++)
		if (strncasecmp(a->name + i, audit_alarm_kinds[k].kind, n) == 0)
			return 1;
	return 0;
}

enum audit_result
audit_check_alarms(struct audit_out *o)
{
	const struct audit_facts *f = o->facts;
	const struct audit_alarm *found, *a;
	enum audit_result res = AUDIT_PASS;
	size_t k, i;

	if (!f->alarms_known)
		return AUDIT_UNKNOWN;
	for (k = 0; k < sizeof audit_alarm_kinds / sizeof audit_alarm_kinds[0]; k++) {
		found = NULL;
		for (i = 0; i < f->n_alarms; i++) {
			a = &f->alarms[i];
			if (a->function == NULL || strcmp(a->function, o->fn->fn.function_name) != 0 ||
			    !audit_alarm_is(a, k))
				continue;
			/* One with actions is enough: a second, silenced copy is no gap. */
			if (found == NULL || (!found->actions_enabled && a->actions_enabled))
				found = a;
		}
		if (found == NULL) {
			audit_add_finding(o, "alarms", AUDIT_FAIL, "high",
			    xasprintf("no %s alarm (AWS/Lambda %s of FunctionName %s)",
			    audit_alarm_kinds[k].kind, audit_alarm_kinds[k].metric,
			    o->fn->fn.function_name),
			    audit_fix_terraform(o, audit_alarm_kinds[k].part, "add the alarm"));
			res = AUDIT_FAIL;
		} else if (!found->actions_enabled) {
			audit_add_finding(o, "alarms", AUDIT_FAIL, "medium",
			    xasprintf("%s alarm %s has its actions disabled: it "
			    "notifies nobody", audit_alarm_kinds[k].kind, found->name),
			    audit_fix_terraform(o, audit_alarm_kinds[k].part, "actions_enabled defaults to "
			    "true: remove actions_enabled = false (or aws cloudwatch "
			    "enable-alarm-actions)"));
			res = AUDIT_FAIL;
		}
	}
	return res;
}
