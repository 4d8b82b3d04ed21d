/*
 * R: roll the selected function back in this environment: the package of
 * its deployment before the current one (from the journal, as `dlc
 * rollback` finds it: the newest deployed job whose CodeSha256 differs
 * from the newest's, with its zip kept) is sent again through the queue,
 * waited for and verified. Asked as p asks.
 */
#include "ui.h"
#include "jobs.h"
#include "queue-console.h"
#include "queue-rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define JOB_ROLLBACK_ROWS	512

/* The job to go back to for function in env into *to; 0, or -1 with the reason in ui's status. */
static int
job_rollback_target(struct ui *ui, const char *env, const char *function, struct queue_row *to)
{
	struct queue_row *r = xcalloc(JOB_ROLLBACK_ROWS, sizeof *r);
	size_t n = queue_rows(ui, r, JOB_ROLLBACK_ROWS), i;
	const struct queue_row *current = NULL;
	int rc = -1;

	if (n > JOB_ROLLBACK_ROWS)
		n = JOB_ROLLBACK_ROWS;
	/* Ended jobs come newest first. */
	for (i = 0; i < n; i++) {
		if (r[i].state != QROW_ENDED || strcmp(r[i].outcome, "deployed") != 0 ||
		    strcmp(r[i].env, env) != 0 || strcmp(r[i].function, function) != 0)
			continue;
		if (current == NULL) {
			current = &r[i];
			continue;
		}
		if (strcmp(r[i].code_sha256, current->code_sha256) == 0 || r[i].package[0] == '\0')
			continue;
		*to = r[i];
		rc = 0;
		break;
	}
	if (rc != 0)
		ui_message(ui, 1, "%s in %s: %s", function, env, current == NULL ?
		    "no deployment in the journal to roll back from" :
		    "no earlier deployment with a kept package in the journal (keep-packages in dlc.ini)");
	free(r);
	return rc;
}

void
job_rollback_ask(struct ui *ui, size_t env, const char *id)
{
	struct model_function *mf = jobs_target(ui, env, id, JOBS_NEED_LOCAL | JOBS_NEED_AWS);
	struct model_env *me = model_env_at(ui->model, env);
	struct queue_row to;
	struct dlc_err err;
	char label[256];

	if (mf == NULL)
		return;
	if (ui->queue == NULL) {
		ui_message(ui, 1, "R needs the deploy queue, which this console has not (e: why)");
		return;
	}
	if (job_rollback_target(ui, me->conf->name, mf->local->name, &to) != 0)
		return;
	snprintf(ui->pending, sizeof ui->pending, "%s", mf->fn.function_name);
	dlc_err_clear(&err);
	if (push_policy_check(me->conf, NULL, 0, &err) == 0) {
		snprintf(label, sizeof label, "roll %.80s in %.40s back to job %s (CodeSha256 "
		    "%.12s…)? (y/n) ", mf->local->name, me->conf->name, to.id, to.code_sha256);
		ui_prompt_open(ui, "push-rb-yn", label, "");
	} else if (me->conf->deploy == DEPLOY_CONFIRM) {
		snprintf(label, sizeof label, "roll %.80s back to job %s: type %.40s to confirm: ",
		    mf->local->name, to.id, me->conf->name);
		ui_prompt_open(ui, "push-rb-cf", label, "");
	} else {
		ui_error(ui, &err);
	}
}

void
job_rollback_answer(struct ui *ui, size_t env, const char *purpose, const char *text)
{
	struct model_function *mf = jobs_target(ui, env, ui->pending,
	    JOBS_NEED_LOCAL | JOBS_NEED_AWS);
	struct model_env *me = model_env_at(ui->model, env);
	struct queue_row to;
	struct dlc_err err;

	if (mf == NULL)
		return;
	if (strcmp(purpose, "push-rb-yn") == 0 && strcmp(text, "y") != 0 &&
	    strcmp(text, "yes") != 0) {
		ui_message(ui, 0, "rollback of %s cancelled", mf->local->name);
		return;
	}
	if (job_rollback_target(ui, me->conf->name, mf->local->name, &to) != 0)
		return;
	dlc_err_clear(&err);
	if (queue_console_rollback(ui, env, mf, to.package, to.id,
	    strcmp(purpose, "push-rb-cf") == 0 ? text : NULL, &err) != 0) {
		ui_error(ui, &err);
		return;
	}
	ui_message(ui, 0, "rollback of %s in %s to job %s queued", mf->local->name, me->conf->name,
	    to.id);
}
