/*
 * The audit of the chosen environment (:audit, U): a table of its
 * functions by checks (✔ passes, ✘ fails, ~ warns, - not applicable;
 * ASCII + X ~ - in a locale without UTF-8), then its findings, most severe
 * first as the engine orders them. Enter on a function goes to its
 * findings; Enter on a finding shows its reason and Terraform fix
 * (pane-audit-finding.c). The first line says whether the audit is
 * running, failed (error and fix) or how old it is; r audits again.
 */
#include "ui.h"
#include "audit-cell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glyph.h"
#include "keys.h"
#include "timeutil.h"
#include "xmalloc.h"

/* The checks' column titles, in enum audit_check's order; short ones below 80 + the names. */
static const char *const pane_audit_titles[AUDIT_NCHECKS] = {
	"LOGGROUP", "RETENTION", "ALARMS", "SUBSCRIPTION", "TRIGGER", "RUNTIME", "LAYERS", "DRIFT"
};
static const char *const pane_audit_short_titles[AUDIT_NCHECKS] = {
	"LOG", "RETN", "ALRM", "SUBS", "TRIG", "RUNT", "LAYR", "DRFT"
};
#define PANE_AUDIT_WIDE	68	/* the titles above, one space after each */
#define PANE_AUDIT_NARROW	40

#define PANE_AUDIT_MARK(r)	audit_result_mark((r), !glyph_ascii())

struct pane_audit {
	struct ui	*ui;
	size_t		 env;
	size_t		 cursor;	/* an item: a function row, then a finding */
	size_t		 top;		/* the first line of the table drawn */
	int		 rows;		/* drawn last time: a page */
	const char *const *titles;	/* the checks' titles that fit, chosen per draw */
};

static const struct model_audit *
pane_audit_model(struct pane_audit *p)
{
	return model_env_audit(p->ui->model, p->env);
}

static size_t
pane_audit_items(struct pane_audit *p)
{
	const struct model_audit *ma = pane_audit_model(p);

	return ma != NULL && ma->report != NULL ? ma->report->n_rows + ma->report->n_findings : 0;
}

/*
 * The table's lines: the column titles, a line per function, a blank, the
 * findings' titles, a line per finding. An item's line, for scrolling.
 */
static size_t
pane_audit_item_line(const struct audit_report *r, size_t item)
{
	return item < r->n_rows ? 1 + item : 1 + r->n_rows + 2 + (item - r->n_rows);
}

static void *
pane_audit_init(struct ui *ui, const char *arg)
{
	struct pane_audit *p;
	const struct model_audit *ma;

	if (ui->env < 0)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->env = (size_t)ui->env;
	p->rows = 10;
	/* Opened before any audit, or after a failed one: audit now. */
	ma = pane_audit_model(p);
	if (ma == NULL || ma->state == MODEL_IDLE || ma->state == MODEL_FAILED)
		model_refresh_audit(ui->model, p->env);
	return p;
}

static void
pane_audit_free(void *state)
{
	free(state);
}

/* The first lines: running, failed (with the fix) or how old; returns the lines used. */
static int
pane_audit_draw_state(struct pane_audit *p, const struct model_audit *ma, WINDOW *win, int cols)
{
	char line[1400];
	const char *name = model_env_at(p->ui->model, p->env)->conf->name;
	int y = 0;

	if (ma == NULL || ma->state == MODEL_IDLE || ma->state == MODEL_LOADING) {
		snprintf(line, sizeof line, "auditing %s…%s", name,
		    ma != NULL && ma->report != NULL ? " (the last audit shown meanwhile)" : "");
		draw_text(win, y++, 1, cols - 2, line, ROLE_LOADING, 0);
	} else if (ma->state == MODEL_FAILED) {
		snprintf(line, sizeof line, "audit of %s failed: %s%s%s", name, ma->err.code,
		    ma->err.code[0] != '\0' ? ": " : "", ma->err.message);
		draw_text(win, y++, 1, cols - 2, line, ROLE_ERROR, 0);
		/* AWS's own failures (503, throttled) come with no fix: trying again is it. */
		draw_text(win, y++, 1, cols - 2, ma->err.fix[0] != '\0' ? ma->err.fix :
		    "r audits again; e shows the error in full", ROLE_WARN, 0);
	}
	if (ma != NULL && ma->report != NULL) {
		size_t i;

		snprintf(line, sizeof line, "%s passes  %s fails  %s warns  %s not applicable  "
		    "%s unknown   Enter: a function's findings, a finding's fix   r: audit again",
		    PANE_AUDIT_MARK(AUDIT_PASS), PANE_AUDIT_MARK(AUDIT_FAIL), PANE_AUDIT_MARK(AUDIT_WARN),
		    PANE_AUDIT_MARK(AUDIT_NA), PANE_AUDIT_MARK(AUDIT_UNKNOWN));
		draw_text(win, y++, 1, cols - 2, line, ROLE_DIM, 0);
		/* A read AWS refused leaves checks unknown: say which, and why. */
		for (i = 0; i < ma->report->n_errors && i < 3; i++)
			draw_text(win, y++, 1, cols - 2, ma->report->errors[i], ROLE_WARN, 0);
		if (ma->report->n_errors > 3) {
			snprintf(line, sizeof line, "(%zu more reads failed: dlc audit -e %s lists them)",
			    ma->report->n_errors - 3, name);
			draw_text(win, y++, 1, cols - 2, line, ROLE_WARN, 0);
		}
	}
	return y;
}

/*
 * The first column's width (the widest name, up to a third of the screen)
 * and the checks' titles: in full when they fit beside it and FINDINGS,
 * else short, the names taking what is left.
 */
static size_t
pane_audit_layout(struct pane_audit *p, const struct audit_report *r, int cols)
{
	size_t w = 8, i, room;

	for (i = 0; i < r->n_rows; i++) {
		const char *n = r->rows[i].local != NULL ? r->rows[i].local : r->rows[i].function;
		size_t l = n != NULL ? strlen(n) : 0;

		if (l > w)
			w = l;
	}
	room = cols > 40 ? (size_t)cols / 3 : 12;
	if (w < room)
		room = w;
	p->titles = pane_audit_titles;
	if (room + 2 + PANE_AUDIT_WIDE + 9 <= (size_t)cols)
		return room;
	p->titles = pane_audit_short_titles;
	room = (size_t)cols > 2 + PANE_AUDIT_NARROW + 9 + 12 ? (size_t)cols - 2 - PANE_AUDIT_NARROW - 9 : 12;
	return w < room ? w : room;
}

static void
pane_audit_draw_row(struct pane_audit *p, const struct audit_row *row, WINDOW *win, int y,
    size_t name_w, int cols, int selected)
{
	char count[32];
	size_t c;
	int x = 1;

	if (selected)
		draw_fill(win, y, ROLE_SELECTED);
	draw_id_text(win, y, x, (int)name_w, row->local != NULL ? row->local : row->function,
	    selected ? ROLE_SELECTED : ROLE_NORMAL, 0);
	x += (int)name_w + 1;
	for (c = 0; c < AUDIT_NCHECKS && x < cols; c++) {
		int w = (int)strlen(p->titles[c]);

		draw_text(win, y, x + (w - 1) / 2, w - (w - 1) / 2, PANE_AUDIT_MARK(row->result[c]),
		    selected ? ROLE_SELECTED : audit_cell_result_role(row->result[c]), 0);
		x += w + 1;
	}
	if (row->n_findings == 0)
		snprintf(count, sizeof count, "ok");
	else
		snprintf(count, sizeof count, "%zu", row->n_findings);
	if (x < cols - 1)
		draw_text(win, y, x, cols - 1 - x, count, selected ? ROLE_SELECTED :
		    row->n_findings == 0 ? ROLE_OK : ROLE_WARN, 0);
}

/* A finding's function as the table above names it (its local folder), or the orphan. */
static const char *
pane_audit_finding_name(const struct model_audit *ma, const struct audit_finding *f)
{
	const struct audit_row *row = audit_cell_row(ma, f->function);

	if (row != NULL && row->local != NULL)
		return row->local;
	if (f->function != NULL)
		return f->function;
	return f->subject != NULL ? f->subject : "(orphan)";
}

static void
pane_audit_draw_finding(const struct model_audit *ma, const struct audit_finding *f, WINDOW *win,
    int y, size_t name_w, int cols, int selected)
{
	int x = 1, role = selected ? ROLE_SELECTED : ROLE_NORMAL;

	if (selected)
		draw_fill(win, y, ROLE_SELECTED);
	draw_text(win, y, x, 8, f->severity != NULL ? f->severity : "-",
	    selected ? ROLE_SELECTED : audit_cell_severity_role(f->severity), 0);
	x += 9;
	draw_id_text(win, y, x, (int)name_w, pane_audit_finding_name(ma, f), role, 0);
	x += (int)name_w + 1;
	draw_text(win, y, x, 12, f->check != NULL ? f->check : "-", role, 0);
	x += 13;
	if (x < cols - 1)
		draw_text(win, y, x, cols - 1 - x, f->reason != NULL ? f->reason : "", role, 0);
}

/* Over the findings, in pane_audit_draw_finding's places. */
static void
pane_audit_draw_finding_titles(const struct audit_report *r, WINDOW *win, int y, size_t name_w,
    int cols)
{
	int x = 1;

	if (r->n_findings == 0) {
		draw_text(win, y, x, cols - 2, "no findings: every check passes", ROLE_OK, 0);
		return;
	}
	draw_text(win, y, x, 8, "SEVERITY", ROLE_COLUMN_HEADER, 0);
	x += 9;
	draw_text(win, y, x, (int)name_w, "FUNCTION", ROLE_COLUMN_HEADER, 0);
	x += (int)name_w + 1;
	draw_text(win, y, x, 12, "CHECK", ROLE_COLUMN_HEADER, 0);
	x += 13;
	if (x < cols - 1)
		draw_text(win, y, x, cols - 1 - x, "REASON", ROLE_COLUMN_HEADER, 0);
}

static void
pane_audit_draw_titles(struct pane_audit *p, WINDOW *win, int y, size_t name_w, int cols)
{
	size_t c;
	int x = 1;

	draw_text(win, y, x, (int)name_w, "FUNCTION", ROLE_COLUMN_HEADER, 0);
	x += (int)name_w + 1;
	for (c = 0; c < AUDIT_NCHECKS && x < cols; c++) {
		draw_text(win, y, x, cols - x, p->titles[c], ROLE_COLUMN_HEADER, 0);
		x += (int)strlen(p->titles[c]) + 1;
	}
	if (x < cols - 1)
		draw_text(win, y, x, cols - 1 - x, "FINDINGS", ROLE_COLUMN_HEADER, 0);
}

static void
pane_audit_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_audit *p = state;
	const struct model_audit *ma = pane_audit_model(p);
	const struct audit_report *r;
	size_t name_w, line, n_lines, cur;
	int y;

	y = pane_audit_draw_state(p, ma, win, cols);
	if (ma == NULL || ma->report == NULL)
		return;
	r = ma->report;
	if (r->n_rows == 0 && r->n_findings == 0) {
		draw_text(win, y + 1, 2, cols - 4, "no functions to audit in this environment", ROLE_DIM, 0);
		return;
	}
	name_w = pane_audit_layout(p, r, cols);
	p->rows = rows - y > 1 ? rows - y : 1;
	n_lines = 1 + r->n_rows + 2 + r->n_findings;
	if (p->cursor >= r->n_rows + r->n_findings)
		p->cursor = r->n_rows + r->n_findings > 0 ? r->n_rows + r->n_findings - 1 : 0;
	/* The cursor's line stays in view; the titles above the first function come along. */
	cur = pane_audit_item_line(r, p->cursor);
	if (cur < p->top + 1)
		p->top = cur > 1 ? cur - 1 : 0;
	if (cur >= p->top + (size_t)p->rows)
		p->top = cur - (size_t)p->rows + 1;
	/* Room for more (the screen grew): no blank rows under the last line. */
	if (n_lines < p->top + (size_t)p->rows)
		p->top = n_lines > (size_t)p->rows ? n_lines - (size_t)p->rows : 0;
	/* At the first function or the first finding, their titles show too. */
	if (p->cursor == 0)
		p->top = 0;
	else if (p->cursor == r->n_rows && p->top + 2 > cur)
		p->top = cur - 2;
	for (line = p->top; line < n_lines && y < rows; line++, y++) {
		if (line == 0)
			pane_audit_draw_titles(p, win, y, name_w, cols);
		else if (line <= r->n_rows)
			pane_audit_draw_row(p, &r->rows[line - 1], win, y, name_w, cols,
			    p->cursor == line - 1);
		else if (line == r->n_rows + 2)
			pane_audit_draw_finding_titles(r, win, y, name_w, cols);
		else if (line > r->n_rows + 2)
			pane_audit_draw_finding(ma, &r->findings[line - r->n_rows - 3], win, y, name_w, cols,
			    p->cursor == r->n_rows + (line - r->n_rows - 3));
	}
}

/* Enter on a function: its first finding, or says it has none. */
static void
pane_audit_to_findings(struct pane_audit *p, const struct audit_report *r)
{
	const struct audit_row *row = &r->rows[p->cursor];
	size_t i;

	for (i = 0; i < r->n_findings; i++)
		if (r->findings[i].function != NULL && row->function != NULL &&
		    strcmp(r->findings[i].function, row->function) == 0) {
			p->cursor = r->n_rows + i;
			return;
		}
	ui_message(p->ui, 0, "%s: no findings", row->local != NULL ? row->local : row->function);
}

static const struct audit_finding *
pane_audit_finding_at(struct pane_audit *p)
{
	const struct model_audit *ma = pane_audit_model(p);

	if (ma == NULL || ma->report == NULL || p->cursor < ma->report->n_rows ||
	    p->cursor >= ma->report->n_rows + ma->report->n_findings)
		return NULL;
	return &ma->report->findings[p->cursor - ma->report->n_rows];
}

static int
pane_audit_action(void *state, const char *action)
{
	struct pane_audit *p = state;
	const struct model_audit *ma = pane_audit_model(p);
	const struct audit_finding *f = pane_audit_finding_at(p);
	size_t n = pane_audit_items(p);
	char arg[32], what[160];
	int follow;

	if (strcmp(action, "refresh") == 0) {
		if (ma != NULL && ma->state == MODEL_LOADING) {
			ui_message(p->ui, 0, "the audit is running");
			return 1;
		}
		model_refresh_audit(p->ui->model, p->env);
		ui_message(p->ui, 0, "audit of %s started", model_env_at(p->ui->model, p->env)->conf->name);
		return 1;
	}
	if (strcmp(action, "select") == 0) {
		if (f != NULL) {
			snprintf(arg, sizeof arg, "%zu", p->cursor - ma->report->n_rows);
			ui_push(p->ui, &pane_audit_finding_ops, arg);
		} else if (ma != NULL && ma->report != NULL && p->cursor < ma->report->n_rows)
			pane_audit_to_findings(p, ma->report);
		return 1;
	}
	if (strcmp(action, "copy-fix") == 0) {
		if (f == NULL || f->fix == NULL || f->fix[0] == '\0') {
			ui_message(p->ui, 1, "no fix to copy: choose a finding that has one");
		} else {
			snprintf(what, sizeof what, "Terraform fix for %.100s", pane_audit_finding_name(ma, f));
			clipboard_copy(p->ui, f->fix, strlen(f->fix), what);
		}
		return 1;
	}
	if (n == 0)
		return 0;
	/* The cursor moves over the items as a text's top moves over its lines. */
	follow = 0;
	return pane_text_scroll(action, &p->cursor, &follow, n - 1, p->rows, n);
}

static int
pane_audit_on_change(void *state, enum model_change what, size_t env, const char *fn)
{
	struct pane_audit *p = state;
	const struct model_audit *ma;

	if (what != MODEL_CHANGE_AUDIT || env != p->env)
		return 0;
	ma = pane_audit_model(p);
	if (ma != NULL && ma->state == MODEL_FAILED)
		ui_error(p->ui, &ma->err);
	return 1;
}

static void
pane_audit_title(void *state, char *buf, size_t len)
{
	struct pane_audit *p = state;
	const struct model_audit *ma = pane_audit_model(p);
	const char *name = model_env_at(p->ui->model, p->env)->conf->name;
	char age[32];

	/* The header is redrawn every tick: the age here stays true. */
	if (ma == NULL || ma->report == NULL)
		snprintf(buf, len, "audit (%s)", name);
	else
		snprintf(buf, len, "audit (%s) %zu functions, %zu findings, audited %s", name,
		    ma->report->n_rows, ma->report->n_findings,
		    model_age(ma->fetched_at, timeutil_now(), age, sizeof age));
}

const struct pane_ops pane_audit_ops = {
	"audit", KEYCTX_LIST | KEYCTX_AUDIT,
	pane_audit_init, pane_audit_free, pane_audit_draw, pane_audit_action,
	pane_audit_on_change, pane_audit_title, NULL, NULL
};
