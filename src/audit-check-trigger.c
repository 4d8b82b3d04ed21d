/*
 * The trigger check: a function fed by DynamoDB (or Kinesis) needs an
 * enabled Kinesis event source mapping; any other an enabled EventBridge
 * rule targeting it. The manifest's trigger = says which; without it, an
 * existing mapping does.
 */
#include "audit-facts.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define AUDIT_MAX_ESMS	16

static enum audit_result
audit_check_stream(struct audit_out *o)
{
	const struct lambda_esm *esms[AUDIT_MAX_ESMS];
	size_t n, i;

	if (!o->facts->esms_known)
		return AUDIT_UNKNOWN;
	n = audit_esms_of(o->facts, &o->fn->fn, esms, AUDIT_MAX_ESMS);
	for (i = 0; i < n; i++)
		if (esms[i]->state != NULL && (strcmp(esms[i]->state, "Enabled") == 0 ||
		    strcmp(esms[i]->state, "Enabling") == 0 ||
		    strcmp(esms[i]->state, "Updating") == 0))
			return AUDIT_PASS;
	if (n > 0)
		audit_add_finding(o, "trigger", AUDIT_FAIL, "high",
		    xasprintf("its Kinesis event source mapping %s is %s: no "
		    "records reach it", esms[0]->uuid != NULL ? esms[0]->uuid : "?",
		    esms[0]->state != NULL ? esms[0]->state : "in no state"),
		    audit_fix_terraform(o, NEW_TF_TRIGGER, "enabled defaults to true: remove "
		    "enabled = false"));
	else
		audit_add_finding(o, "trigger", AUDIT_FAIL, "high",
		    xstrdup("no Kinesis event source mapping: nothing feeds it "
		    "its table's changes"),
		    audit_fix_terraform(o, NEW_TF_TRIGGER, "add the event source mapping"));
	return AUDIT_FAIL;
}

static enum audit_result
audit_check_schedule(struct audit_out *o)
{
	const struct audit_fn *af = o->fn;
	size_t i;

	if (!af->rules_known)
		return AUDIT_UNKNOWN;
	for (i = 0; i < af->n_rules; i++)
		if (af->rules[i].state != NULL && strcmp(af->rules[i].state, "ENABLED") == 0)
			return AUDIT_PASS;
	if (af->n_rules > 0)
		audit_add_finding(o, "trigger", AUDIT_FAIL, "high",
		    xasprintf("its EventBridge rule %s is %s: it never runs",
		    af->rules[0].name, af->rules[0].state != NULL ?
		    af->rules[0].state : "in no state"),
		    audit_fix_terraform(o, NEW_TF_TRIGGER, "state defaults to ENABLED: remove "
		    "state = \"DISABLED\" (or is_enabled = false)"));
	else
		audit_add_finding(o, "trigger", AUDIT_FAIL, "high",
		    xstrdup("no EventBridge rule targets it: it never runs"),
		    audit_fix_terraform(o, NEW_TF_TRIGGER, "add the schedule"));
	return AUDIT_FAIL;
}

enum audit_result
audit_check_trigger(struct audit_out *o)
{
	return audit_expects_stream(o->facts, o->fn) ? audit_check_stream(o) :
	    audit_check_schedule(o);
}
