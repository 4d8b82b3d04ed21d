/*
 * p: push the selected function's code (push.h). The engine enforces the
 * environment's policy; the console asks first what each policy needs:
 * allow a y/n naming the function, its remote name and the environment;
 * confirm the environment's name typed back (passed to the engine, which
 * refuses any other); deny says why and asks nothing.
 */
#include "ui.h"
#include "jobs.h"

#include <stdio.h>
#include <string.h>

#include "drift-cache.h"
#include "queue-console.h"

static void
job_push_step(struct push_job *pj, enum push_step step, void *arg)
{
	struct ui_job *j = arg;
	const struct push_step_info *si = push_job_step(pj, step);

	jobs_linef(j, si->state == PUSH_FAILED ? ROLE_ERROR : ROLE_DIM, "%-8s %-8s %s",
	    push_step_name(step), push_state_name(si->state), si->detail);
	ui_dirty(j->ui, UI_DIRTY_QUEUE);
}

static void
job_push_progress(struct push_job *pj, enum push_step step, void *arg)
{
	struct ui_job *j = arg;

	(void)pj;
	(void)step;
	/* The strip reads the step's numbers from the job when it draws. */
	ui_dirty(j->ui, UI_DIRTY_QUEUE);
}

static void
job_push_output(struct push_job *pj, const char *text, size_t len, void *arg)
{
	struct ui_job *j = arg;

	(void)pj;
	jobs_line(j, ROLE_NORMAL, text, len);
}

static void
job_push_done(struct push_job *pj, const struct dlc_err *err, void *arg)
{
	struct ui_job *j = arg;
	const struct push_result *r = push_job_result(pj);
	struct ui *ui = j->ui;

	if (err != NULL) {
		jobs_line(j, ROLE_ERROR, err->message, strlen(err->message));
		jobs_finish(j, 0, err->code, "push %s to %s failed at %s: %s", j->target, j->env,
		    push_step_name(push_job_current(pj)), err->code);
		ui_error(ui, err);
	} else if (r->outcome == PUSH_OUTCOME_DEPLOYED) {
		jobs_finish(j, 1, "deployed, verified", "deployed %s as %s to %s, verified: CodeSha256 %s", j->target,
		    r->remote_name, j->env, r->local_sha256);
		ui_message(ui, 0, "%s deployed to %s and verified", j->target, j->env);
	} else {
		jobs_finish(j, 1, push_outcome_name(r->outcome), "%s: %s in %s (CodeSha256 %s)",
		    push_outcome_name(r->outcome),
		    j->target, j->env, r->local_sha256);
		ui_message(ui, 0, "%s: %s in %s", j->target, push_outcome_name(r->outcome), j->env);
	}
	/* What is deployed changed: the list (and its DRIFT column) reads it again. */
	drift_cache_forget(ui->drift, j->target);
	model_refresh_functions(ui->model, j->env_index);
}

static const struct push_callbacks job_push_cbs = {
	job_push_step, job_push_progress, job_push_output, job_push_done
};

static void
job_push_start(struct ui *ui, size_t env, struct model_function *mf, const char *confirmed)
{
	struct model_env *me = model_env_at(ui->model, env);
	struct ui_job *j;
	struct dlc_err err;

	dlc_err_clear(&err);
	if (ui->queue != NULL) {
		/* Through the deploy queue: the strip shows it from the queue's jobs. */
		if (queue_console_push(ui, env, mf, PUSH_CODE, confirmed, &err) != 0) {
			ui_error(ui, &err);
			return;
		}
		ui_message(ui, 0, "%s queued for %s…", mf->local->name, me->conf->name);
		return;
	}
	j = jobs_new(ui, UI_JOB_PUSH, env, mf->local->name, mf->fn.function_name);
	snprintf(j->confirmed, sizeof j->confirmed, "%s", confirmed != NULL ? confirmed : "");
	j->push_opts.confirmed = confirmed != NULL ? j->confirmed : NULL;
	jobs_linef(j, ROLE_TITLE, "push %s as %s to %s (deploy = %s)", mf->local->name,
	    mf->fn.function_name, me->conf->name, dlc_deploy_policy_name(me->conf->deploy));
	dlc_err_clear(&err);
	j->push = push_job_start(ui->ctx->aws.loop, me->aenv, &ui->ctx->cfg, me->conf,
	    mf->local, PUSH_CODE, &j->push_opts, &job_push_cbs, j, &err);
	if (j->push == NULL) {
		jobs_finish(j, 0, err.code, "push %s to %s refused: %s", j->target, j->env, err.message);
		ui_error(ui, &err);
		return;
	}
	ui_message(ui, 0, "pushing %s to %s…", mf->local->name, me->conf->name);
}

/*
 * While p's prompt is open: the whole question above the status line, so
 * the function, its remote name and the environment are all on screen at
 * any width (the prompt's one line is cut at 80 columns).
 */
void
job_push_draw_question(struct ui *ui, size_t env, WINDOW *win, int rows, int cols)
{
	struct model_env *me = model_env_at(ui->model, env);
	struct model_function *mf = model_function_find(ui->model, env, ui->pending);
	int role = me->conf->deploy == DEPLOY_CONFIRM ? ROLE_ENV_CONFIRM : ROLE_ENV_ALLOW;
	char line[512];
	int y = rows - 4, i;

	/* p's own question only: P and R ask theirs in the prompt. */
	if (mf == NULL || mf->local == NULL || y < 0 || (strcmp(ui->prompt_purpose, "push-yn") != 0 &&
	    strcmp(ui->prompt_purpose, "push-confirm") != 0))
		return;
	for (i = y; i < rows; i++)
		draw_fill(win, i, role);
	snprintf(line, sizeof line, "push %s (functions/%s)", mf->local->name, mf->local->name);
	draw_id_text(win, y++, 1, cols - 2, line, role, 0);
	snprintf(line, sizeof line, "  as %s", mf->fn.function_name);
	draw_id_text(win, y++, 1, cols - 2, line, role, 0);
	snprintf(line, sizeof line, "  to %s (deploy = %s)", me->conf->name,
	    dlc_deploy_policy_name(me->conf->deploy));
	draw_text(win, y++, 1, cols - 2, line, role, 0);
	snprintf(line, sizeof line, me->conf->deploy == DEPLOY_CONFIRM ?
	    "type the environment's name, %s, below to go ahead (Esc: no)" :
	    "y to go ahead, n or Esc not to", me->conf->name);
	draw_text(win, y, 1, cols - 2, line, role, 0);
}

void
job_push_ask(struct ui *ui, size_t env, const char *id)
{
	struct model_function *mf = jobs_target(ui, env, id, JOBS_NEED_LOCAL | JOBS_NEED_AWS);
	struct model_env *me = model_env_at(ui->model, env);
	struct dlc_err err;
	char label[256];

	if (mf == NULL)
		return;
	snprintf(ui->pending, sizeof ui->pending, "%s", mf->fn.function_name);
	dlc_err_clear(&err);
	if (push_policy_check(me->conf, NULL, 0, &err) == 0) {
		snprintf(label, sizeof label, "push %.100s to %.40s? (y/n) ", mf->local->name,
		    me->conf->name);
		ui_prompt_open(ui, "push-yn", label, "");
		ui_dirty(ui, UI_DIRTY_MAIN);
	} else if (me->conf->deploy == DEPLOY_CONFIRM) {
		snprintf(label, sizeof label, "push %.100s: type %.40s to confirm: ",
		    mf->local->name, me->conf->name);
		ui_prompt_open(ui, "push-confirm", label, "");
		ui_dirty(ui, UI_DIRTY_MAIN);
	} else {
		/* deny: the engine's reason and fix, nothing asked. */
		ui_error(ui, &err);
	}
}

void
job_push_answer(struct ui *ui, size_t env, const char *purpose, const char *text)
{
	struct model_function *mf = jobs_target(ui, env, ui->pending,
	    JOBS_NEED_LOCAL | JOBS_NEED_AWS);

	if (mf == NULL)
		return;
	if (strcmp(purpose, "push-yn") == 0) {
		if (strcmp(text, "y") != 0 && strcmp(text, "yes") != 0) {
			ui_message(ui, 0, "push of %s cancelled", mf->local->name);
			return;
		}
		job_push_start(ui, env, mf, NULL);
	} else {
		/* The engine compares the name: a wrong one is refused there, and shown. */
		job_push_start(ui, env, mf, text);
	}
}
