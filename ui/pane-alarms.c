/*
 * The alarms view (a, :alarms) of the chosen environment: every
 * CloudWatch alarm, metric and composite, ALARM first, then
 * INSUFFICIENT_DATA, then OK, each state marked by a glyph and a word as
 * well as its colour (so it reads in mono and with NO_COLOR). Rows are
 * keyed by AlarmName, so the selection stays on its alarm when a refresh
 * moves it to another section. 1, 2 and 3 show one state only (again:
 * all), 0 all; / filters by text. The view says when it is loading, when
 * the list failed (the error and its fix) and when what it shows is stale.
 * Enter opens the alarm (pane-alarm-detail.c).
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alarm.h"
#include "glyph.h"
#include "keys.h"
#include "listview.h"
#include "timeutil.h"
#include "xmalloc.h"

enum { AL_STATE, AL_NAME, AL_FUNCTION, AL_THRESHOLD, AL_SINCE, AL_ACTIONS, AL_NCOLS };

static const struct column_spec pane_alarms_columns[AL_NCOLS] = {
	{ "STATE", 7, 16, 0, 0, 0 },		/* "✖ ALARM", "? INSUFF_DATA" */
	/* The name is what the alarm is: it keeps its width while the others give way. */
	{ "ALARM", 12, 0, 0, 0, 0 },
	{ "FUNCTION", 8, 40, 1, 0, 4 },
	{ "THRESHOLD", 10, 64, 2, 0, 3 },
	{ "FOR", 6, 12, 0, 1, 5 },		/* time in the state: "2h 14m" */
	{ "ACTIONS", 7, 8, 0, 0, 2 },
};

/* The states 1, 2 and 3 pick, in the order the list shows them. */
static const char *const pane_alarms_states[] = { "ALARM", "INSUFFICIENT_DATA", "OK" };

struct pane_alarms {
	struct ui		*ui;
	size_t			 env;
	struct listview		*lv;
	struct draw_columns	 dc;
	const char		*only;		/* one state shown, or NULL: all */
	size_t			*rows;		/* the model list's alarms shown (index) */
	size_t			 n_rows;
	unsigned		 gen;		/* of the model list rows index */
	int			 have_gen;
	char			 cells[4][160];
	int			 next_cell;
};

static const struct model_alarms *
pane_alarms_model(struct pane_alarms *p)
{
	return model_env_alarms(p->ui->model, p->env);
}

/* The alarms of the state shown, as indexes into the model's list. */
static void
pane_alarms_index(struct pane_alarms *p)
{
	const struct model_alarms *ma = pane_alarms_model(p);
	size_t i;

	free(p->rows);
	p->rows = NULL;
	p->n_rows = 0;
	p->gen = ma != NULL ? ma->gen : 0;
	p->have_gen = 1;
	if (ma == NULL || ma->list.n == 0)
		return;
	p->rows = xcalloc(ma->list.n, sizeof *p->rows);
	for (i = 0; i < ma->list.n; i++)
		if (p->only == NULL || strcmp(ma->list.v[i].state, p->only) == 0)
			p->rows[p->n_rows++] = i;
}

/* The list changed under the view: index it again, keep the selection on its name. */
static void
pane_alarms_reload(struct pane_alarms *p)
{
	pane_alarms_index(p);
	p->dc.valid = 0;
	listview_refresh(p->lv);
}

static void
pane_alarms_check(struct pane_alarms *p)
{
	const struct model_alarms *ma = pane_alarms_model(p);

	if (!p->have_gen || (ma != NULL && ma->gen != p->gen))
		pane_alarms_reload(p);
}

static const struct cw_alarm *
pane_alarms_at(struct pane_alarms *p, size_t row)
{
	return &pane_alarms_model(p)->list.v[p->rows[row]];
}

static char *
pane_alarms_buf(struct pane_alarms *p)
{
	p->next_cell = (p->next_cell + 1) % 4;
	return p->cells[p->next_cell];
}

static size_t
pane_alarms_count(void *arg)
{
	struct pane_alarms *p = arg;

	return p->n_rows;
}

static const char *
pane_alarms_id(void *arg, size_t row)
{
	return pane_alarms_at(arg, row)->name;
}

int
pane_alarms_state_role(const char *state)
{
	switch (alarm_state_rank(state)) {
	case 0:
		return ROLE_ALARM;
	case 1:
		return ROLE_INSUFFICIENT;
	case 2:
		return ROLE_OK;
	default:
		return ROLE_DIM;
	}
}

/* "✖ ALARM", or "!! ALARM" where the terminal has no UTF-8. */
const char *
pane_alarms_state_text(const char *state, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", alarm_state_glyph(state, !glyph_ascii()), state);
	return buf;
}

/* The list's narrower form: "? INSUFF_DATA". */
static const char *
pane_alarms_state_cell(const char *state, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", alarm_state_glyph(state, !glyph_ascii()),
	    alarm_state_short(state));
	return buf;
}

static const char *
pane_alarms_cell(void *arg, size_t row, size_t col, int *role)
{
	struct pane_alarms *p = arg;
	const struct cw_alarm *a = pane_alarms_at(p, row);
	char *b = pane_alarms_buf(p), age[48];

	switch (col) {
	case AL_STATE:
		*role = pane_alarms_state_role(a->state);
		return pane_alarms_state_cell(a->state, b, 160);
	case AL_NAME:
		return a->name;
	case AL_FUNCTION:
		if (a->local_function != NULL)
			return a->local_function;
		if (a->function != NULL)
			return a->function;
		*role = ROLE_DIM;
		return "-";
	case AL_THRESHOLD:
		return alarm_threshold_words(a, b, 160);
	case AL_SINCE:
		alarm_age_words(a->state_since, timeutil_now(), age, sizeof age);
		snprintf(b, 160, "%s", age);
		return b;
	default:
		if (!a->actions_enabled) {
			*role = ROLE_WARN;
			return "off";
		}
		return "on";
	}
}

/* What / matches: the state's whole word, so "INSUFFICIENT" finds those alarms. */
static const char *
pane_alarms_text(void *arg, size_t row, size_t col)
{
	int role;

	if (col == AL_STATE)
		return pane_alarms_at(arg, row)->state;
	return pane_alarms_cell(arg, row, col, &role);
}

#define PANE_ALARMS_CMP(x, y)	((x) < (y) ? -1 : (x) > (y))

/* The state column sorts by severity; time in state by the time itself. */
static int
pane_alarms_compare(void *arg, size_t ra, size_t rb, size_t col)
{
	struct pane_alarms *p = arg;
	const struct cw_alarm *a = pane_alarms_at(p, ra), *b = pane_alarms_at(p, rb);
	int c;

	switch (col) {
	case AL_STATE:
		c = PANE_ALARMS_CMP(alarm_state_rank(a->state), alarm_state_rank(b->state));
		return c != 0 ? c : strcmp(a->name, b->name);
	case AL_SINCE:
		/* The longest in its state first, as "for 3d" reads larger than "for 2m". */
		return PANE_ALARMS_CMP(b->state_since, a->state_since);
	case AL_NAME:
		return listview_natural_cmp(a->name, b->name);
	default:
		return listview_natural_cmp(pane_alarms_text(arg, ra, col),
		    pane_alarms_text(arg, rb, col));
	}
}

static const struct listview_source pane_alarms_source = {
	AL_NCOLS, pane_alarms_count, pane_alarms_id, pane_alarms_text, pane_alarms_compare
};

/* arg: a state to show alone ("ALARM"), or NULL/"" for all. */
static void *
pane_alarms_init(struct ui *ui, const char *arg)
{
	struct pane_alarms *p;
	const struct model_alarms *ma;
	size_t i;

	if (ui->env < 0)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->env = (size_t)ui->env;
	for (i = 0; arg != NULL && i < 3; i++)
		if (strcasecmp(arg, pane_alarms_states[i]) == 0)
			p->only = pane_alarms_states[i];
	p->lv = listview_new(&pane_alarms_source, p);
	p->dc.spec = pane_alarms_columns;
	p->dc.n = AL_NCOLS;
	pane_alarms_reload(p);
	/* Fresh states on opening: the list may be a refresh period old. */
	ma = pane_alarms_model(p);
	if (ma != NULL && ma->state != MODEL_LOADING)
		model_refresh_alarms(ui->model, p->env);
	return p;
}

static void
pane_alarms_free(void *state)
{
	struct pane_alarms *p = state;

	listview_free(p->lv);
	free(p->rows);
	free(p);
}

/*
 * One line above the list when it is not simply current: loading,
 * failed (what and the fix are on the list's place when nothing is
 * held), or stale (the last refresh failed: the list shown is older).
 */
static int
pane_alarms_banner(struct pane_alarms *p, WINDOW *win, int cols)
{
	const struct model_alarms *ma = pane_alarms_model(p);
	char line[2048], age[64];

	if (ma == NULL)
		return 0;
	if (ma->state == MODEL_LOADING && ma->fetched_at != 0) {
		model_age(ma->fetched_at, timeutil_now(), age, sizeof age);
		snprintf(line, sizeof line, "refreshing… (showing the list of %s)", age);
		draw_text(win, 0, 1, cols - 2, line, ROLE_LOADING, 0);
		return 1;
	}
	if (dlc_err_isset(&ma->err) && ma->fetched_at != 0) {
		model_age(ma->fetched_at, timeutil_now(), age, sizeof age);
		snprintf(line, sizeof line, "STALE: showing the list of %s; the refresh failed: %s%s%s%s%s",
		    age, ma->err.code, ma->err.code[0] != '\0' ? ": " : "", ma->err.message,
		    ma->err.fix[0] != '\0' ? " — " : "", ma->err.fix);
		draw_text(win, 0, 1, cols - 2, line, ROLE_WARN, 0);
		return 1;
	}
	return 0;
}

static void
pane_alarms_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_alarms *p = state;
	const struct model_alarms *ma = pane_alarms_model(p);
	char msg[1400];
	int top;
	WINDOW *list;

	pane_alarms_check(p);
	top = pane_alarms_banner(p, win, cols);
	list = top > 0 && rows > 1 ? derwin(win, rows - top, cols, top, 0) : NULL;
	draw_list(p->ui, list != NULL ? list : win, list != NULL ? rows - top : rows, cols,
	    p->lv, &p->dc, pane_alarms_cell, p);
	if (list != NULL)
		delwin(list);
	if (listview_visible(p->lv) > 0 || ma == NULL)
		return;
	top += 2;
	if (ma->state == MODEL_FAILED || (dlc_err_isset(&ma->err) && ma->fetched_at == 0)) {
		snprintf(msg, sizeof msg, "could not list the alarms: %s%s%s", ma->err.code,
		    ma->err.code[0] != '\0' ? ": " : "", ma->err.message);
		draw_text(win, top, 2, cols - 4, msg, ROLE_ERROR, 0);
		draw_text(win, top + 1, 2, cols - 4, ma->err.fix[0] != '\0' ? ma->err.fix :
		    "r tries again; e shows the whole error", ROLE_WARN, 0);
	} else if (ma->state == MODEL_LOADING || ma->state == MODEL_IDLE) {
		snprintf(msg, sizeof msg, "loading the alarms of %s…",
		    model_env_at(p->ui->model, p->env)->conf->name);
		draw_text(win, top, 2, cols - 4, msg, ROLE_LOADING, 0);
	} else if (ma->list.n == 0) {
		draw_text(win, top, 2, cols - 4, "no CloudWatch alarms in this environment", ROLE_DIM, 0);
	} else if (p->n_rows == 0) {
		snprintf(msg, sizeof msg, "no alarm in %s (0 shows every state)", p->only);
		draw_text(win, top, 2, cols - 4, msg, ROLE_DIM, 0);
	} else {
		draw_text(win, top, 2, cols - 4, "no alarm matches the filter (Esc in '/' restores it)",
		    ROLE_DIM, 0);
	}
}

/* 1, 2, 3: one state alone (the same again: all); 0: all. */
static void
pane_alarms_only(struct pane_alarms *p, const char *state)
{
	p->only = state == NULL || p->only == state ? NULL : state;
	pane_alarms_reload(p);
	ui_message(p->ui, 0, p->only != NULL ? "showing %s alarms only (0: all)" : "%s",
	    p->only != NULL ? p->only : "showing every state");
}

static int
pane_alarms_action(void *state, const char *action)
{
	struct pane_alarms *p = state;
	const char *id;
	const struct cw_alarm *a;

	/* The rows index the model's list: never read through an old one. */
	pane_alarms_check(p);
	id = listview_selected_id(p->lv);

	if (strcmp(action, "select") == 0) {
		if (id != NULL)
			ui_push(p->ui, &pane_alarm_detail_ops, id);
		return 1;
	}
	if (strcmp(action, "refresh") == 0) {
		model_refresh_alarms(p->ui->model, p->env);
		ui_message(p->ui, 0, "refreshing the alarms of %s…",
		    model_env_at(p->ui->model, p->env)->conf->name);
		return 1;
	}
	if (strcmp(action, "alarms-all") == 0) {
		pane_alarms_only(p, NULL);
		return 1;
	}
	if (strncmp(action, "alarms-only-", 12) == 0) {
		pane_alarms_only(p, pane_alarms_states[(action[12] - '1') % 3]);
		return 1;
	}
	if (strcmp(action, "alarms") == 0) {
		/* a again: back to where it was pressed. */
		ui_pop(p->ui);
		return 1;
	}
	if (strcmp(action, "logs") == 0) {
		a = id != NULL ? cw_alarm_list_find(&pane_alarms_model(p)->list, id) : NULL;
		if (a != NULL && a->function != NULL)
			ui_push(p->ui, &pane_logs_ops, a->function);
		else if (a != NULL)
			ui_message(p->ui, 1, "%s belongs to no function of this environment", a->name);
		return 1;
	}
	return pane_list_action(p->ui, p->lv, action, &p->dc);
}

static int
pane_alarms_on_change(void *state, enum model_change what, size_t env, const char *fn)
{
	struct pane_alarms *p = state;

	(void)fn;
	if (what != MODEL_CHANGE_ALARMS || env != p->env)
		return 0;
	pane_alarms_reload(p);
	return 1;
}

static void
pane_alarms_title(void *state, char *buf, size_t len)
{
	struct pane_alarms *p = state;
	const struct model_alarms *ma = pane_alarms_model(p);
	const char *filter = listview_filter(p->lv);
	char age[64];

	pane_alarms_check(p);
	if (ma != NULL && ma->fetched_at != 0)
		model_age(ma->fetched_at, timeutil_now(), age, sizeof age);
	else
		snprintf(age, sizeof age, "not yet read");
	snprintf(buf, len, "alarms (%s) %zu/%zu: %zu ALARM, %zu INSUFFICIENT_DATA, %zu OK%s%s%s%s  │ %s",
	    model_env_at(p->ui->model, p->env)->conf->name,
	    listview_visible(p->lv), ma != NULL ? ma->list.n : 0,
	    ma != NULL ? alarm_count(&ma->list, NULL, "ALARM") : 0,
	    ma != NULL ? alarm_count(&ma->list, NULL, "INSUFFICIENT_DATA") : 0,
	    ma != NULL ? alarm_count(&ma->list, NULL, "OK") : 0,
	    p->only != NULL ? "   only: " : "", p->only != NULL ? p->only : "",
	    filter != NULL && *filter != '\0' ? "   filter: " : "",
	    filter != NULL ? filter : "", age);
}

static struct listview *
pane_alarms_list(void *state)
{
	struct pane_alarms *p = state;

	return p->lv;
}

const struct pane_ops pane_alarms_ops = {
	"alarms", KEYCTX_LIST | KEYCTX_TABLE | KEYCTX_ALARMS,
	pane_alarms_init, pane_alarms_free, pane_alarms_draw, pane_alarms_action,
	pane_alarms_on_change, pane_alarms_title, pane_alarms_list, NULL
};
