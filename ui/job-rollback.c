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

/*
 * The job R goes back to (rollback.h, as dlc rollback chooses): what the
 * function runs now is the CodeSha256 the list last read, refreshed when
 * each of the console's jobs ends. 0, or -1 with the reason shown.
 */
static int
job_rollback_target(struct ui *ui, struct model_env *me, struct model_function *mf,
    struct queue_row *to)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	if (queue_row_rollback_target(ui, me->conf->name, mf->local->name,
	    mf->fn.code_sha256, to, &err) == 0)
		return 0;
	dlc_err_what(&err, "R: rolling %s back in %s", mf->local->name, me->conf->name);
	ui_error(ui, &err);
	return -1;
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
	if (job_rollback_target(ui, me, mf, &to) != 0)
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
	if (job_rollback_target(ui, me, mf, &to) != 0)
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
