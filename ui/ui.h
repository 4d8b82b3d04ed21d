/*
 * The console: the frame (header, main view, queue strip, status line),
 * a stack of views, key dispatch and the redraw step. Every pane draws
 * from engine state (src/model.h) and does no I/O of its own; events only
 * mark things dirty, and one step per loop turn draws what is dirty.
 */
#ifndef DLC_UI_H
#define DLC_UI_H

#include <curses.h>

#include "cli.h"
#include "columns.h"
#include "model.h"
#include "theme.h"

struct ui;
struct listview;

/* A view in the main area (STYLE.md 2): one file, one const ops table. */
struct pane_ops {
	const char	*name;
	unsigned	 keyctx;		/* KEYCTX_* bits its keys live in */
	void		*(*init)(struct ui *ui, const char *arg);
	void		 (*free)(void *state);
	void		 (*draw)(void *state, WINDOW *win, int rows, int cols);
	/* Returns 1 when it handled the action. */
	int		 (*action)(void *state, const char *action);
	/* The model changed; returns 1 when the pane must be redrawn. */
	int		 (*on_change)(void *state, enum model_change what, size_t env,
			    const char *function_name);
	/* The title shown above the view, e.g. "functions (alpha) 12/57". */
	void		 (*title)(void *state, char *buf, size_t len);
	/* The listview to filter with '/', or NULL. */
	struct listview	*(*list)(void *state);
	/* A prompt the pane opened (ui_prompt_open) was submitted. */
	void		 (*prompt)(void *state, const char *purpose, const char *text);
};

struct pane {
	const struct pane_ops	*ops;
	void			*state;
};

extern const struct pane_ops pane_envs_ops;
extern const struct pane_ops pane_functions_ops;
extern const struct pane_ops pane_details_ops;
extern const struct pane_ops pane_help_ops;
extern const struct pane_ops pane_logs_ops;
/* The column chooser (c) of the view below it, whose key names arg gives ("functions"). */
extern const struct pane_ops pane_columns_ops;
/* A job's output (build output, invoke result, drift), whose id arg gives ("3"). */
extern const struct pane_ops pane_output_ops;
/* The deploy queue in full (Q), and one queue job's log and steps (arg: its id). */
extern const struct pane_ops pane_queue_ops;
extern const struct pane_ops pane_queue_job_ops;
/* The audit of the chosen environment (:audit), and one finding's reason and fix (arg: its index). */
extern const struct pane_ops pane_audit_ops;
extern const struct pane_ops pane_audit_finding_ops;
/* The environment's alarms (a), and one alarm (arg: its AlarmName). */
extern const struct pane_ops pane_alarms_ops;
extern const struct pane_ops pane_alarm_detail_ops;

#define UI_MAX_DEPTH 8

/* PANE: a prompt of the top pane's, answered through its prompt op. */
enum ui_prompt_kind { UI_PROMPT_NONE, UI_PROMPT_COMMAND, UI_PROMPT_FILTER, UI_PROMPT_PANE };

struct ui {
	struct cli_ctx		*ctx;
	struct model		*model;
	struct local_function	*locals;
	size_t			 n_locals;
	struct theme		 theme;
	char			*themes_dir;
	int			 no_color;
	int			 env;		/* the chosen environment, -1 for none yet */
	int			 prev_env;	/* the one before it ('-'), -1 for none */

	struct pane		 stack[UI_MAX_DEPTH];
	int			 depth;
	int			 focus_queue;	/* Tab moves focus to the queue strip */

	WINDOW			*w_header;
	WINDOW			*w_main;
	WINDOW			*w_queue;
	WINDOW			*w_status;
	int			 rows, cols;
	int			 compact;	/* below 80x24 */
	int			 too_small;	/* below 40x10 */
	int			 dirty;		/* bits of UI_DIRTY_* */

	char			 message[512];	/* the last message on the status line */
	int			 message_is_error;
	struct dlc_err		 last_err;	/* shown in full on 'e' */
	int			 show_error;

	enum ui_prompt_kind	 prompt;
	char			 prompt_text[256];
	size_t			 prompt_len;
	char			 prompt_saved[256];	/* filter before editing, restored on Esc */
	char			 prompt_purpose[16];	/* PANE: what the pane asked for */
	char			 prompt_label[256];	/* PANE: shown before the text, e.g. "search /" */
	/* One history per prompt (":", "/", or a pane's purpose), newest last. */
	struct ui_history {
		char		 kind[16];
		char		 items[16][256];
		int		 n;
	}			 histories[8];
	int			 history_pos;		/* -1: not browsing */
	/* Tab that could not complete lists the candidates; more Tabs cycle. */
	int			 completing;		/* the list is shown */
	int			 complete_pos;		/* the candidate taken, -1: none yet */
	char			 complete_base[256];	/* the text when the list was made */
	char			 complete_list[1024];	/* the candidates, two spaces apart */

	struct loop_fd		*input;
	struct loop_signal	*sig_winch;
	struct loop_signal	*sig_term;
	struct loop_signal	*sig_int;
	struct loop_timer	*resize_timer;
	struct loop_timer	*tick;
	int			 quit;
	int			 exit_when_loaded;	/* for benchmarks: stop after the first full list */
	int			 drawn_loaded;

	struct sso_login	*login;
	int			 login_env;
	char			 login_text[512];

	/* b, p, i, d: the console's jobs (jobs.h), newest first. */
	struct ui_job		*jobs;
	unsigned		 job_seq;
	char			 pending[256];	/* the function a prompt of theirs is about */
	struct drift_cache	*drift;		/* local CodeSha256s for the DRIFT column */

	/* The deploy queue (queue-console.h): pushes go through it. */
	struct journal		*journal;
	struct queue		*queue;
	struct queue_console	*qc;

	/* alarm-status.c: each environment's alarm list generation announced, plus one. */
	unsigned		*alarm_seen;
	size_t			 n_alarm_seen;
};

enum {
	UI_DIRTY_HEADER = 1,
	UI_DIRTY_MAIN = 2,
	UI_DIRTY_QUEUE = 4,
	UI_DIRTY_STATUS = 8,
	UI_DIRTY_LAYOUT = 16,
	UI_DIRTY_ALL = 31
};

/* ui.c */
int	ui_main(struct cli_ctx *ctx);
void	ui_dirty(struct ui *ui, int what);
void	ui_message(struct ui *ui, int is_error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	ui_error(struct ui *ui, const struct dlc_err *err);
struct pane *ui_top(struct ui *ui);
int	ui_push(struct ui *ui, const struct pane_ops *ops, const char *arg);
void	ui_pop(struct ui *ui);
void	ui_select_env(struct ui *ui, int env);
int	ui_run_command(struct ui *ui, const char *line);
void	ui_login(struct ui *ui, int env);
/* Opens a prompt for the top pane; its prompt op gets the text on Enter. */
void	ui_prompt_open(struct ui *ui, const char *purpose, const char *label,
	    const char *initial);
int	ui_set_theme(struct ui *ui, const char *name);
void	ui_list_themes(struct ui *ui);

/* frame.c */
void	frame_layout(struct ui *ui);
void	frame_draw_header(struct ui *ui);
void	frame_draw_queue(struct ui *ui);
void	frame_draw_status(struct ui *ui);
void	frame_draw_too_small(struct ui *ui);

/* draw.c: every string from AWS or a log reaches the screen through these. */
/* Adds clean text at the cursor (ASCII stand-ins in a non-UTF-8 locale, see glyph.h). */
void	draw_addn(WINDOW *win, const char *s, size_t len);
void	draw_text(WINDOW *win, int y, int x, int width, const char *text, int role, int align_right);
/* draw_text for a name or identifier: invisible and bidi characters drawn as <U+HHHH>. */
void	draw_id_text(WINDOW *win, int y, int x, int width, const char *text, int role, int align_right);
void	draw_fill(WINDOW *win, int y, int role);
#define DRAW_MAX_COLS 16
/* A list's columns and their natural widths, measured once per refresh. */
struct draw_columns {
	const struct column_spec *spec;
	size_t			 n;
	size_t			 natural[DRAW_MAX_COLS];
	int			 valid;		/* 0: measure again on the next draw */
	size_t			 order[DRAW_MAX_COLS];	/* the columns shown, left to right */
	size_t			 n_order;	/* 0: every column, in spec order */
	size_t			 hscroll;	/* shown columns after the first scrolled past (< >) */
};
/* The columns shown, left to right (the chosen order, or every column); returns how many. */
size_t	draw_columns_shown(const struct draw_columns *dc, size_t *idx);
/* cell(): the text of a source row's column; *role may be set to colour it. */
typedef const char *(*draw_cell_fn)(void *arg, size_t row, size_t col, int *role);
void	draw_list(struct ui *ui, WINDOW *win, int rows, int cols, struct listview *lv,
	    struct draw_columns *dc, draw_cell_fn cell, void *arg);

/* Moves, pages and sorts a list for the list actions; 1 when handled. */
/*
 * The movement keys over lines of text that can follow their end (a job's
 * output, a queue job's log): moves *top within 0..last (the top that
 * shows the last line) by action, a page being rows; *follow ends true
 * when the end is shown. 1 when action was a movement, else 0.
 */
int	pane_text_scroll(const char *action, size_t *top, int *follow,
	    size_t last, long rows, size_t n_lines);
int	pane_list_action(struct ui *ui, struct listview *lv, const char *action,
	    struct draw_columns *dc);

/* pane-functions.c: the functions view's columns, for the chooser; NULL for another pane. */
struct draw_columns *pane_functions_draw_columns(struct pane *p);

/*
 * clipboard.c: copy text (raw; it travels base64) to the clipboard
 * through OSC 52, written right after the next frame; what ("name of f")
 * goes in the status line. The redraw step calls clipboard_flush.
 */
void	clipboard_copy(struct ui *ui, const char *text, size_t len, const char *what);
void	clipboard_flush(void);

/* pane-alarms.c: a state's theme role, and its glyph and word ("✖ ALARM"). */
int	pane_alarms_state_role(const char *state);
const char *pane_alarms_state_text(const char *state, char *buf, size_t len);

/*
 * alarm-status.c: the header's " ✖ 2 ALARM " for the chosen environment
 * (" ✖2 " in the compact layout, "" there when none fires; role set to
 * colour it; "" before an environment is chosen), and the
 * model's change hook that announces new ALARMs once (and rings if asked).
 */
const char *alarm_status_badge(struct ui *ui, char *buf, size_t len, int *role);
void	alarm_status_changed(struct ui *ui, enum model_change what, size_t env);

/* commands.c */
struct ui_command {
	const char	*name;
	const char	*args;
	const char	*help;
	int		(*run)(struct ui *ui, const char *arg);
};
extern const struct ui_command ui_commands[];
/*
 * Tab at ':': completes the word under the cursor in ui->prompt_text
 * (command names, then environment, function or theme names; every name
 * of :logs); a Tab that adds nothing lists the candidates
 * (ui->complete_list), and Tabs after it take each in turn.
 */
void	commands_complete(struct ui *ui);

#endif
