/*
 * v on an interrupted job: is its code deployed? The function's
 * CodeSha256 in AWS is read (GetFunctionConfiguration, from the loop) and
 * compared with the job's package; the verdict goes on the status line
 * and into the journal as a "verified" record, as `dlc queue verify`
 * writes it. A job that stopped before its package step reported one
 * cannot have sent it: not deployed.
 */
#include "ui.h"
#include "jobs.h"
#include "queue-console.h"
#include "queue-rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "journal.h"
#include "lambda.h"
#include "verify-job.h"
#include "xmalloc.h"

struct job_verify {
	struct ui	*ui;
	char		 id[16];
	char		 remote[256];
	char		 env[64];
	char		 step[16];
	char		 want[64];
};

static void
job_verify_record(struct job_verify *v, const char *deployed, int matches)
{
	(void)journal_append(v->ui->journal, verify_job_record(v->id, deployed, matches),
	    NULL, NULL);
	/* The queue folds it at once (the journal's observer): the views show it. */
	ui_dirty(v->ui, UI_DIRTY_ALL);
}

static void
job_verify_got(struct aws_reply *reply, struct lambda_function *fn, void *arg)
{
	struct job_verify *v = arg;
	struct ui *ui = v->ui;
	const char *deployed = NULL, *verdict;
	int matches = 0;

	queue_console_verify_done(ui);
	if (reply->ok != 0 && strcmp(reply->err.code, "ResourceNotFoundException") != 0) {
		struct dlc_err err = reply->err;

		dlc_err_what(&err, "verifying job %s (%s in %s)", v->id, v->remote, v->env);
		ui_error(ui, &err);
		free(v);
		return;
	}
	if (reply->ok == 0 && fn != NULL)
		deployed = fn->code_sha256;
	verdict = verify_job_verdict(v->want, v->step, deployed, &matches);
	if (strcmp(verdict, "unknown") != 0)
		job_verify_record(v, deployed, matches);
	ui_message(ui, strcmp(verdict, "deployed") != 0, "job %s: %s: %.100s in %.40s runs "
	    "CodeSha256 %.60s; the job's package is %.60s%s", v->id, verdict, v->remote, v->env,
	    deployed != NULL ? deployed : "(none: not found)",
	    v->want[0] != '\0' ? v->want : "unknown (it stopped before its package step)",
	    matches ? "" : "  (r: retry)");
	free(v);
}

struct aws_call *
job_verify_start(struct ui *ui, const char *id, void **ctx)
{
	struct queue_row r;
	struct model_env *me;
	struct job_verify *v;
	int env;

	if (queue_row_find(ui, id, &r) != 0) {
		ui_message(ui, 1, "v: no job %s in the queue", id);
		return NULL;
	}
	if (r.state != QROW_INTERRUPTED ||
	    (strcmp(r.kind, "code") != 0 && strcmp(r.kind, "rollback") != 0)) {
		ui_message(ui, 1, "v verifies an interrupted push or rollback; job %s is not one", r.id);
		return NULL;
	}
	env = model_env_index(ui->model, r.env);
	me = env >= 0 ? model_env_at(ui->model, (size_t)env) : NULL;
	if (me == NULL || me->aenv == NULL || r.remote[0] == '\0') {
		ui_message(ui, 1, "v: job %s's environment %.60s is not open here (no credentials, or "
		    "not in dlc.ini)", r.id, r.env);
		return NULL;
	}
	v = xcalloc(1, sizeof *v);
	v->ui = ui;
	snprintf(v->id, sizeof v->id, "%s", r.id);
	snprintf(v->remote, sizeof v->remote, "%s", r.remote);
	snprintf(v->env, sizeof v->env, "%s", r.env);
	snprintf(v->step, sizeof v->step, "%s", r.step);
	snprintf(v->want, sizeof v->want, "%s", r.want_sha);
	ui_message(ui, 0, "verifying job %s: reading %s in %s…", r.id, r.remote, r.env);
	*ctx = v;
	return lambda_get_function_configuration(me->aenv, r.remote, job_verify_got, v);
}
