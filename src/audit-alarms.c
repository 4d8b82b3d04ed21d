/*
 * The alarms an audit reads: DescribeAlarms once, all pages (cw-alarms.h),
 * each matched to its function by alarm.h's alarm_match against every
 * function of the account (so an alarm of another environment's function
 * is not taken for one of ours with a shorter name).
 */
#include "audit-priv.h"

#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "cw-alarms.h"
#include "xmalloc.h"

static void
audit_alarms_done(struct cw_alarm_list *list, const struct dlc_err *err,
    int pages, void *arg)
{
	struct audit_job *j = arg;
	struct audit_facts *f = &j->a->facts;
	struct alarm_fn *fns;
	size_t i;

	(void)pages;
	j->alarms = NULL;	/* freed when this returns */
	if (list == NULL) {
		audit_job_failed(j, err, "cloudwatch:DescribeAlarms", "alarms");
		audit_job_end(j);
		return;
	}
	fns = xcalloc(f->n_account_fns + 1, sizeof *fns);
	for (i = 0; i < f->n_account_fns; i++)
		fns[i].remote = f->account_fns[i];
	alarm_match(list, fns, f->n_account_fns);
	free(fns);
	f->alarms = xcalloc(list->n + 1, sizeof *f->alarms);
	for (i = 0; i < list->n; i++) {
		struct cw_alarm *c = &list->v[i];
		struct audit_alarm *a = &f->alarms[f->n_alarms++];

		a->name = c->name;
		c->name = NULL;
		a->function = c->function;
		c->function = NULL;
		a->metric = c->metric_name;
		c->metric_name = NULL;
		a->actions_enabled = c->actions_enabled;
	}
	f->alarms_known = 1;
	audit_job_end(j);
}

void
audit_alarms_run(struct audit_job *j)
{
	j->alarms = cw_describe_alarms_all(j->a->aenv, audit_alarms_done, j);
}
