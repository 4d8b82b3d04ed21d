/*
 * b: build the selected function (build.h) with its output streamed into
 * the build view; d builds the same way first (skipped when unchanged)
 * for the CodeSha256 it compares.
 */
#include "ui.h"
#include "jobs.h"

#include <stdio.h>
#include <string.h>

#include "build.h"
#include "drift-cache.h"
#include "proc.h"
#include "table.h"

static void
job_build_line(const char *name, int stream, const char *text, size_t len, void *arg)
{
	struct ui_job *j = arg;

	(void)name;
	jobs_line(j, stream == PROC_STDERR ? ROLE_WARN : stream == 0 ? ROLE_DIM : ROLE_NORMAL,
	    text, len);
}

static void
job_build_progress(const struct build_progress *pr, void *arg)
{
	struct ui_job *j = arg;
	char done[32], total[32];

	if (pr->total > 0) {
		table_format_size((long long)pr->done, done, sizeof done);
		table_format_size((long long)pr->total, total, sizeof total);
		snprintf(j->progress, sizeof j->progress, "%s %s/%s", pr->phase, done, total);
	} else if (pr->command_line != NULL) {
		snprintf(j->progress, sizeof j->progress, "%s: %.200s", pr->phase, pr->command_line);
	} else {
		snprintf(j->progress, sizeof j->progress, "%s", pr->phase);
	}
	ui_dirty(j->ui, UI_DIRTY_QUEUE);
}

static void
job_build_done(const struct build_result *r, const struct dlc_err *err, void *arg)
{
	struct ui_job *j = arg;
	char size[32];

	if (j->kind == UI_JOB_DIFF) {
		job_diff_built(j, r, err);
	} else if (r != NULL) {
		table_format_size((long long)r->size, size, sizeof size);
		jobs_finish(j, 1, r->skipped ? "unchanged" : "built", "%s %s (%s, CodeSha256 %s)",
		    r->skipped ? "unchanged:" : "built",
		    r->zip_path, size, r->code_sha256);
	} else {
		/* The message ends with the failing command's last lines: all of them shown. */
		jobs_line(j, ROLE_ERROR, err->message, strlen(err->message));
		if (err->fix[0] != '\0')
			jobs_linef(j, ROLE_WARN, "what to do: %s", err->fix);
		jobs_finish(j, 0, err->code, "build failed: %s", err->code);
		ui_error(j->ui, err);
	}
	build_free(j->build);
	j->build = NULL;
	drift_cache_forget(j->ui->drift, j->target);
}

int
job_build_begin(struct ui_job *j, const struct local_function *lf)
{
	struct ui *ui = j->ui;
	struct dlc_err err;

	dlc_err_clear(&err);
	snprintf(j->progress, sizeof j->progress, "starting");
	j->build = build_start(ui->ctx->aws.loop, &ui->ctx->cfg, lf, 0, job_build_line,
	    job_build_progress, job_build_done, j, &err);
	if (j->build == NULL) {
		jobs_finish(j, 0, err.code, "build cannot start: %s", err.message);
		ui_error(ui, &err);
		return -1;
	}
	return 0;
}

void
job_build_run(struct ui *ui, size_t env, const char *id)
{
	struct model_function *mf = jobs_target(ui, env, id, JOBS_NEED_LOCAL);
	struct ui_job *j;

	if (mf == NULL)
		return;
	j = jobs_new(ui, UI_JOB_BUILD, env, mf->local->name, mf->fn.function_name);
	/* Named before it runs: what is built, for which environment's list. */
	jobs_linef(j, ROLE_TITLE, "build %s (functions/%s) for %s", mf->local->name,
	    mf->local->name, j->env);
	ui_message(ui, 0, "building %s…", mf->local->name);
	jobs_show(ui, j);
	job_build_begin(j, mf->local);
}
