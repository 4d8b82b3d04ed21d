/*
 * The console's life: set up curses and the theme, wire the terminal,
 * SIGWINCH and the model into the one event loop, dispatch keys through
 * the key table, and redraw what is dirty once per loop turn, just before
 * the loop sleeps (tmux server_loop, STYLE.md 4-5).
 */
#include "config.h"
#include "ui.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "colors.h"
#include "drift-cache.h"
#include "jobs.h"
#include "keys.h"
#include "listview.h"
#include "glyph.h"
#include "loop.h"
#include "manifest.h"
#include "model-metrics.h"
#include "proc.h"
#include "queue.h"
#include "queue-console.h"
#include "sso-login.h"
#include "timing.h"
#include "xmalloc.h"

#define UI_RESIZE_DEBOUNCE_MS 30
#define UI_TICK_MS 1000

static struct ui *ui_current;	/* for the fatal hook only */

void
ui_dirty(struct ui *ui, int what)
{
	ui->dirty |= what;
}

void
ui_message(struct ui *ui, int is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
	ui->message_is_error = is_error;
	ui_dirty(ui, UI_DIRTY_STATUS);
}

void
ui_error(struct ui *ui, const struct dlc_err *err)
{
	ui->last_err = *err;
	/* One line: what, code and message; 'e' shows the whole text and the fix. */
	ui_message(ui, 1, "%.120s%s%.80s%s%.200s  (e: details)",
	    err->what, err->what[0] != '\0' ? ": " : "",
	    err->code, err->code[0] != '\0' ? ": " : "", err->message);
}

struct pane *
ui_top(struct ui *ui)
{
	return ui->depth > 0 ? &ui->stack[ui->depth - 1] : NULL;
}

int
ui_push(struct ui *ui, const struct pane_ops *ops, const char *arg)
{
	void *state;

	if (ui->depth == UI_MAX_DEPTH)
		ui_pop(ui);
	state = ops->init(ui, arg);
	if (state == NULL)
		return -1;
	ui->stack[ui->depth].ops = ops;
	ui->stack[ui->depth].state = state;
	ui->depth++;
	/* A view opened takes the keys back from the queue strip. */
	ui->focus_queue = 0;
	ui_dirty(ui, UI_DIRTY_ALL);
	return 0;
}

void
ui_pop(struct ui *ui)
{
	struct pane *p;

	if (ui->depth <= 1)
		return;
	p = &ui->stack[--ui->depth];
	p->ops->free(p->state);
	memset(p, 0, sizeof *p);
	ui_dirty(ui, UI_DIRTY_ALL);
}

/* Shows env's functions: the view everyone starts from. */
void
ui_select_env(struct ui *ui, int env)
{
	struct model_env *me;

	if (env < 0 || (size_t)env >= model_env_count(ui->model))
		return;
	if (ui->env >= 0 && ui->env != env)
		ui->prev_env = ui->env;
	ui->env = env;
	me = model_env_at(ui->model, (size_t)env);
	/* Drop views of the previous environment; keep the environment list. */
	while (ui->depth > 1)
		ui_pop(ui);
	if (me->identity_state == MODEL_IDLE)
		model_refresh_identity(ui->model, (size_t)env);
	model_refresh_functions(ui->model, (size_t)env);
	model_set_auto_refresh(ui->model, (size_t)env, ui->ctx->cfg.refresh_seconds);
	ui_push(ui, &pane_functions_ops, NULL);
	ui_message(ui, 0, "%s", "");
}

static void
ui_login_code(const char *uri, const char *uri_complete, const char *code, void *arg)
{
	struct ui *ui = arg;

	snprintf(ui->login_text, sizeof ui->login_text, "SSO login: open %s and confirm %s (waiting…)",
	    uri_complete != NULL && *uri_complete != '\0' ? uri_complete : (uri != NULL ? uri : "?"),
	    code != NULL ? code : "?");
	/* Shown through the status line, which sanitises it. */
	ui_message(ui, 0, "%s", ui->login_text);
}

static void
ui_login_done(const struct dlc_err *err, void *arg)
{
	struct ui *ui = arg;
	struct model_env *me = model_env_at(ui->model, (size_t)ui->login_env);

	if (err != NULL)
		ui_error(ui, err);
	else
		ui_message(ui, 0, "signed in for %s", me->conf->name);
	sso_login_free(ui->login);
	ui->login = NULL;
	if (err == NULL) {
		model_refresh_identity(ui->model, (size_t)ui->login_env);
		model_refresh_functions(ui->model, (size_t)ui->login_env);
	}
}

void
ui_login(struct ui *ui, int env)
{
	struct model_env *me;
	struct dlc_err err;

	if (env < 0 || (size_t)env >= model_env_count(ui->model))
		return;
	me = model_env_at(ui->model, (size_t)env);
	if (ui->login != NULL) {
		ui_message(ui, 1, "a login is already running");
		return;
	}
	if (me->conf->profile == NULL) {
		ui_message(ui, 1, "%s names no profile: nothing to log in to", me->conf->name);
		return;
	}
	dlc_err_clear(&err);
	ui->login_env = env;
	ui->login = sso_login_start(&ui->ctx->aws, me->conf->profile, me->conf->name,
	    ui_login_code, ui_login_done, ui, &err);
	if (ui->login == NULL)
		ui_error(ui, &err);
	else
		ui_message(ui, 0, "SSO login for %s: starting…", me->conf->name);
}

/*
 * A theme file that cannot be used is a warning, never the end: the status
 * line says why and which built-in theme stands in (used; NULL: none, the
 * current theme stays); 'e' has the whole error.
 */
static void
ui_theme_warn(struct ui *ui, const char *name, const char *used, struct dlc_err *err)
{
	dlc_err_what(err, "theme %s", name);
	dlc_err_fix(err, "themes are looked for in %s (DLC_THEMES_DIR overrides it); "
	    "':theme' lists those found", ui->themes_dir);
	ui->last_err = *err;
	if (used == NULL && strcmp(err->code, "ENOENT") == 0)
		ui_message(ui, 1, "theme %.60s: not found in %.200s  (:theme lists them)", name, ui->themes_dir);
	else if (used == NULL)
		ui_message(ui, 1, "theme %.60s: cannot be used  (e: details): %.300s", name, err->message);
	else if (strcmp(err->code, "ENOENT") == 0)
		ui_message(ui, 1, "theme %.60s: not found in %.200s; using the built-in %s",
		    name, ui->themes_dir, used);
	else
		ui_message(ui, 1, "theme %.60s: using the built-in %s, the file is broken  (e: details): %.300s",
		    name, used, err->message);
}

/* ":theme" alone: every theme there is to switch to. */
void
ui_list_themes(struct ui *ui)
{
	char **names, line[sizeof ui->message];
	size_t n, i, off;

	theme_list_all(ui->themes_dir, &names, &n);
	off = (size_t)snprintf(line, sizeof line, "themes:");
	for (i = 0; i < n && off < sizeof line; i++)
		off += (size_t)snprintf(line + off, sizeof line - off, "%s %s", i > 0 ? "," : "", names[i]);
	theme_list_free(names, n);
	ui_message(ui, 0, "%s", line);
}

int
ui_set_theme(struct ui *ui, const char *name)
{
	struct theme t;
	struct dlc_err err;

	memset(&t, 0, sizeof t);
	dlc_err_clear(&err);
	if (theme_load(ui->themes_dir, name, &t, &err) != 0) {
		/* A built-in theme's file may be missing or broken: the built-in one serves. */
		if (theme_builtin_named(name, &t) != 0) {
			ui_theme_warn(ui, name, NULL, &err);
			return -1;
		}
		ui_theme_warn(ui, name, name, &err);
	} else
		ui_message(ui, 0, "theme %s", name);
	theme_clear(&ui->theme);
	ui->theme = t;
	colors_apply_theme(&ui->theme);
	ui_dirty(ui, UI_DIRTY_ALL);
	clearok(curscr, TRUE);
	return 0;
}

static void
ui_model_changed(enum model_change what, size_t env, const char *fn, void *arg)
{
	struct ui *ui = arg;
	int i;

	for (i = 0; i < ui->depth; i++)
		if (ui->stack[i].ops->on_change != NULL)
			ui->stack[i].ops->on_change(ui->stack[i].state, what, env, fn);
	alarm_status_changed(ui, what, env);
	ui_dirty(ui, UI_DIRTY_MAIN | UI_DIRTY_HEADER);
}

/* The action a key means here, or NULL: prompt keys are handled apart. */
static void
ui_action(struct ui *ui, const char *action)
{
	struct pane *top = ui_top(ui);
	struct listview *lv;

	if (top != NULL && top->ops->action != NULL && top->ops->action(top->state, action)) {
		ui_dirty(ui, UI_DIRTY_MAIN | UI_DIRTY_HEADER);
		return;
	}
	if (strcmp(action, "quit") == 0) {
		ui->quit = 1;
	} else if (strcmp(action, "back") == 0) {
		lv = top != NULL && top->ops->list != NULL ? top->ops->list(top->state) : NULL;
		if (ui->message[0] != '\0')
			ui_message(ui, 0, "%s", "");
		if (ui->focus_queue)
			ui->focus_queue = 0;
		else if (lv != NULL && listview_filter(lv) != NULL && *listview_filter(lv) != '\0')
			listview_set_filter(lv, "", NULL);
		else
			ui_pop(ui);
		ui_dirty(ui, UI_DIRTY_ALL);
	} else if (strcmp(action, "audit") == 0) {
		ui_run_command(ui, "audit");
	} else if (strcmp(action, "help") == 0) {
		if (top == NULL || top->ops != &pane_help_ops)
			ui_push(ui, &pane_help_ops, NULL);
	} else if (strcmp(action, "command") == 0) {
		ui->prompt = UI_PROMPT_COMMAND;
		ui->prompt_text[0] = '\0';
		ui->prompt_len = 0;
		ui->history_pos = -1;
		ui_dirty(ui, UI_DIRTY_STATUS);
	} else if (strcmp(action, "filter") == 0) {
		lv = top != NULL && top->ops->list != NULL ? top->ops->list(top->state) : NULL;
		if (lv == NULL)
			return;
		ui->prompt = UI_PROMPT_FILTER;
		ui->history_pos = -1;
		snprintf(ui->prompt_text, sizeof ui->prompt_text, "%s",
		    listview_filter(lv) != NULL ? listview_filter(lv) : "");
		snprintf(ui->prompt_saved, sizeof ui->prompt_saved, "%s", ui->prompt_text);
		ui->prompt_len = strlen(ui->prompt_text);
		ui_dirty(ui, UI_DIRTY_STATUS);
	} else if (strcmp(action, "next-pane") == 0 || strcmp(action, "prev-pane") == 0) {
		ui->focus_queue = !ui->focus_queue;
		ui_dirty(ui, UI_DIRTY_ALL);
	} else if (strcmp(action, "alarms") == 0) {
		ui_run_command(ui, "alarms");
	} else if (strcmp(action, "queue-view") == 0) {
		queue_console_toggle_view(ui);
	} else if (strcmp(action, "show-error") == 0) {
		if (dlc_err_isset(&ui->last_err))
			ui_push(ui, &pane_help_ops, "error");
	} else if (strcmp(action, "login") == 0) {
		ui_login(ui, ui->env);
	} else if (strcmp(action, "previous-env") == 0) {
		if (ui->prev_env < 0)
			ui_message(ui, 0, "no previous environment yet: - returns to the one before a switch");
		else
			ui_select_env(ui, ui->prev_env);
	}
}

void
ui_prompt_open(struct ui *ui, const char *purpose, const char *label, const char *initial)
{
	ui->prompt = UI_PROMPT_PANE;
	ui->history_pos = -1;
	snprintf(ui->prompt_purpose, sizeof ui->prompt_purpose, "%s", purpose);
	snprintf(ui->prompt_label, sizeof ui->prompt_label, "%s", label);
	snprintf(ui->prompt_text, sizeof ui->prompt_text, "%s", initial != NULL ? initial : "");
	ui->prompt_len = strlen(ui->prompt_text);
	ui_dirty(ui, UI_DIRTY_STATUS);
}

/* Applies the filter as it is typed, so the count updates live. */
static void
ui_filter_live(struct ui *ui)
{
	struct pane *top = ui_top(ui);
	struct listview *lv = top != NULL && top->ops->list != NULL ? top->ops->list(top->state) : NULL;
	struct dlc_err err;

	if (lv == NULL)
		return;
	dlc_err_clear(&err);
	if (listview_set_filter(lv, ui->prompt_text, &err) != 0)
		ui_message(ui, 1, "%s", err.message);
	else if (ui->message_is_error)
		ui_message(ui, 0, "%s", "");
	ui_dirty(ui, UI_DIRTY_MAIN | UI_DIRTY_HEADER);
}

/* The history of the prompt open now: its kind, or the pane's purpose. */
static struct ui_history *
ui_history_of(struct ui *ui)
{
	const char *kind = ui->prompt == UI_PROMPT_COMMAND ? ":" :
	    ui->prompt == UI_PROMPT_FILTER ? "/" : ui->prompt_purpose;
	size_t i, n = sizeof ui->histories / sizeof ui->histories[0];

	for (i = 0; i < n; i++)
		if (strcmp(ui->histories[i].kind, kind) == 0)
			return &ui->histories[i];
	for (i = 0; i < n; i++)
		if (ui->histories[i].kind[0] == '\0')
			break;
	/* More purposes than slots: the last one is reused. */
	if (i == n)
		i = n - 1;
	memset(&ui->histories[i], 0, sizeof ui->histories[i]);
	snprintf(ui->histories[i].kind, sizeof ui->histories[i].kind, "%s", kind);
	return &ui->histories[i];
}

static void
ui_history_add(struct ui *ui, const char *text)
{
	struct ui_history *h = ui_history_of(ui);

	if (*text == '\0' || (h->n > 0 && strcmp(h->items[h->n - 1], text) == 0))
		return;
	if (h->n == 16) {
		memmove(h->items[0], h->items[1], sizeof h->items[0] * 15);
		h->n--;
	}
	snprintf(h->items[h->n++], sizeof h->items[0], "%s", text);
}

/* Up/Down in a prompt: step through what was typed before at this prompt. */
static void
ui_history_step(struct ui *ui, int older)
{
	struct ui_history *h = ui_history_of(ui);

	if (h->n == 0)
		return;
	if (older)
		ui->history_pos = ui->history_pos < 0 ? h->n - 1 :
		    (ui->history_pos > 0 ? ui->history_pos - 1 : 0);
	else if (ui->history_pos >= 0 && ++ui->history_pos >= h->n)
		ui->history_pos = -1;
	snprintf(ui->prompt_text, sizeof ui->prompt_text, "%s",
	    ui->history_pos >= 0 ? h->items[ui->history_pos] : "");
	ui->prompt_len = strlen(ui->prompt_text);
	if (ui->prompt == UI_PROMPT_FILTER)
		ui_filter_live(ui);
}

static void
ui_prompt_key(struct ui *ui, int key, int is_char)
{
	const char *action = keys_action(key, KEYCTX_PROMPT);

	/* Printable characters are text here, whatever they mean elsewhere. */
	if (is_char && key >= 32 && key != 127)
		action = NULL;
	/* Any key but Tab ends a list of completions. */
	if (action == NULL || strcmp(action, "complete") != 0)
		ui->completing = 0;
	if (action != NULL && strcmp(action, "cancel") == 0) {
		if (ui->prompt == UI_PROMPT_FILTER) {
			snprintf(ui->prompt_text, sizeof ui->prompt_text, "%s", ui->prompt_saved);
			ui_filter_live(ui);
		}
		ui->prompt = UI_PROMPT_NONE;
		/* A pane may draw for its prompt (p's question): it goes too. */
		ui_dirty(ui, UI_DIRTY_MAIN);
	} else if (action != NULL && strcmp(action, "submit") == 0) {
		enum ui_prompt_kind kind = ui->prompt;

		/* A typed-back environment name is not offered again by Up: it must be typed. */
		if (kind != UI_PROMPT_PANE || strncmp(ui->prompt_purpose, "push-", 5) != 0)
			ui_history_add(ui, ui->prompt_text);
		ui->prompt = UI_PROMPT_NONE;
		if (kind == UI_PROMPT_COMMAND) {
			ui_run_command(ui, ui->prompt_text);
		} else if (kind == UI_PROMPT_PANE) {
			struct pane *top = ui_top(ui);

			if (top != NULL && top->ops->prompt != NULL)
				top->ops->prompt(top->state, ui->prompt_purpose, ui->prompt_text);
			ui_dirty(ui, UI_DIRTY_MAIN | UI_DIRTY_HEADER);
		}
	} else if (action != NULL && strcmp(action, "delete-back") == 0) {
		/* Back over one whole UTF-8 character. */
		while (ui->prompt_len > 0) {
			unsigned char c = (unsigned char)ui->prompt_text[--ui->prompt_len];

			if ((c & 0xC0) != 0x80)
				break;
		}
		ui->prompt_text[ui->prompt_len] = '\0';
		if (ui->prompt == UI_PROMPT_FILTER)
			ui_filter_live(ui);
	} else if (action != NULL && strcmp(action, "delete-word") == 0) {
		while (ui->prompt_len > 0 && ui->prompt_text[ui->prompt_len - 1] == ' ')
			ui->prompt_len--;
		while (ui->prompt_len > 0 && ui->prompt_text[ui->prompt_len - 1] != ' ')
			ui->prompt_len--;
		ui->prompt_text[ui->prompt_len] = '\0';
		if (ui->prompt == UI_PROMPT_FILTER)
			ui_filter_live(ui);
	} else if (action != NULL && strcmp(action, "clear") == 0) {
		ui->prompt_len = 0;
		ui->prompt_text[0] = '\0';
		if (ui->prompt == UI_PROMPT_FILTER)
			ui_filter_live(ui);
	} else if (action != NULL && strcmp(action, "history-prev") == 0) {
		ui_history_step(ui, 1);
	} else if (action != NULL && strcmp(action, "history-next") == 0) {
		ui_history_step(ui, 0);
	} else if (action != NULL && strcmp(action, "complete") == 0) {
		if (ui->prompt == UI_PROMPT_COMMAND) {
			commands_complete(ui);
			ui->prompt_len = strlen(ui->prompt_text);
		}
	} else if (action == NULL && is_char && key >= 32 && key != 127) {
		char mb[8];
		int n;
		mbstate_t st;

		memset(&st, 0, sizeof st);
		n = (int)wcrtomb(mb, (wchar_t)key, &st);
		if (n > 0 && ui->prompt_len + (size_t)n < sizeof ui->prompt_text) {
			memcpy(ui->prompt_text + ui->prompt_len, mb, (size_t)n);
			ui->prompt_len += (size_t)n;
			ui->prompt_text[ui->prompt_len] = '\0';
			if (ui->prompt == UI_PROMPT_FILTER)
				ui_filter_live(ui);
		}
	}
	ui_dirty(ui, UI_DIRTY_STATUS);
}

static void
ui_mouse(struct ui *ui)
{
	MEVENT ev;
	int y, x;

	if (getmouse(&ev) != OK || ui->w_main == NULL)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		ui_action(ui, "up");
		ui_action(ui, "up");
		ui_action(ui, "up");
		return;
	}
	if (ev.bstate & BUTTON5_PRESSED) {
		ui_action(ui, "down");
		ui_action(ui, "down");
		ui_action(ui, "down");
		return;
	}
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)))
		return;
	getbegyx(ui->w_main, y, x);
	(void)x;
	if (ev.y > y && ev.y < y + getmaxy(ui->w_main)) {
		struct pane *top = ui_top(ui);
		struct listview *lv = top != NULL && top->ops->list != NULL ? top->ops->list(top->state) : NULL;

		if (lv != NULL) {
			size_t first = listview_top(lv, (size_t)getmaxy(ui->w_main) - 1);

			/* A click on the list gives it the focus back from the strip. */
			ui->focus_queue = 0;

			listview_home(lv);
			listview_move(lv, (long)(first + (size_t)(ev.y - y - 1)));
			ui_dirty(ui, UI_DIRTY_MAIN);
			if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
				ui_action(ui, "select");
		}
	}
}

static void
ui_key(struct ui *ui, int key, int is_char)
{
	const char *action;
	unsigned ctx = KEYCTX_GLOBAL;
	struct pane *top = ui_top(ui);

	if (ui->prompt != UI_PROMPT_NONE) {
		ui_prompt_key(ui, key, is_char);
		return;
	}
	if (!is_char && key == KEY_MOUSE) {
		ui_mouse(ui);
		return;
	}
	if (!is_char && key == KEY_RESIZE)
		return;
	if (top != NULL)
		ctx |= top->ops->keyctx;
	/* The focused strip takes the keys: none reaches the list behind it. */
	if (ui->focus_queue) {
		action = keys_action(key, KEYCTX_GLOBAL | KEYCTX_QUEUE);
		if (action == NULL && keys_action(key, ctx) != NULL)
			ui_message(ui, 0, "the queue strip has focus%s: "
			    "Tab or Esc goes back to the %s", ui->jobs == NULL ? " and is empty" :
			    "", top != NULL ? top->ops->name : "view");
	} else
		action = keys_action(key, ctx);
	if (action == NULL)
		return;
	/* A new key clears an old informational message. */
	if (ui->message[0] != '\0' && !ui->message_is_error && ui->login == NULL)
		ui_message(ui, 0, "%s", "");
	if (ui->focus_queue && queue_console_strip_action(ui, action))
		return;
	ui_action(ui, action);
}

static void
ui_on_input(int fd, int events, void *arg)
{
	struct ui *ui = arg;
	wint_t wch;
	int rc;

	/* Drain everything typed, so a paste or key repeat is one redraw. */
	timing_key(ui->prompt == UI_PROMPT_FILTER);
	while ((rc = wget_wch(stdscr, &wch)) != ERR) {
		ui_key(ui, (int)wch, rc == OK);
		if (ui->quit)
			break;
	}
}

static void
ui_relayout(void *arg)
{
	struct ui *ui = arg;

	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	frame_layout(ui);
	ui_dirty(ui, UI_DIRTY_ALL);
}

static void
ui_on_winch(int signo, void *arg)
{
	struct ui *ui = arg;

	/* Debounced: a window being dragged sends a storm of these. */
	loop_timer_start(ui->resize_timer, UI_RESIZE_DEBOUNCE_MS);
}

static void
ui_on_term(int signo, void *arg)
{
	struct ui *ui = arg;

	ui->quit = 1;
}

static void
ui_on_tick(void *arg)
{
	struct ui *ui = arg;

	/* Ages ("12s ago") and a running queue job's elapsed time move on their own. */
	ui_dirty(ui, UI_DIRTY_HEADER | (ui->queue != NULL && queue_live(ui->queue) > 0 ?
	    UI_DIRTY_QUEUE | UI_DIRTY_MAIN : 0));
	loop_timer_start(ui->tick, UI_TICK_MS);
}

static int
ui_list_loaded(struct ui *ui)
{
	struct model_env *me;

	if (ui->env < 0)
		return 0;
	me = model_env_at(ui->model, (size_t)ui->env);
	return me->functions_state == MODEL_READY || me->functions_state == MODEL_FAILED;
}

/* The one redraw per loop turn. */
static void
ui_step(void *arg)
{
	struct ui *ui = arg;
	struct pane *top = ui_top(ui);

	if (ui->dirty == 0)
		return;
	timing_frame_start((ui->dirty & UI_DIRTY_MAIN) != 0);
	if (ui->dirty & UI_DIRTY_LAYOUT)
		frame_layout(ui);
	if (ui->too_small) {
		frame_draw_too_small(ui);
		doupdate();
		clipboard_flush();
		ui->dirty = 0;
		return;
	}
	if (ui->dirty & UI_DIRTY_HEADER) {
		frame_draw_header(ui);
		wnoutrefresh(ui->w_header);
	}
	if ((ui->dirty & UI_DIRTY_MAIN) && top != NULL) {
		werase(ui->w_main);
		top->ops->draw(top->state, ui->w_main, getmaxy(ui->w_main), getmaxx(ui->w_main));
		wnoutrefresh(ui->w_main);
	}
	if (ui->dirty & UI_DIRTY_QUEUE) {
		frame_draw_queue(ui);
		wnoutrefresh(ui->w_queue);
	}
	/* The status line last: it owns the cursor while a prompt is open. */
	frame_draw_status(ui);
	wnoutrefresh(ui->w_status);
	doupdate();
	/* After the frame, so curses' own output is out and not cut in two. */
	clipboard_flush();
	timing_frame_done(ui_list_loaded(ui));
	ui->dirty = 0;
	if (ui->exit_when_loaded && ui_list_loaded(ui))
		ui->quit = 1;
}

/* A local CodeSha256 became known: the DRIFT column shows it. */
static void
ui_drift_known(void *arg)
{
	struct ui *ui = arg;
	struct draw_columns *dc;
	int i;

	/* "?" became "local changes": the column's width is measured again. */
	for (i = 0; i < ui->depth; i++)
		if ((dc = pane_functions_draw_columns(&ui->stack[i])) != NULL)
			dc->valid = 0;
	ui_dirty(ui, UI_DIRTY_MAIN);
}

static void
ui_fatal_hook(void)
{
	if (ui_current != NULL)
		endwin();
}

static int
ui_setup_theme(struct ui *ui, const char *name)
{
	struct dlc_err err;
	const char *nc = getenv("NO_COLOR");

	ui->no_color = nc != NULL && *nc != '\0';
	ui->themes_dir = theme_dir_default(ui->ctx->cfg.dir);
	dlc_err_clear(&err);
	if (theme_load(ui->themes_dir, name, &ui->theme, &err) != 0) {
		/* Not installed, or a broken file: start anyway, and say so. */
		if (theme_builtin_named(name, &ui->theme) == 0) {
			ui_theme_warn(ui, name, name, &err);
		} else {
			theme_builtin(&ui->theme);
			ui_theme_warn(ui, name, "default", &err);
		}
	}
	return 0;
}

/* Columns of UTF-8 text (the command table's "NAME…"). */
static int
ui_text_width(const char *s)
{
	int w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/*
 * The same tables the ? view draws, as plain text (dlc --keys): each
 * view's keys under its name, one line per action, the descriptions in
 * one column. tests/e2e/keyscheck.py compares this with man/dlc.1.
 */
static int
ui_print_keys(void)
{
	struct key_line lines[64];
	size_t g, n, i;
	int width = 0, w;
	char name[80];

	for (g = 0; g < keys_groups_count; g++) {
		n = keys_group_lines(&keys_groups[g], keys_groups[g].ctx, lines, 64);
		for (i = 0; i < n && i < 64; i++)
			if ((w = ui_text_width(lines[i].names)) > width)
				width = w;
	}
	printf("Keys by view (? in the console shows the keys of its view first)\n");
	for (g = 0; g < keys_groups_count; g++) {
		n = keys_group_lines(&keys_groups[g], keys_groups[g].ctx, lines, 64);
		if (n == 0)
			continue;
		printf("\n%s:\n", keys_groups[g].title);
		for (i = 0; i < n && i < 64; i++)
			printf("  %s%*s  %s\n", lines[i].names,
			    width - ui_text_width(lines[i].names), "", lines[i].b->help);
	}
	width = 0;
	for (i = 0; ui_commands[i].name != NULL; i++) {
		snprintf(name, sizeof name, ":%s %s", ui_commands[i].name, ui_commands[i].args);
		if ((w = ui_text_width(name)) > width)
			width = w;
	}
	printf("\nCommands (after ':'):\n");
	for (i = 0; ui_commands[i].name != NULL; i++) {
		snprintf(name, sizeof name, ":%s%s%s", ui_commands[i].name,
		    ui_commands[i].args[0] != '\0' ? " " : "", ui_commands[i].args);
		printf("  %s%*s  %s\n", name, width - ui_text_width(name), "", ui_commands[i].help);
	}
	return CLI_OK;
}

int
ui_main(struct cli_ctx *ctx)
{
	struct ui ui;
	struct dlc_err err;
	const char *env_name = ctx->env_name, *theme_name = ctx->theme;
	int rc = CLI_OK, i;

	if (ctx->list_keys)
		return ui_print_keys();
	memset(&ui, 0, sizeof ui);
	ui.ctx = ctx;
	ui.env = -1;
	ui.prev_env = -1;
	ui.exit_when_loaded = ctx->exit_when_loaded;
	dlc_err_clear(&err);
	if (cli_setup(ctx, &err) != 0) {
		cli_teardown(ctx);
		return cli_error(&err);
	}
	if (env_name != NULL && cli_find_env(ctx, env_name, &err) == NULL) {
		cli_teardown(ctx);
		return cli_error(&err);
	}
	if (manifest_load_dir(ctx->cfg.functions_dir, &ui.locals, &ui.n_locals, &err) != 0) {
		/* Still browse; say why nothing maps to a folder. */
		ui.locals = NULL;
		ui.n_locals = 0;
	}
	if (ui_setup_theme(&ui, theme_name != NULL ? theme_name : ctx->cfg.theme) != 0) {
		manifest_free_all(ui.locals, ui.n_locals);
		cli_teardown(ctx);
		return CLI_FAIL;
	}

	setlocale(LC_ALL, "");
	/* A non-UTF-8 locale gets ASCII stand-ins for every glyph (glyph.h). */
	glyph_init();
	if (!isatty(STDIN_FILENO) && !ui.exit_when_loaded) {
		fprintf(stderr, "dlc: the console needs a terminal; use 'dlc ls', 'dlc envs' in scripts\n");
		rc = CLI_USAGE;
		goto out;
	}
	if (newterm(NULL, stdout, stdin) == NULL) {
		fprintf(stderr, "dlc: cannot start the terminal (TERM=%s)\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "unset");
		rc = CLI_FAIL;
		goto out;
	}
	ui_current = &ui;
	fatal_set_hook(ui_fatal_hook);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED |
	    BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	colors_init(&ui.theme, ui.no_color);
	frame_layout(&ui);

	ui.model = model_new(&ctx->aws, &ctx->cfg, ui.locals, ui.n_locals, ui_model_changed, &ui);
	/* The functions view's 24 h sparklines follow each list (one GetMetricData). */
	model_set_auto_metrics(ui.model, 1);
	ui.drift = drift_cache_new(ctx->aws.loop, &ctx->cfg, ui_drift_known, &ui);
	queue_console_open(&ui);
	/* A benchmark run has no keyboard (stdin may be /dev/null, which epoll refuses). */
	if (isatty(STDIN_FILENO))
		ui.input = loop_fd_new(ctx->aws.loop, STDIN_FILENO, LOOP_READ, ui_on_input, &ui);
	ui.sig_winch = loop_signal_new(ctx->aws.loop, SIGWINCH, ui_on_winch, &ui);
	ui.sig_term = loop_signal_new(ctx->aws.loop, SIGTERM, ui_on_term, &ui);
	ui.sig_int = loop_signal_new(ctx->aws.loop, SIGINT, ui_on_term, &ui);
	ui.resize_timer = loop_timer_new(ctx->aws.loop, ui_relayout, &ui);
	ui.tick = loop_timer_new(ctx->aws.loop, ui_on_tick, &ui);
	loop_timer_start(ui.tick, UI_TICK_MS);
	loop_set_step(ctx->aws.loop, ui_step, &ui);

	/* Every environment's identity at once: the list shows them as they come. */
	for (i = 0; (size_t)i < model_env_count(ui.model); i++)
		model_refresh_identity(ui.model, (size_t)i);
	ui_push(&ui, &pane_envs_ops, NULL);
	if (env_name != NULL)
		ui_select_env(&ui, model_env_index(ui.model, env_name));
	/* After the first view, which clears the status line. */
	queue_console_interrupted(&ui);
	ui_dirty(&ui, UI_DIRTY_ALL);
	ui_step(&ui);

	while (!ui.quit)
		if (loop_run_once(ctx->aws.loop) != 0)
			break;

	loop_set_step(ctx->aws.loop, NULL, NULL);
	timing_write(ui.env >= 0 ? model_env_at(ui.model, (size_t)ui.env)->n_functions : 0);
	while (ui.depth > 0) {
		struct pane *p = &ui.stack[--ui.depth];

		p->ops->free(p->state);
	}
	sso_login_free(ui.login);
	/* Running queue jobs are cancelled; a special one's locks are released. */
	queue_console_close(&ui);
	jobs_free_all(&ui);
	/* A build's children are killed; its staging folder goes once they are reaped. */
	while (proc_live_count() > 0 && loop_run_once(ctx->aws.loop) == 0)
		;
	drift_cache_free(ui.drift);
	loop_timer_free(ui.tick);
	loop_timer_free(ui.resize_timer);
	loop_signal_free(ui.sig_int);
	loop_signal_free(ui.sig_term);
	loop_signal_free(ui.sig_winch);
	loop_fd_free(ui.input);
	model_free(ui.model);
	free(ui.alarm_seen);
	endwin();
	ui_current = NULL;
	fatal_set_hook(NULL);
out:
	theme_clear(&ui.theme);
	free(ui.themes_dir);
	manifest_free_all(ui.locals, ui.n_locals);
	cli_teardown(ctx);
	return rc;
}
