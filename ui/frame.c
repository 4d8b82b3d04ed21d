/*
 * The frame around the views: a header that always says which
 * environment this is (its deploy policy as a coloured band and a word, so
 * production never looks like alpha, even in mono), the queue strip that is
 * always visible, and the status line with key hints or the last message.
 */
#include "config.h"
#include "ui.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "colors.h"
#include "jobs.h"
#include "keys.h"
#include "queue.h"
#include "sanitize.h"
#include "timeutil.h"

#define UI_MIN_COLS 40
#define UI_MIN_ROWS 10

static void
frame_window(WINDOW **w, int rows, int cols, int y, int x)
{
	if (*w != NULL)
		delwin(*w);
	*w = rows > 0 ? newwin(rows, cols, y, x) : NULL;
	if (*w != NULL)
		keypad(*w, TRUE);
}

void
frame_layout(struct ui *ui)
{
	int header, queue, status = 1, main_rows;

	getmaxyx(stdscr, ui->rows, ui->cols);
	ui->too_small = ui->cols < UI_MIN_COLS || ui->rows < UI_MIN_ROWS;
	ui->compact = ui->cols < 80 || ui->rows < 24;
	header = ui->compact ? 1 : 2;
	/* The strip grows a row per job, up to a few (queue-strip.c). */
	queue = (ui->compact ? 0 : 1) + (ui->compact ? 1 : queue_strip_rows(ui));
	main_rows = ui->rows - header - queue - status;
	if (ui->too_small || main_rows < 1) {
		frame_window(&ui->w_header, 0, 0, 0, 0);
		frame_window(&ui->w_main, 0, 0, 0, 0);
		frame_window(&ui->w_queue, 0, 0, 0, 0);
		frame_window(&ui->w_status, 0, 0, 0, 0);
		ui->too_small = 1;
		return;
	}
	frame_window(&ui->w_header, header, ui->cols, 0, 0);
	frame_window(&ui->w_main, main_rows, ui->cols, header, 0);
	frame_window(&ui->w_queue, queue, ui->cols, header + main_rows, 0);
	frame_window(&ui->w_status, status, ui->cols, ui->rows - 1, 0);
}

static int
frame_env_role(const struct dlc_env *env)
{
	switch (env->deploy) {
	case DEPLOY_DENY:
		return ROLE_ENV_DENY;
	case DEPLOY_CONFIRM:
		return ROLE_ENV_CONFIRM;
	default:
		return ROLE_ENV_ALLOW;
	}
}

/* A glyph as well as a colour: mono and colour-blind users see it too. */
static const char *
frame_env_badge(const struct dlc_env *env)
{
	switch (env->deploy) {
	case DEPLOY_DENY:
		return "!! DENY";
	case DEPLOY_CONFIRM:
		return "! CONFIRM";
	default:
		return "allow";
	}
}

/* The count of alarms in ALARM, after the environment's band; returns its width. */
static int
frame_draw_alarms(struct ui *ui, int x)
{
	char badge[96];
	int role, w;

	alarm_status_badge(ui, badge, sizeof badge, &role);
	w = (int)sanitize_width(badge, strlen(badge));
	if (w == 0 || x + w >= ui->cols)
		return 0;
	draw_text(ui->w_header, 0, x, w, badge, role, 0);
	return w;
}

/*
 * A small terminal has one header row: the environment's band, then the
 * view's title, which says what is shown (the filter, the log view's
 * functions); the version and the account give way to it.
 */
static void
frame_draw_compact_header(struct ui *ui, struct model_env *me, int role, const char *title)
{
	WINDOW *w = ui->w_header;
	char env[128];
	int x = 0;

	if (me != NULL) {
		snprintf(env, sizeof env, " %s %s ", me->conf->name, frame_env_badge(me->conf));
		x = (int)strlen(env) < ui->cols ? (int)strlen(env) : ui->cols;
		draw_text(w, 0, 0, x, env, role, 0);
		x += frame_draw_alarms(ui, x);
	}
	if (x + 1 < ui->cols)
		draw_id_text(w, 0, x + 1, ui->cols - x - 1, title, ROLE_HEADER, 0);
}

void
frame_draw_header(struct ui *ui)
{
	WINDOW *w = ui->w_header;
	struct model_env *me = ui->env >= 0 ? model_env_at(ui->model, (size_t)ui->env) : NULL;
	char left[256], right[256], title[256], age[64];
	int role = me != NULL ? frame_env_role(me->conf) : ROLE_HEADER;
	int x;

	if (ui->depth > 0 && ui->stack[ui->depth - 1].ops->title != NULL)
		ui->stack[ui->depth - 1].ops->title(ui->stack[ui->depth - 1].state, title, sizeof title);
	else
		title[0] = '\0';
	draw_fill(w, 0, ROLE_HEADER);
	if (ui->compact) {
		frame_draw_compact_header(ui, me, role, title);
		return;
	}
	snprintf(left, sizeof left, " dlc %s ", PACKAGE_VERSION);
	draw_text(w, 0, 0, (int)strlen(left), left, ROLE_HEADER, 0);
	x = (int)strlen(left);
	if (me != NULL) {
		char env[128];

		snprintf(env, sizeof env, " %s %s ", me->conf->name, frame_env_badge(me->conf));
		draw_text(w, 0, x, (int)strlen(env), env, role, 0);
		x += (int)strlen(env);
		x += frame_draw_alarms(ui, x);
		if (me->functions_state == MODEL_LOADING)
			snprintf(age, sizeof age, "loading…");
		else if (me->functions_at != 0)
			model_age(me->functions_at, timeutil_now(), age, sizeof age);
		else
			age[0] = '\0';
		snprintf(right, sizeof right, " account %s │ %s │ creds %s │ %s ",
		    me->account != NULL ? me->account : "?",
		    me->aenv != NULL ? aws_env_region(me->aenv) :
		    (me->conf->region != NULL ? me->conf->region : "?"),
		    me->cred_state != NULL ? me->cred_state : "unknown", age);
	} else {
		snprintf(right, sizeof right, " no environment chosen ");
	}
	if (x < ui->cols)
		draw_text(w, 0, x, ui->cols - x, right, ROLE_HEADER, 0);

	/* The title bar carries the environment's band on every view. */
	draw_fill(w, 1, me != NULL && me->conf->deploy != DEPLOY_ALLOW ? role : ROLE_TITLE);
	/* The title names the function or log group: shown as a name. */
	draw_id_text(w, 1, 1, ui->cols - 1, title,
	    me != NULL && me->conf->deploy != DEPLOY_ALLOW ? role : ROLE_TITLE, 0);
}

void
frame_draw_queue(struct ui *ui)
{
	WINDOW *w = ui->w_queue;
	int row = 0;

	if (!ui->compact) {
		char title[128];

		/* Paused or in step mode, the strip says so wherever the user is. */
		snprintf(title, sizeof title, "queue%s%s", ui->queue != NULL && queue_paused(ui->queue) ?
		    "  PAUSED" : "", ui->queue != NULL && queue_step_mode(ui->queue) ?
		    "  STEP MODE" : "");
		draw_fill(w, 0, ui->focus_queue ? ROLE_SELECTED : ROLE_BORDER);
		draw_text(w, 0, 1, ui->cols - 1, title, ui->focus_queue ? ROLE_SELECTED : ROLE_BORDER, 0);
		row = 1;
	}
	if (!queue_strip_empty(ui)) {
		queue_strip_draw(ui, w, row, getmaxy(w) - row, ui->cols);
		return;
	}
	draw_fill(w, row, ROLE_QUEUE_EMPTY);
	draw_text(w, row, 1, ui->cols - 1, ui->compact ? "queue: empty" : "queue empty: no deployments running or waiting",
	    ROLE_QUEUE_EMPTY, 0);
}

/* The completions after the prompt, the one taken highlighted. */
static void
frame_draw_candidates(struct ui *ui, int x)
{
	const char *c = ui->complete_list;
	int i = 0;

	while (*c != '\0' && x < ui->cols) {
		size_t len = strcspn(c, " ");
		char word[256];

		snprintf(word, sizeof word, "%.*s", (int)len, c);
		draw_id_text(ui->w_status, 0, x, ui->cols - x, word,
		    i == ui->complete_pos ? ROLE_SELECTED : ROLE_COMMAND, 0);
		x += (int)len + 2;
		c += len;
		c += strspn(c, " ");
		i++;
	}
}

void
frame_draw_status(struct ui *ui)
{
	WINDOW *w = ui->w_status;
	unsigned ctx = KEYCTX_GLOBAL;
	char line[600];

	if (ui->prompt != UI_PROMPT_NONE) {
		snprintf(line, sizeof line, "%s%s", ui->prompt == UI_PROMPT_COMMAND ? ":" :
		    (ui->prompt == UI_PROMPT_PANE ? ui->prompt_label : "/"), ui->prompt_text);
		draw_fill(w, 0, ROLE_COMMAND);
		draw_text(w, 0, 0, ui->cols, line, ROLE_COMMAND, 0);
		if (ui->completing)
			frame_draw_candidates(ui, (int)strlen(line) + 3);
		curs_set(1);
		wmove(w, 0, (int)strlen(line) < ui->cols ? (int)strlen(line) : ui->cols - 1);
		return;
	}
	curs_set(0);
	if (ui->message[0] != '\0') {
		int role = ui->message_is_error ? ROLE_STATUS_ERROR : ROLE_STATUS;

		draw_fill(w, 0, role);
		draw_text(w, 0, 0, ui->cols, ui->message, role, 0);
		return;
	}
	if (ui->focus_queue)
		ctx |= KEYCTX_QUEUE;
	else if (ui->depth > 0)
		ctx |= ui->stack[ui->depth - 1].ops->keyctx;
	draw_fill(w, 0, ROLE_STATUS);
	draw_text(w, 0, 0, ui->cols, keys_hint(ctx), ROLE_HINT_TEXT, 0);
}

void
frame_draw_too_small(struct ui *ui)
{
	char msg[128];

	werase(stdscr);
	snprintf(msg, sizeof msg, "terminal too small (%dx%d): dlc needs at least %dx%d",
	    ui->cols, ui->rows, UI_MIN_COLS, UI_MIN_ROWS);
	draw_text(stdscr, ui->rows / 2, 0, ui->cols, msg, ROLE_STATUS_ERROR, 0);
	wnoutrefresh(stdscr);
}
