/*
 * The functions view of the chosen environment: one row per Lambda
 * function (local name when it maps to a folder under functions/), sorted
 * and filtered by the list model, the selection following the function's
 * identity across refreshes (k9s #1950). Enter opens the details.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit-cell.h"
#include "console-state.h"
#include "drift.h"
#include "drift-cache.h"
#include "jobs.h"
#include "keys.h"
#include "lambda.h"
#include "listview.h"
#include "pane-functions-health.h"
#include "table.h"
#include "timeutil.h"
#include "xmalloc.h"

enum { FN_NAME, FN_RUNTIME, FN_MEMORY, FN_TIMEOUT, FN_MODIFIED, FN_SIZE, FN_STATE,
	FN_SPECIAL, FN_ALARMS, FN_INVOCATIONS, FN_ERRORS, FN_DRIFT,
	FN_AUDIT,
	FN_NCOLS };

static const struct column_spec pane_functions_columns[FN_NCOLS] = {
	{ "FUNCTION", 24, 0, 3, 0, 0 },	/* 12 cut every name once the health columns came */
	{ "RUNTIME", 8, 24, 0, 0, 0 },
	{ "MEMORY", 6, 8, 0, 1, 3 },
	{ "TIMEOUT", 7, 8, 0, 1, 2 },
	{ "MODIFIED", 8, 10, 0, 1, 4 },
	{ "SIZE", 5, 8, 0, 1, 1 },
	{ "STATE", 6, 24, 0, 0, 5 },
	{ "MARK", 7, 16, 0, 0, 6 },	/* special, unmatched, env NAME */
	/* Health: what is firing stays longest on a narrow screen; invocations go early. */
	{ "ALARMS", 6, 20, 0, 0, 9 },
	{ "INVOCATIONS", PANE_HEALTH_SPARK_WIDTH, PANE_HEALTH_SPARK_WIDTH, 0, 0, 4 },
	{ "ERRORS", PANE_HEALTH_SPARK_WIDTH, PANE_HEALTH_SPARK_WIDTH, 0, 0, 8 },
	{ "DRIFT", 5, 24, 0, 0, 7 },	/* the local build against the deployed code */
	{ "AUDIT", 5, 5, 0, 1, 1 },	/* findings of the audit (audit-cell.h) */
};

struct pane_functions {
	struct ui		*ui;
	size_t			 env;
	struct listview		*lv;
	struct draw_columns	 dc;
	char			 cells[4][96];
	int			 next_cell;
};

static struct model_env *
pane_functions_env(struct pane_functions *p)
{
	return model_env_at(p->ui->model, p->env);
}

static char *
pane_functions_buf(struct pane_functions *p)
{
	p->next_cell = (p->next_cell + 1) % 4;
	return p->cells[p->next_cell];
}

static size_t
pane_functions_count(void *arg)
{
	return pane_functions_env(arg)->n_functions;
}

static const char *
pane_functions_id(void *arg, size_t row)
{
	return pane_functions_env(arg)->functions[row].fn.function_name;
}

/*
 * DRIFT: "is it the code in my checkout?" The local CodeSha256 is the
 * current build's, found lazily (drift-cache.h): "?" until it is known,
 * "not built" when no build of the current files exists (b or d builds).
 */
static const char *
pane_functions_drift(struct pane_functions *p, struct model_function *mf, char *b, int *role)
{
	struct model_env *me = pane_functions_env(p);
	struct drift_row row;
	char sha[45];

	if (mf->local == NULL) {
		*role = ROLE_DIM;
		return mf->owner == ENV_OWNER_MINE ? "remote only" : "";
	}
	switch (drift_cache_get(p->ui->drift, mf->local, sha)) {
	case DRIFT_CACHE_PENDING:
		*role = ROLE_DIM;
		return "?";
	case DRIFT_CACHE_NOT_BUILT:
		*role = ROLE_DIM;
		return "not built";
	case DRIFT_CACHE_ERROR:
		*role = ROLE_ERROR;
		return "unreadable";
	default:
		break;
	}
	memset(&row, 0, sizeof row);
	drift_compare_function(me->conf, p->ui->locals, p->ui->n_locals, mf->local, sha,
	    &mf->fn, &row);
	*role = drift_row_differs(&row) ? ROLE_WARN : ROLE_OK;
	snprintf(b, 96, "%s%s", drift_state_name(row.state), row.n_items > 0 ? " +config" : "");
	drift_row_clear(&row);
	return b;
}

/* What is drawn; the sort and filter text differs only for times and sizes. */
static const char *
pane_functions_cell(void *arg, size_t row, size_t col, int *role)
{
	struct pane_functions *p = arg;
	struct model_function *mf = &pane_functions_env(p)->functions[row];
	const struct lambda_function *f = &mf->fn;
	char *b = pane_functions_buf(p);
	time_t when;

	switch (col) {
	case FN_NAME:
		return mf->local != NULL ? mf->local->name : f->function_name;
	case FN_RUNTIME:
		if (mf->deprecated) {
			*role = ROLE_DEPRECATED;
			snprintf(b, 96, "%s (deprecated)", f->runtime != NULL ? f->runtime : "-");
			return b;
		}
		return f->runtime != NULL ? f->runtime : "-";
	case FN_MEMORY:
		snprintf(b, 96, "%ldMB", f->memory_size);
		return b;
	case FN_TIMEOUT:
		snprintf(b, 96, "%lds", f->timeout);
		return b;
	case FN_MODIFIED:
		if (f->last_modified == NULL || timeutil_parse_iso8601(f->last_modified, &when, NULL) != 0)
			return "-";
		timeutil_format_relative(when, timeutil_now(), b, 96);
		return b;
	case FN_SIZE:
		table_format_size(f->code_size, b, 96);
		return b;
	case FN_AUDIT:
		return audit_cell_text(model_env_audit(p->ui->model, p->env), f->function_name, b, 96,
		    role);
	case FN_STATE:
		if (f->last_update_status != NULL && strcmp(f->last_update_status, "Successful") != 0) {
			*role = strcmp(f->last_update_status, "Failed") == 0 ? ROLE_ERROR : ROLE_WARN;
			snprintf(b, 96, "%s/%s", f->state != NULL ? f->state : "-", f->last_update_status);
			return b;
		}
		if (f->state != NULL && strcmp(f->state, "Active") != 0)
			*role = ROLE_WARN;
		return f->state != NULL ? f->state : "-";
	case FN_DRIFT:
		return pane_functions_drift(p, mf, b, role);
	case FN_ALARMS:
	case FN_INVOCATIONS:
	case FN_ERRORS:
		return pane_functions_health_cell(p->ui, p->env, mf,
		    (enum pane_health_col)(col - FN_ALARMS), b, 96, role);
	default:
		if (mf->local != NULL && mf->local->special) {
			*role = ROLE_SPECIAL;
			return "special";
		}
		/* No environment's template, or another environment's (A shows those). */
		if (mf->owner == ENV_OWNER_UNMATCHED) {
			*role = ROLE_DIM;
			return "unmatched";
		}
		if (mf->owner == ENV_OWNER_OTHER) {
			struct model_env *o = model_env_at(p->ui->model, mf->owner_env);

			*role = ROLE_DIM;
			snprintf(b, 96, "env %s", o != NULL ? o->conf->name : "?");
			return b;
		}
		return "";
	}
}

static const char *
pane_functions_text(void *arg, size_t row, size_t col)
{
	struct pane_functions *p = arg;
	struct model_function *mf = &pane_functions_env(p)->functions[row];
	char *b;
	int role;

	if (col == FN_MODIFIED)
		return mf->fn.last_modified != NULL ? mf->fn.last_modified : "";
	if (col == FN_SIZE) {
		b = pane_functions_buf(p);
		snprintf(b, 96, "%lld", mf->fn.code_size);
		return b;
	}
	if (col >= FN_ALARMS && col <= FN_ERRORS)
		return pane_functions_health_text(p->ui, p->env, mf,
		    (enum pane_health_col)(col - FN_ALARMS), pane_functions_buf(p), 96);
	/* The filter also finds a mapped function by its AWS name. */
	if (col == FN_SPECIAL && mf->local != NULL)
		return mf->fn.function_name;
	return pane_functions_cell(arg, row, col, &role);
}

/* Groups the MARK column: special first, then the environment's own, others, unmatched. */
static int
pane_functions_mark_rank(const struct model_function *mf)
{
	if (mf->local != NULL && mf->local->special)
		return 0;
	if (mf->owner == ENV_OWNER_OTHER)
		return 2;
	return mf->owner == ENV_OWNER_UNMATCHED ? 3 : 1;
}

static time_t
pane_functions_modified(const struct lambda_function *f)
{
	time_t when;

	if (f->last_modified == NULL || timeutil_parse_iso8601(f->last_modified, &when, NULL) != 0)
		return 0;	/* unknown sorts first */
	return when;
}

#define PANE_FUNCTIONS_CMP(x, y)	((x) < (y) ? -1 : (x) > (y))

/* AUDIT: by the count of findings, the unknown first. */
static int
pane_functions_audit_cmp(struct pane_functions *p, const char *a, const char *b)
{
	const struct model_audit *au = model_env_audit(p->ui->model, p->env);
	long x = audit_cell_count(au, a), y = audit_cell_count(au, b);

	return PANE_FUNCTIONS_CMP(x, y);
}

/*
 * Numbers as numbers, sizes as bytes, times as times, from the function
 * itself: sorting on the drawn text compared "512MB" with "1024MB" as
 * words, and its cells came from four scratch buffers that a sort of more
 * than four rows overwrote, so the order was scrambled.
 */
static int
pane_functions_compare(void *arg, size_t a, size_t b, size_t col)
{
	const struct model_env *e = pane_functions_env(arg);
	const struct model_function *ma = &e->functions[a], *mb = &e->functions[b];
	const struct lambda_function *fa = &ma->fn, *fb = &mb->fn;
	int c;

	switch (col) {
	case FN_NAME:
		return listview_natural_cmp(ma->local != NULL ? ma->local->name : fa->function_name,
		    mb->local != NULL ? mb->local->name : fb->function_name);
	case FN_RUNTIME:
		return listview_natural_cmp(fa->runtime != NULL ? fa->runtime : "",
		    fb->runtime != NULL ? fb->runtime : "");
	case FN_MEMORY:
		return PANE_FUNCTIONS_CMP(fa->memory_size, fb->memory_size);
	case FN_TIMEOUT:
		return PANE_FUNCTIONS_CMP(fa->timeout, fb->timeout);
	case FN_MODIFIED:
		return PANE_FUNCTIONS_CMP(pane_functions_modified(fa), pane_functions_modified(fb));
	case FN_SIZE:
		return PANE_FUNCTIONS_CMP(fa->code_size, fb->code_size);
	case FN_AUDIT:
		return pane_functions_audit_cmp(arg, fa->function_name, fb->function_name);
	case FN_STATE:
		c = listview_natural_cmp(fa->state != NULL ? fa->state : "",
		    fb->state != NULL ? fb->state : "");
		if (c != 0)
			return c;
		return listview_natural_cmp(fa->last_update_status != NULL ? fa->last_update_status : "",
		    fb->last_update_status != NULL ? fb->last_update_status : "");
	case FN_DRIFT:
		return listview_natural_cmp(pane_functions_text(arg, a, col), pane_functions_text(arg, b, col));
	case FN_ALARMS:
	case FN_INVOCATIONS:
	case FN_ERRORS:
		return pane_functions_health_compare(((struct pane_functions *)arg)->ui,
		    ((struct pane_functions *)arg)->env, ma, mb, (enum pane_health_col)(col - FN_ALARMS));
	default:
		return PANE_FUNCTIONS_CMP(pane_functions_mark_rank(ma), pane_functions_mark_rank(mb));
	}
}

static const struct listview_source pane_functions_source = {
	FN_NCOLS, pane_functions_count, pane_functions_id, pane_functions_text,
	pane_functions_compare
};

/* The columns chosen with c in an earlier run (console-state.h says why not dlc.ini). */
static void
pane_functions_load_columns(struct pane_functions *p)
{
	char *path = console_state_path();
	char *saved = console_state_get(path, "functions-columns");

	if (saved != NULL)
		p->dc.n_order = columns_parse_order(pane_functions_columns, FN_NCOLS, saved, p->dc.order);
	free(saved);
	free(path);
}

struct draw_columns *
pane_functions_draw_columns(struct pane *pane)
{
	struct pane_functions *p;

	if (pane == NULL || pane->ops != &pane_functions_ops)
		return NULL;
	p = pane->state;
	return &p->dc;
}

/* y and Y: the AWS name (what the aws CLI and the console of AWS take) or the ARN. */
static void
pane_functions_copy(struct pane_functions *p, const char *id, int arn)
{
	struct model_function *mf = id != NULL ? model_function_find(p->ui->model, p->env, id) : NULL;
	const char *text;
	char what[320];

	if (mf == NULL)
		return;
	text = arn ? mf->fn.function_arn : mf->fn.function_name;
	if (text == NULL) {
		ui_message(p->ui, 1, "no ARN known for %s", mf->fn.function_name);
		return;
	}
	snprintf(what, sizeof what, "%s of %s", arn ? "ARN" : "name", mf->fn.function_name);
	clipboard_copy(p->ui, text, strlen(text), what);
}

static void *
pane_functions_init(struct ui *ui, const char *arg)
{
	struct pane_functions *p;

	if (ui->env < 0)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->env = (size_t)ui->env;
	p->lv = listview_new(&pane_functions_source, p);
	p->dc.spec = pane_functions_columns;
	p->dc.n = FN_NCOLS;
	pane_functions_load_columns(p);
	listview_refresh(p->lv);
	return p;
}

static void
pane_functions_free(void *state)
{
	struct pane_functions *p = state;

	listview_free(p->lv);
	free(p);
}

static void
pane_functions_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_functions *p = state;
	struct model_env *me = pane_functions_env(p);
	char msg[1400];

	draw_list(p->ui, win, rows, cols, p->lv, &p->dc, pane_functions_cell, p);
	if (p->ui->prompt == UI_PROMPT_PANE && strncmp(p->ui->prompt_purpose, "push-", 5) == 0)
		job_push_draw_question(p->ui, p->env, win, rows, cols);
	if (listview_visible(p->lv) > 0)
		return;
	if (me->functions_state == MODEL_FAILED && me->n_functions == 0) {
		snprintf(msg, sizeof msg, "could not list functions: %s%s%s", me->functions_err.code,
		    me->functions_err.code[0] != '\0' ? ": " : "", me->functions_err.message);
		draw_text(win, 2, 2, cols - 4, msg, ROLE_ERROR, 0);
		if (me->functions_err.fix[0] != '\0')
			draw_text(win, 3, 2, cols - 4, me->functions_err.fix, ROLE_WARN, 0);
	} else if (me->functions_state == MODEL_LOADING || me->functions_state == MODEL_IDLE) {
		snprintf(msg, sizeof msg, "loading the functions of %s…", me->conf->name);
		draw_text(win, 2, 2, cols - 4, msg, ROLE_LOADING, 0);
	} else if (me->n_functions == 0) {
		draw_text(win, 2, 2, cols - 4, "no Lambda functions in this environment", ROLE_DIM, 0);
	} else {
		draw_text(win, 2, 2, cols - 4, "no function matches the filter (Esc in '/' restores it)", ROLE_DIM, 0);
	}
}

static int
pane_functions_action(void *state, const char *action)
{
	struct pane_functions *p = state;
	const char *id = listview_selected_id(p->lv);

	if (strcmp(action, "select") == 0) {
		if (id != NULL)
			ui_push(p->ui, &pane_details_ops, id);
		return 1;
	}
	if (strcmp(action, "refresh") == 0) {
		model_refresh_functions(p->ui->model, p->env);
		ui_message(p->ui, 0, "refreshing %s…", pane_functions_env(p)->conf->name);
		return 1;
	}
	if (strcmp(action, "logs") == 0) {
		if (id != NULL)
			ui_push(p->ui, &pane_logs_ops, id);
		return 1;
	}
	if (strcmp(action, "copy") == 0 || strcmp(action, "copy-arn") == 0) {
		pane_functions_copy(p, id, strcmp(action, "copy-arn") == 0);
		return 1;
	}
	/* b, p, i, d: jobs that name their target and environment first (jobs.h). */
	if (strcmp(action, "build") == 0) {
		job_build_run(p->ui, p->env, id);
		return 1;
	}
	if (strcmp(action, "push") == 0) {
		job_push_ask(p->ui, p->env, id);
		return 1;
	}
	if (strcmp(action, "push-changed") == 0) {
		job_batch_ask(p->ui, p->env);
		return 1;
	}
	if (strcmp(action, "rollback") == 0) {
		job_rollback_ask(p->ui, p->env, id);
		return 1;
	}
	if (strcmp(action, "invoke") == 0) {
		job_invoke_ask(p->ui, p->env, id);
		return 1;
	}
	if (strcmp(action, "diff") == 0) {
		job_diff_run(p->ui, p->env, id);
		return 1;
	}
	if (strcmp(action, "columns") == 0) {
		ui_push(p->ui, &pane_columns_ops, "functions");
		return 1;
	}
	if (strcmp(action, "show-all") == 0) {
		model_set_show_all(p->ui->model, !model_show_all(p->ui->model));
		ui_message(p->ui, 0, model_show_all(p->ui->model) ?
		    "every function of the account, other environments' marked" :
		    "%s's functions and the unmatched ones", pane_functions_env(p)->conf->name);
		return 1;
	}
	return pane_list_action(p->ui, p->lv, action, &p->dc);
}

static int
pane_functions_on_change(void *state, enum model_change what, size_t env, const char *fn)
{
	struct pane_functions *p = state;

	if (what == MODEL_CHANGE_AUDIT && env == p->env) {
		p->dc.valid = 0;
		listview_refresh(p->lv);
		return 1;
	}
	if ((what == MODEL_CHANGE_ALARMS || what == MODEL_CHANGE_METRICS) && env == p->env) {
		p->dc.valid = 0;
		listview_refresh(p->lv);	/* sorted on one of them, the order changes */
		pane_functions_health_changed(p->ui, env, what);
		return 1;
	}
	if (what != MODEL_CHANGE_FUNCTIONS || env != p->env)
		return 0;
	p->dc.valid = 0;
	/* The files may have changed too: each row's build is looked at again. */
	if (pane_functions_env(p)->functions_state == MODEL_READY)
		drift_cache_forget(p->ui->drift, NULL);
	listview_refresh(p->lv);
	if (pane_functions_env(p)->functions_state == MODEL_FAILED)
		ui_error(p->ui, &pane_functions_env(p)->functions_err);
	return 1;
}

static void
pane_functions_title(void *state, char *buf, size_t len)
{
	struct pane_functions *p = state;
	const char *filter = listview_filter(p->lv);

	snprintf(buf, len, "functions (%s%s) %zu/%zu%s%s", pane_functions_env(p)->conf->name,
	    model_show_all(p->ui->model) ? ", whole account" : "",
	    listview_visible(p->lv), listview_total(p->lv),
	    filter != NULL && *filter != '\0' ? "   filter: " : "",
	    filter != NULL ? filter : "");
}

static struct listview *
pane_functions_list(void *state)
{
	struct pane_functions *p = state;

	return p->lv;
}

static void
pane_functions_prompt(void *state, const char *purpose, const char *text)
{
	struct pane_functions *p = state;

	jobs_prompt(p->ui, p->env, purpose, text);
}

const struct pane_ops pane_functions_ops = {
	"functions", KEYCTX_LIST | KEYCTX_TABLE | KEYCTX_FUNCTIONS,
	pane_functions_init, pane_functions_free, pane_functions_draw, pane_functions_action,
	pane_functions_on_change, pane_functions_title, pane_functions_list, pane_functions_prompt
};
