/*
 * d: is what the environment runs the selected function's code in this
 * checkout? The function is built first (build.h skips an unchanged
 * build, so usually nothing runs) for the CodeSha256 push would deploy,
 * then drift.h compares it and the manifest with the list's
 * configuration, as dlc diff does.
 */
#include "ui.h"
#include "jobs.h"

#include <stdio.h>
#include <string.h>

#include "build.h"
#include "drift.h"

static void
job_diff_show(struct ui_job *j, const struct local_function *lf, const char *local_sha)
{
	struct ui *ui = j->ui;
	struct model_env *me = model_env_at(ui->model, j->env_index);
	struct model_function *mf = model_function_find(ui->model, j->env_index, j->remote);
	struct drift_row row;
	size_t i;

	memset(&row, 0, sizeof row);
	drift_compare_function(me->conf, ui->locals, ui->n_locals, lf, local_sha,
	    mf != NULL ? &mf->fn : NULL, &row);
	jobs_linef(j, ROLE_NORMAL, "local CodeSha256     %s", row.local_sha != NULL ? row.local_sha : "-");
	jobs_linef(j, ROLE_NORMAL, "deployed CodeSha256  %s", row.remote_sha != NULL ? row.remote_sha : "-");
	if (row.layers != NULL)
		jobs_linef(j, ROLE_NORMAL, "deployed layers      %s", row.layers);
	for (i = 0; i < row.n_items; i++)
		jobs_linef(j, ROLE_WARN, "%s drift: manifest %s, deployed %s", row.items[i].field,
		    row.items[i].local != NULL ? row.items[i].local : "-",
		    row.items[i].remote != NULL ? row.items[i].remote : "-");
	jobs_finish(j, !drift_row_differs(&row), drift_state_name(row.state), "%s in %s: %s%s", j->target, j->env,
	    drift_state_name(row.state), row.n_items > 0 ? ", configuration drift" : "");
	drift_row_clear(&row);
}

void
job_diff_built(struct ui_job *j, const struct build_result *r, const struct dlc_err *err)
{
	struct model_function *mf = model_function_find(j->ui->model, j->env_index, j->remote);

	if (r == NULL) {
		jobs_line(j, ROLE_ERROR, err->message, strlen(err->message));
		jobs_finish(j, 0, "unknown: the build failed", "%s in %s: unknown, the build failed (%s)", j->target, j->env,
		    err->code);
		return;
	}
	if (mf == NULL || mf->local == NULL) {
		jobs_finish(j, 0, "gone", "%s is gone from %s's list", j->target, j->env);
		return;
	}
	job_diff_show(j, mf->local, r->code_sha256);
}

void
job_diff_run(struct ui *ui, size_t env, const char *id)
{
	struct model_function *mf = jobs_target(ui, env, id, 0);
	struct ui_job *j;

	if (mf == NULL)
		return;
	j = jobs_new(ui, UI_JOB_DIFF, env, mf->local != NULL ? mf->local->name :
	    mf->fn.function_name, mf->fn.function_name);
	jobs_linef(j, ROLE_TITLE, "diff %s against %s in %s", j->target, mf->fn.function_name, j->env);
	jobs_show(ui, j);
	if (mf->local == NULL) {
		job_diff_show(j, NULL, NULL);
		return;
	}
	/* Built (or found unchanged) first: the CodeSha256 a push would deploy. */
	job_build_begin(j, mf->local);
}
