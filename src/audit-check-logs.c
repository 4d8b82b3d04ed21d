/*
 * The log checks: the function's group exists, keeps 14 days, and has a
 * subscription filter (log aggregation); and groups under /aws/lambda/
 * that no function writes to.
 */
#include "audit-facts.h"

#include <stdlib.h>
#include <string.h>

#include "dlcconfig.h"
#include "env-owner.h"
#include "xmalloc.h"

/* The retention the team's Terraform sets (templates/new/terraform/log-group.tf). */
#define AUDIT_RETENTION_DAYS	14

/*
 * The function's group into *g and its name into *name (the caller frees
 * it): AUDIT_PASS when found, AUDIT_NA when not there, AUDIT_UNKNOWN
 * when the groups could not be read.
 */
static enum audit_result
audit_group_of(struct audit_out *o, char **name, const struct audit_log_group **g)
{
	*name = lambda_log_group(o->fn->fn.log_group, o->fn->fn.function_name);
	*g = audit_find_group(o->facts, *name);
	if (!o->facts->groups_known)
		return AUDIT_UNKNOWN;
	return *g != NULL ? AUDIT_PASS : AUDIT_NA;
}

enum audit_result
audit_check_log_group(struct audit_out *o)
{
	const struct audit_log_group *g;
	enum audit_result res;
	char *name;

	res = audit_group_of(o, &name, &g);
	if (res == AUDIT_NA) {
		audit_add_finding(o, "log group", AUDIT_FAIL, "high",
		    xasprintf("no log group %s: Lambda creates one that keeps "
		    "logs forever, with no subscription", name),
		    audit_fix_terraform(o, NEW_TF_LOG_GROUP, "add the log group "
		    "(then its aggregation)"));
		res = AUDIT_FAIL;
	}
	free(name);
	return res;
}

enum audit_result
audit_check_retention(struct audit_out *o)
{
	const struct audit_log_group *g;
	enum audit_result res;
	char *name;

	res = audit_group_of(o, &name, &g);
	if (res == AUDIT_PASS && g->retention != AUDIT_RETENTION_DAYS) {
		if (g->retention <= 0)
			audit_add_finding(o, "retention", AUDIT_FAIL, "medium",
			    xasprintf("log group %s never expires its logs (no "
			    "retention; the team keeps %d days)", name,
			    AUDIT_RETENTION_DAYS),
			    audit_fix_terraform(o, NEW_TF_LOG_GROUP, "set "
			    "retention_in_days = 14 (terraform import the group "
			    "first if Terraform does not manage it)"));
		else
			audit_add_finding(o, "retention", AUDIT_FAIL, "low",
			    xasprintf("log group %s keeps logs %ld days, not %d",
			    name, g->retention, AUDIT_RETENTION_DAYS),
			    audit_fix_terraform(o, NEW_TF_LOG_GROUP, "set "
			    "retention_in_days = 14"));
		res = AUDIT_FAIL;
	}
	free(name);
	return res;
}

enum audit_result
audit_check_subscription(struct audit_out *o)
{
	const struct audit_log_group *g;
	enum audit_result res;
	char *name;

	res = audit_group_of(o, &name, &g);
	if (res == AUDIT_PASS && !g->filters_known) {
		res = AUDIT_UNKNOWN;
	} else if (res == AUDIT_PASS && g->n_filters == 0) {
		audit_add_finding(o, "subscription", AUDIT_FAIL, "medium",
		    xasprintf("log group %s has no subscription filter: its logs "
		    "are not aggregated", name),
		    audit_fix_terraform(o, NEW_TF_AGGREGATION, "add the log "
		    "aggregation"));
		res = AUDIT_FAIL;
	}
	free(name);
	return res;
}

/* Some function of the account, or of the audit, writes to group. */
static int
audit_group_used(const struct audit_facts *f, const char *group)
{
	const char *fn = group + strlen("/aws/lambda/");
	size_t i;
	char *g;

	for (i = 0; i < f->n_account_fns; i++)
		if (strcmp(f->account_fns[i], fn) == 0)
			return 1;
	for (i = 0; i < f->n_fns; i++) {
		g = lambda_log_group(f->fns[i].fn.log_group, f->fns[i].fn.function_name);
		if (strcmp(g, group) == 0) {
			free(g);
			return 1;
		}
		free(g);
	}
	return 0;
}

void
audit_check_orphan_groups(struct audit_out *o)
{
	const struct audit_facts *f = o->facts;
	const struct audit_log_group *g;
	size_t i, self;
	struct audit_finding *fd;

	if (!f->groups_known)
		return;
	for (i = 0; i < f->n_groups; i++) {
		g = &f->groups[i];
		if (strncmp(g->name, "/aws/lambda/", 12) != 0 || g->name[12] == '\0' ||
		    audit_group_used(f, g->name))
			continue;
		/* Another environment's leftovers in a shared account are its own audit's. */
		if (f->cfg != NULL && f->env != NULL) {
			self = (size_t)(f->env - f->cfg->envs);
			if (self < f->cfg->n_envs && env_owner_of(f->cfg->envs, NULL,
			    f->cfg->n_envs, self, g->name + 12, NULL) == ENV_OWNER_OTHER)
				continue;
		}
		audit_add_finding(o, "orphan", AUDIT_WARN, "low",
		    xasprintf("log group %s belongs to no function (left over "
		    "from a deleted or renamed one)", g->name),
		    xasprintf("# remove its aws_cloudwatch_log_group from the "
		    "Terraform, or delete it:\naws logs delete-log-group "
		    "--log-group-name '%s'\n", g->name));
		fd = &o->report->findings[o->report->n_findings - 1];
		fd->subject = xstrdup(g->name);
	}
}
