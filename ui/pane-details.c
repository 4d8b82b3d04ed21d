/*
 * The details of one function: configuration, layers (and whether a newer
 * version exists), environment variables (values masked until 'x'), event
 * source mappings, schedules, and the local folder it maps to.
 */
#include "ui.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "keys.h"
#include "sanitize.h"
#include "timeutil.h"
#include "xmalloc.h"

#define DETAILS_MAX_LINES 512

struct details_line {
	char	label[32];
	char	*text;		/* owned; whole, however long (an environment value may be KBs) */
	int	role;
	int	heading;
	int	id;		/* a name or identifier: drawn with draw_id_text */
};

struct pane_details {
	struct ui		*ui;
	size_t			 env;
	char			*name;
	int			 show_secrets;
	int			 wrap;		/* w: long values wrapped over rows, shown whole */
	int			 scroll;	/* screen rows above the first drawn (lines unwrapped) */
	int			 cols;		/* the width last drawn at, to keep the place on w */
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
	free(l->text);
	memset(l, 0, sizeof *l);
	snprintf(l->label, sizeof l->label, "%s", label != NULL ? label : "");
	va_start(ap, fmt);
	l->text = xvasprintf(fmt, ap);
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

	int i;

	for (i = 0; i < DETAILS_MAX_LINES; i++)
		free(p->lines[i].text);
	free(p->name);
	free(p->lines);
	free(p);
}

/* Where a line's text goes: after the label, or indented under a heading. */
static void
details_geometry(const struct details_line *l, int cols, int *x, int *width)
{
	*x = l->label[0] != '\0' ? 18 : (l->heading ? 1 : 3);
	*width = l->label[0] != '\0' ? cols - 19 : cols - 4;
	if (*width < 1)
		*width = 1;
}

/* Bytes of clean text s[0..len) that fill at most width columns (at least one character). */
static size_t
details_fit(const char *s, size_t len, size_t width)
{
	size_t off = 0, used = 0;

	while (off < len) {
		uint32_t cp;
		size_t n = sanitize_utf8_decode(s + off, len - off, &cp);
		size_t w;

		if (n == 0)
			n = 1;
		w = n == 1 && (unsigned char)s[off] < 0x80 ? 1 : (size_t)sanitize_cp_width(cp);
		if (used + w > width && off > 0)
			break;
		used += w;
		off += n;
	}
	return off;
}

/* The line's text made clean for the screen, the way draw_text would show it. */
static void
details_clean(const struct details_line *l, struct buf *out)
{
	buf_reset(out);
	sanitize_append(out, l->text, strlen(l->text),
	    SANITIZE_TAB_AS_SPACE | (l->id ? SANITIZE_IDENTIFIER : 0));
}

/* Rows line l takes: 1, or as many as its wrapped text needs. */
static int
details_rows(struct pane_details *p, const struct details_line *l, int cols, struct buf *clean)
{
	size_t off = 0, width;
	int x, w, rows = 0;

	if (!p->wrap)
		return 1;
	details_geometry(l, cols, &x, &w);
	width = (size_t)w;
	details_clean(l, clean);
	if (clean->len <= width)
		return 1;
	while (off < clean->len) {
		off += details_fit(clean->data + off, clean->len - off, width);
		rows++;
	}
	return rows > 0 ? rows : 1;
}

/* Rows of lines[0..upto) at cols. */
static int
details_rows_before(struct pane_details *p, int upto, int cols, struct buf *clean)
{
	int i, n = 0;

	for (i = 0; i < upto && i < p->n_lines; i++)
		n += details_rows(p, &p->lines[i], cols, clean);
	return n;
}

static void
details_draw_line(WINDOW *win, int y, int x, int width, const struct details_line *l, const char *text)
{
	if (l->id)
		draw_id_text(win, y, x, width, text, l->role, 0);
	else
		draw_text(win, y, x, width, text, l->role, 0);
}

/*
 * Scrolls by screen rows, so a wrapped value taller than the screen can be
 * read to its end (scrolling by lines would jump past it).
 */
static void
pane_details_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_details *p = state;
	struct buf clean;
	int y, i, skip, total;

	details_build(p);
	p->cols = cols;
	buf_init(&clean, 0);
	total = details_rows_before(p, p->n_lines, cols, &clean);
	if (p->scroll > total - rows)
		p->scroll = total - rows > 0 ? total - rows : 0;
	skip = p->scroll;
	for (y = 0, i = 0; y < rows && i < p->n_lines; i++) {
		const struct details_line *l = &p->lines[i];
		int x, width, n = details_rows(p, l, cols, &clean);

		if (skip >= n) {
			skip -= n;
			continue;
		}
		details_geometry(l, cols, &x, &width);
		if (l->label[0] != '\0' && skip == 0)
			draw_text(win, y, 1, 16, l->label, ROLE_DIM, 0);
		if (n == 1) {
			details_draw_line(win, y++, x, width, l, l->text);
			continue;
		}
		/* Wrapped: the clean text cut into rows, each drawn as it is. */
		{
			size_t off = 0;
			int r;

			for (r = 0; off < clean.len && y < rows; r++) {
				size_t take = details_fit(clean.data + off, clean.len - off, (size_t)width);

				if (r >= skip) {
					char *row = xstrndup(clean.data + off, take);

					details_draw_line(win, y++, x, width, l, row);
					free(row);
				}
				off += take;
			}
			skip = 0;
		}
	}
	buf_free(&clean);
}

/* w: wraps or cuts long values, keeping the line at the top where it was. */
static void
pane_details_toggle_wrap(struct pane_details *p)
{
	struct buf clean;
	int line = 0, rows = 0;

	buf_init(&clean, 0);
	/* The line holding the top row, found before the rows change. */
	while (line < p->n_lines) {
		int n = details_rows(p, &p->lines[line], p->cols, &clean);

		if (rows + n > p->scroll)
			break;
		rows += n;
		line++;
	}
	p->wrap = !p->wrap;
	p->scroll = details_rows_before(p, line, p->cols, &clean);
	buf_free(&clean);
	ui_message(p->ui, 0, p->wrap ? "values wrapped: shown whole (w: cut them)" :
	    "values cut to the width (w: wrap)");
}

/*
 * y and Y copy the function's name or ARN: never an environment value,
 * masked or not, so a secret cannot reach the clipboard by a stray key.
 */
static void
pane_details_copy(struct pane_details *p, int arn)
{
	struct model_function *mf = model_function_find(p->ui->model, p->env, p->name);
	const char *text = mf == NULL ? p->name : arn ? mf->fn.function_arn : mf->fn.function_name;
	char what[320];

	if (text == NULL) {
		ui_message(p->ui, 1, "no ARN known for %s", p->name);
		return;
	}
	snprintf(what, sizeof what, "%s of %s", arn ? "ARN" : "name", p->name);
	clipboard_copy(p->ui, text, strlen(text), what);
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
		p->scroll = INT_MAX / 2;	/* the draw brings it back to the last screen */
	else if (strcmp(action, "wrap") == 0) {
		pane_details_toggle_wrap(p);
	} else if (strcmp(action, "copy") == 0 || strcmp(action, "copy-arn") == 0) {
		pane_details_copy(p, strcmp(action, "copy-arn") == 0);
	} else if (strcmp(action, "toggle-secrets") == 0) {
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
