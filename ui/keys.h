/*
 * The console's one key table, with help text. The "?" screen, each pane's
 * help and the status-line hints are generated from it, so the help cannot
 * disagree with the keys. Defaults avoid C-a, C-b and C-h/C-j/C-k/C-l,
 * which tmux and vim users already own (USERS.md).
 *
 * Contexts: a pane asks with the bits in force, e.g. the functions list
 * passes KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_TABLE | KEYCTX_FUNCTIONS, a scrolling
 * details pane KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_DETAILS, and a prompt
 * being typed KEYCTX_PROMPT alone (so "q" types a q there).
 */
#ifndef DLC_UI_KEYS_H
#define DLC_UI_KEYS_H

#include <stddef.h>

/*
 * LIST: moving in anything that scrolls; TABLE: filtering and sorting the
 * rows of a table (environments, functions); LOGS: the log view, where '/'
 * searches instead.
 */
enum key_context {
	KEYCTX_GLOBAL = 1, KEYCTX_LIST = 2, KEYCTX_ENVS = 4,
	KEYCTX_FUNCTIONS = 8, KEYCTX_DETAILS = 16, KEYCTX_HELP = 32,
	KEYCTX_PROMPT = 64, KEYCTX_TABLE = 128, KEYCTX_LOGS = 256,
	KEYCTX_QUEUE = 512,
	KEYCTX_COLUMNS = 1024,	/* the functions view's column chooser */
	KEYCTX_ALARMS = 2048,	/* the alarms view (a) */
	KEYCTX_AUDIT = 4096	/* the audit view (:audit) and a finding */
};

struct key_binding {
	int		 key;		/* curses key code or character */
	const char	*name;		/* as shown: "j", "Down", "C-d", "Enter" */
	unsigned	 contexts;	/* KEYCTX_* bits where it applies */
	const char	*action;	/* "down", "select", "quit", ... */
	const char	*help;		/* one line for the help screen */
	const char	*hint;		/* word in the status-line hint, or NULL */
};

extern const struct key_binding keys_table[];
extern const size_t keys_count;

/*
 * A view's keys as the help and dlc --keys group them: the view's own
 * (own bits) apart from the moving and global keys every view shares.
 */
struct key_group {
	const char	*title;		/* "Functions view" */
	unsigned	 ctx;		/* the bits the view dispatches with */
	unsigned	 own;		/* the bits whose keys it lists */
};

extern const struct key_group keys_groups[];
extern const size_t keys_groups_count;

/* One help line: every key name for one action, e.g. "j Down". */
struct key_line {
	char				 names[48];
	const struct key_binding	*b;	/* the first; its help text */
};

/* The action of the first binding for key sharing a bit with context. */
const char	*keys_action(int key, unsigned context);
/*
 * Fills out (up to max) with the bindings to show in the help for context,
 * in table order with the KEYCTX_GLOBAL ones last; several codes for one
 * key (Enter arrives as \n, \r or KEY_ENTER) are shown once. Returns how
 * many there are (may exceed max).
 */
size_t		 keys_help(unsigned context, const struct key_binding **out,
		    size_t max);
/*
 * A short status-line hint for context, e.g. "Enter open  / filter  ?
 * help  q quit", built from the bindings with a hint word; cached, so the
 * string stays valid for the program's life.
 */
const char	*keys_hint(unsigned context);
/* The group of a view's own keys (context: the view's bits), or NULL. */
const struct key_group *keys_group_for(unsigned context);
/*
 * Fills out (up to max) with g's keys in force in context, one line per
 * action; returns how many there are (may exceed max).
 */
size_t		 keys_group_lines(const struct key_group *g, unsigned context,
		    struct key_line *out, size_t max);

#endif
