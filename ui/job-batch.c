/*
 * P: push every function of this environment whose DRIFT column says
 * "local changes" (drift-cache.h and drift.h, as the column decides), as
 * one queued job per function, after one question for the batch asked as
 * p asks (y/n on allow, the environment's name typed back on confirm,
 * refused on deny).
 */
#include "ui.h"
#include "jobs.h"
#include "queue-console.h"

#include <stdio.h>
#include <string.h>

#include "drift.h"
#include "drift-cache.h"

/* 1 when mf's DRIFT is "local changes"; *unknown counts those not looked at yet. */
static int
job_batch_changed(struct ui *ui, struct model_env *me, struct model_function *mf, size_t *unknown)
{
	struct drift_row row;
	char sha[45];
	int changed;

	if (mf->local == NULL)
		return 0;
	switch (drift_cache_get(ui->drift, mf->local, sha)) {
	case DRIFT_CACHE_KNOWN:
		break;
	case DRIFT_CACHE_PENDING:
		(*unknown)++;
		return 0;
	default:
		return 0;
	}
	memset(&row, 0, sizeof row);
	drift_compare_function(me->conf, ui->locals, ui->n_locals, mf->local, sha, &mf->fn, &row);
	changed = row.state == DRIFT_LOCAL_CHANGES;
	drift_row_clear(&row);
	return changed;
}

/* The names of env's changed functions, ", "-separated in buf; returns how many. */
static size_t
job_batch_list(struct ui *ui, size_t env, char *buf, size_t len, size_t *unknown)
{
	struct model_env *me = model_env_at(ui->model, env);
	size_t i, n = 0, off = 0;

	buf[0] = '\0';
	*unknown = 0;
	for (i = 0; i < me->n_functions; i++) {
		struct model_function *mf = &me->functions[i];

		if (!job_batch_changed(ui, me, mf, unknown))
			continue;
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", n > 0 ? ", " : "",
			    mf->local->name);
		n++;
	}
	return n;
}

void
job_batch_ask(struct ui *ui, size_t env)
{
	struct model_env *me = model_env_at(ui->model, env);
	struct dlc_err err;
	char names[2048], label[256];
	size_t unknown, n;

	if (ui->queue == NULL) {
		ui_message(ui, 1, "P needs the deploy queue, which this console has not (e: why)");
		return;
	}
	if (me->aenv == NULL) {
		ui_message(ui, 1, "%s: no credentials (%.200s)", me->conf->name, me->identity_err.message);
		return;
	}
	n = job_batch_list(ui, env, names, sizeof names, &unknown);
	if (n == 0) {
		ui_message(ui, 0, "no function of %s has local changes (DRIFT)%s: nothing to push",
		    me->conf->name, unknown > 0 ? "; some are still ? (wait for the column)" : "");
		return;
	}
	dlc_err_clear(&err);
	if (push_policy_check(me->conf, NULL, 0, &err) == 0) {
		snprintf(label, sizeof label, "push %zu with local changes (%.120s) to %.40s? (y/n) ",
		    n, names, me->conf->name);
		ui_prompt_open(ui, "push-batch-yn", label, "");
	} else if (me->conf->deploy == DEPLOY_CONFIRM) {
		snprintf(label, sizeof label, "push %zu with local changes (%.120s): type %.40s to "
		    "confirm: ", n, names, me->conf->name);
		ui_prompt_open(ui, "push-batch-cf", label, "");
	} else {
		ui_error(ui, &err);
	}
}

void
job_batch_answer(struct ui *ui, size_t env, const char *purpose, const char *text)
{
	struct model_env *me = model_env_at(ui->model, env);
	const char *confirmed = NULL;
	struct dlc_err err;
	size_t i, queued = 0, unknown = 0;

	if (strcmp(purpose, "push-batch-yn") == 0) {
		if (strcmp(text, "y") != 0 && strcmp(text, "yes") != 0) {
			ui_message(ui, 0, "batch push to %s cancelled", me->conf->name);
			return;
		}
	} else {
		confirmed = text;
	}
	/* The list again: a function pushed meanwhile is not pushed twice. */
	for (i = 0; i < me->n_functions; i++) {
		struct model_function *mf = &me->functions[i];

		if (!job_batch_changed(ui, me, mf, &unknown))
			continue;
		dlc_err_clear(&err);
		if (queue_console_push(ui, env, mf, PUSH_CODE, confirmed, &err) != 0) {
			ui_error(ui, &err);
			return;
		}
		queued++;
	}
	ui_message(ui, 0, "queued %zu push%s to %s (Q: the queue view)", queued,
	    queued == 1 ? "" : "es", me->conf->name);
}
