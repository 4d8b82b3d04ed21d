/* The console's jobs: the list, their output lines and how each ended. */
#include "ui.h"
#include "jobs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "build.h"
#include "timeutil.h"
#include "xmalloc.h"

/* Finished jobs kept for the strip and their output views. */
#define JOBS_KEEP	20

const char *
jobs_kind_name(enum ui_job_kind kind)
{
	switch (kind) {
	case UI_JOB_BUILD:
		return "build";
	case UI_JOB_PUSH:
		return "push";
	case UI_JOB_INVOKE:
		return "invoke";
	default:
		return "diff";
	}
}

static void
jobs_free_one(struct ui_job *j)
{
	size_t i;

	if (j->call != NULL)
		aws_call_cancel(j->call);
	build_free(j->build);
	push_job_free(j->push);
	for (i = 0; i < j->n_lines; i++)
		free(j->lines[i].text);
	free(j->lines);
	free(j);
}

/* Lets the oldest finished jobs go past JOBS_KEEP; running ones stay. */
static void
jobs_trim(struct ui *ui)
{
	struct ui_job **pp = &ui->jobs;
	size_t n = 0;

	while (*pp != NULL) {
		struct ui_job *j = *pp;

		if (++n > JOBS_KEEP && j->state != UI_JOB_RUNNING) {
			*pp = j->next;
			jobs_free_one(j);
			continue;
		}
		pp = &j->next;
	}
}

struct ui_job *
jobs_new(struct ui *ui, enum ui_job_kind kind, size_t env, const char *target,
    const char *remote)
{
	struct ui_job *j = xcalloc(1, sizeof *j);
	struct model_env *me = model_env_at(ui->model, env);

	j->id = ++ui->job_seq;
	j->kind = kind;
	j->state = UI_JOB_RUNNING;
	j->ui = ui;
	j->env_index = env;
	j->started = timeutil_now();
	snprintf(j->target, sizeof j->target, "%s", target);
	snprintf(j->remote, sizeof j->remote, "%s", remote != NULL ? remote : target);
	snprintf(j->env, sizeof j->env, "%s", me != NULL ? me->conf->name : "?");
	j->next = ui->jobs;
	ui->jobs = j;
	jobs_trim(ui);
	/* The strip may grow a row. */
	ui_dirty(ui, UI_DIRTY_LAYOUT | UI_DIRTY_ALL);
	return j;
}

struct ui_job *
jobs_find(struct ui *ui, unsigned id)
{
	struct ui_job *j;

	for (j = ui->jobs; j != NULL; j = j->next)
		if (j->id == id)
			return j;
	return NULL;
}

size_t
jobs_count(struct ui *ui)
{
	struct ui_job *j;
	size_t n = 0;

	for (j = ui->jobs; j != NULL; j = j->next)
		n++;
	return n;
}

static void
jobs_add_line(struct ui_job *j, int role, const char *text, size_t len)
{
	if (j->n_lines == UI_JOB_MAX_LINES) {
		free(j->lines[0].text);
		memmove(j->lines, j->lines + 1, (j->n_lines - 1) * sizeof *j->lines);
		j->n_lines--;
		j->dropped++;
	}
	j->lines = xreallocarray(j->lines, j->n_lines + 1, sizeof *j->lines);
	j->lines[j->n_lines].text = xstrndup(text, len);
	j->lines[j->n_lines].role = role;
	j->n_lines++;
}

void
jobs_line(struct ui_job *j, int role, const char *text, size_t len)
{
	const char *nl;

	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	while ((nl = memchr(text, '\n', len)) != NULL) {
		jobs_add_line(j, role, text, (size_t)(nl - text));
		len -= (size_t)(nl - text) + 1;
		text = nl + 1;
	}
	jobs_add_line(j, role, text, len);
	ui_dirty(j->ui, UI_DIRTY_MAIN);
}

void
jobs_linef(struct ui_job *j, int role, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	jobs_line(j, role, line, strlen(line));
}

void
jobs_finish(struct ui_job *j, int ok, const char *brief, const char *fmt, ...)
{
	va_list ap;

	snprintf(j->brief, sizeof j->brief, "%s", brief);
	va_start(ap, fmt);
	vsnprintf(j->result, sizeof j->result, fmt, ap);
	va_end(ap);
	j->state = ok ? UI_JOB_OK : UI_JOB_FAILED;
	j->progress[0] = '\0';
	jobs_line(j, ok ? ROLE_OK : ROLE_ERROR, j->result, strlen(j->result));
	ui_dirty(j->ui, UI_DIRTY_ALL);
}

void
jobs_free_all(struct ui *ui)
{
	struct ui_job *j;

	while ((j = ui->jobs) != NULL) {
		ui->jobs = j->next;
		jobs_free_one(j);
	}
}

void
jobs_show(struct ui *ui, struct ui_job *j)
{
	char id[32];

	snprintf(id, sizeof id, "%u", j->id);
	ui_push(ui, &pane_output_ops, id);
}

struct model_function *
jobs_target(struct ui *ui, size_t env, const char *id, int need)
{
	struct model_env *me = model_env_at(ui->model, env);
	struct model_function *mf = id != NULL ? model_function_find(ui->model, env, id) : NULL;

	if (mf == NULL) {
		ui_message(ui, 1, "no function selected");
		return NULL;
	}
	if ((need & JOBS_NEED_LOCAL) && mf->local == NULL) {
		ui_message(ui, 1, "%.200s has no folder under functions/: nothing to build or push",
		    mf->fn.function_name);
		return NULL;
	}
	if ((need & JOBS_NEED_AWS) && me->aenv == NULL) {
		ui_message(ui, 1, "%s: no credentials (%.200s)", me->conf->name,
		    me->identity_err.message);
		return NULL;
	}
	return mf;
}

void
jobs_prompt(struct ui *ui, size_t env, const char *purpose, const char *text)
{
	/* All "push-": a name typed back is kept out of the prompt's history. */
	if (strncmp(purpose, "push-batch-", 11) == 0)
		job_batch_answer(ui, env, purpose, text);
	else if (strncmp(purpose, "push-rb-", 8) == 0)
		job_rollback_answer(ui, env, purpose, text);
	else if (strncmp(purpose, "push-", 5) == 0)
		job_push_answer(ui, env, purpose, text);
	else if (strcmp(purpose, "invoke") == 0)
		job_invoke_answer(ui, env, text);
}
