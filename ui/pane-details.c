/*
 * The details of one function: configuration, layers (and whether a newer
 * version exists), environment variables (values masked until 'x'), event
 * source mappings, schedules, and the local folder it maps to.
 */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keys.h"
#include "timeutil.h"
#include "xmalloc.h"

#define DETAILS_MAX_LINES 512

struct details_line {
	char	label[32];
	char	text[480];
	int	role;
	int	heading;
	int	id;		/* a name or identifier: drawn with draw_id_text */
};

struct pane_details {
	struct ui		*ui;
	size_t			 env;
	char			*name;
	int			 show_secrets;
	int			 scroll;
	struct details_line	*lines;
	int			 n_lines;
};

static void
details_add(struct pane_details *p, int role, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
details_add(struct pane_details *p, int role, const char *label, const char *fmt, ...)
{
	struct details_line *l;
	va_list ap;

	if (p->n_lines >= DETAILS_MAX_LINES)
		return;
	l = &p->lines[p->n_lines++];
	memset(l, 0, sizeof *l);
	snprintf(l->label, sizeof l->label, "%s", label != NULL ? label : "");
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	l->role = role;
}

static void
details_heading(struct pane_details *p, const char *title)
{
	details_add(p, ROLE_NORMAL, NULL, "%s", "");
	details_add(p, ROLE_TITLE, NULL, "%s", title);
	p->lines[p->n_lines - 1].heading = 1;
}

#define S(x) ((x) != NULL ? (x) : "-")

/* Marks the line just added as a name, so no character of it can hide. */
static void
details_id(struct pane_details *p)
{
	if (p->n_lines > 0)
		p->lines[p->n_lines - 1].id = 1;
}

static void
details_build(struct pane_details *p)
{
	struct model_function *mf = model_function_find(p->ui->model, p->env, p->name);
	struct model_details *d = mf != NULL ? mf->details : NULL;
	const struct lambda_function *f;
	char when[64];
	time_t t;
	size_t i;

	p->n_lines = 0;
	if (mf == NULL) {
		details_add(p, ROLE_WARN, NULL, "%s is no longer in this environment's list", p->name);
		return;
	}
	/* The full configuration comes with GetFunction; the list row until then. */
	f = d != NULL && d->state == MODEL_READY ? &d->config : &mf->fn;
	details_add(p, ROLE_NORMAL, "Function", "%s", S(f->function_name));
	details_id(p);
	if (mf->local != NULL)
		details_add(p, mf->local->special ? ROLE_SPECIAL : ROLE_NORMAL, "Local folder", "functions/%s%s",
		    mf->local->name, mf->local->special ? "  (special: deploys strictly one at a time)" : "");
	else
		details_add(p, ROLE_DIM, "Local folder", "%s", "none: not managed from this checkout");
	details_add(p, ROLE_NORMAL, "ARN", "%s", S(f->function_arn));
	details_id(p);
	details_add(p, mf->deprecated ? ROLE_DEPRECATED : ROLE_NORMAL, "Runtime", "%s%s", S(f->runtime),
	    mf->deprecated ? "  (deprecated runtime)" : "");
	details_add(p, ROLE_NORMAL, "Handler", "%s", S(f->handler));
	details_id(p);
	details_add(p, ROLE_NORMAL, "Memory", "%ld MB", f->memory_size);
	details_add(p, ROLE_NORMAL, "Timeout", "%ld s", f->timeout);
	details_add(p, ROLE_NORMAL, "Code size", "%lld bytes", f->code_size);
	details_add(p, ROLE_NORMAL, "CodeSha256", "%s", S(f->code_sha256));
	if (f->last_modified != NULL && timeutil_parse_iso8601(f->last_modified, &t, NULL) == 0)
		timeutil_format_relative(t, timeutil_now(), when, sizeof when);
	else
		snprintf(when, sizeof when, "-");
	details_add(p, ROLE_NORMAL, "Last modified", "%s (%s)", S(f->last_modified), when);
	details_add(p, f->state != NULL && strcmp(f->state, "Active") == 0 ? ROLE_OK : ROLE_WARN,
	    "State", "%s%s%s", S(f->state), f->state_reason != NULL ? ": " : "",
	    f->state_reason != NULL ? f->state_reason : "");
	details_add(p, f->last_update_status != NULL && strcmp(f->last_update_status, "Successful") == 0 ?
	    ROLE_OK : ROLE_WARN, "Last update", "%s%s%s", S(f->last_update_status),
	    f->last_update_status_reason != NULL ? ": " : "",
	    f->last_update_status_reason != NULL ? f->last_update_status_reason : "");
	details_add(p, ROLE_NORMAL, "Role", "%s", S(f->role));
	details_id(p);
	details_add(p, ROLE_NORMAL, "Package", "%s %s", S(f->package_type),
	    f->n_architectures > 0 ? f->architectures[0] : "");
	details_add(p, ROLE_NORMAL, "Log group", "%s%s", f->log_group != NULL ? f->log_group : "/aws/lambda/",
	    f->log_group != NULL ? "" : S(f->function_name));
	details_id(p);
	details_add(p, ROLE_NORMAL, "Description", "%s", S(f->description));

	if (d == NULL || d->state == MODEL_LOADING || d->state == MODEL_IDLE) {
		details_add(p, ROLE_NORMAL, NULL, "%s", "");
		details_add(p, ROLE_LOADING, NULL, "%s", "loading layers, event sources and schedules…");
	}
	if (d != NULL && dlc_err_isset(&d->err)) {
		details_add(p, ROLE_NORMAL, NULL, "%s", "");
		details_add(p, ROLE_ERROR, "Error", "%s%s%s", d->err.code, d->err.code[0] != '\0' ? ": " : "",
		    d->err.message);
	}

	details_heading(p, "Layers");
	if (d != NULL && d->state == MODEL_READY) {
		for (i = 0; i < d->n_layers; i++) {
			const struct model_layer *l = &d->layers[i];

			if (l->latest_version > l->version)
				details_add(p, ROLE_WARN, NULL, "%s:%ld   newer version %ld exists", S(l->name),
				    l->version, l->latest_version);
			else if (l->latest_version == 0)
				/* Not listed, failed, or another account's layer: no mark read as "latest". */
				details_add(p, ROLE_DIM, NULL, "%s:%ld   newest version unknown", S(l->name),
				    l->version);
			else
				details_add(p, ROLE_NORMAL, NULL, "%s:%ld%s", S(l->name), l->version,
				    l->latest_version == l->version ? "   (latest)" : "");
		}
		if (d->n_layers == 0)
			details_add(p, ROLE_DIM, NULL, "%s", "none");
	} else {
		for (i = 0; i < f->n_layers; i++)
			details_add(p, ROLE_NORMAL, NULL, "%s", S(f->layers[i].arn));
	}

	details_heading(p, p->show_secrets ? "Environment variables (x: hide values)" :
	    "Environment variables (x: show values)");
	for (i = 0; i < f->n_env; i++)
		details_add(p, ROLE_NORMAL, NULL, "%s = %s", f->env_names[i],
		    p->show_secrets ? f->env_values[i] : "••••••");
	if (f->n_env == 0)
		details_add(p, ROLE_DIM, NULL, "%s", "none");

	if (d != NULL && d->state == MODEL_READY) {
		details_heading(p, "Event source mappings");
		for (i = 0; i < d->n_esms; i++)
			details_add(p, d->esms[i].state != NULL && strcmp(d->esms[i].state, "Enabled") == 0 ?
			    ROLE_NORMAL : ROLE_WARN, NULL, "%s  %s  batch %ld  last result %s",
			    S(d->esms[i].state), S(d->esms[i].source_arn), d->esms[i].batch_size,
			    S(d->esms[i].last_processing_result));
		if (d->n_esms == 0)
			details_add(p, ROLE_DIM, NULL, "%s", "none");
		details_heading(p, "Schedules");
		for (i = 0; i < d->n_schedules; i++)
			details_add(p, ROLE_NORMAL, NULL, "%s  %s  %s", S(d->schedules[i].rule_name),
			    S(d->schedules[i].expression), S(d->schedules[i].state));
		if (d->n_schedules == 0)
			details_add(p, ROLE_DIM, NULL, "%s", "none");
	}
}

static void *
pane_details_init(struct ui *ui, const char *arg)
{
	struct pane_details *p;

	if (ui->env < 0 || arg == NULL)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->env = (size_t)ui->env;
	p->name = xstrdup(arg);
	p->lines = xcalloc(DETAILS_MAX_LINES, sizeof *p->lines);
	model_load_details(ui->model, p->env, p->name);
	return p;
}

static void
pane_details_free(void *state)
{
	struct pane_details *p = state;

	free(p->name);
	free(p->lines);
	free(p);
}

static void
pane_details_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_details *p = state;
	int y, i;

	details_build(p);
	if (p->scroll > p->n_lines - rows)
		p->scroll = p->n_lines - rows > 0 ? p->n_lines - rows : 0;
	for (y = 0, i = p->scroll; y < rows && i < p->n_lines; y++, i++) {
		const struct details_line *l = &p->lines[i];

		if (l->label[0] != '\0') {
			draw_text(win, y, 1, 16, l->label, ROLE_DIM, 0);
			if (l->id)
				draw_id_text(win, y, 18, cols - 19, l->text, l->role, 0);
			else
				draw_text(win, y, 18, cols - 19, l->text, l->role, 0);
		} else {
			draw_text(win, y, l->heading ? 1 : 3, cols - 4, l->text, l->role, 0);
		}
	}
}

static int
pane_details_action(void *state, const char *action)
{
	struct pane_details *p = state;

	if (strcmp(action, "down") == 0)
		p->scroll++;
	else if (strcmp(action, "up") == 0)
		p->scroll = p->scroll > 0 ? p->scroll - 1 : 0;
	else if (strcmp(action, "page-down") == 0 || strcmp(action, "half-page-down") == 0)
		p->scroll += 10;
	else if (strcmp(action, "page-up") == 0 || strcmp(action, "half-page-up") == 0)
		p->scroll = p->scroll > 10 ? p->scroll - 10 : 0;
	else if (strcmp(action, "top") == 0)
		p->scroll = 0;
	else if (strcmp(action, "bottom") == 0)
		p->scroll = DETAILS_MAX_LINES;
	else if (strcmp(action, "toggle-secrets") == 0) {
		p->show_secrets = !p->show_secrets;
		ui_message(p->ui, 0, p->show_secrets ? "environment values shown" : "environment values hidden");
	} else if (strcmp(action, "refresh") == 0) {
		model_load_details(p->ui->model, p->env, p->name);
	} else if (strcmp(action, "logs") == 0) {
		ui_push(p->ui, &pane_logs_ops, p->name);
	} else
		return 0;
	return 1;
}

static int
pane_details_on_change(void *state, enum model_change what, size_t env, const char *fn)
{
	struct pane_details *p = state;

	return env == p->env;
}

static void
pane_details_title(void *state, char *buf, size_t len)
{
	struct pane_details *p = state;

	snprintf(buf, len, "details: %s", p->name);
}

const struct pane_ops pane_details_ops = {
	"details", KEYCTX_LIST | KEYCTX_DETAILS,
	pane_details_init, pane_details_free, pane_details_draw, pane_details_action,
	pane_details_on_change, pane_details_title, NULL, NULL
};
