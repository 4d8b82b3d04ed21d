/* The key table and the help and hints generated from it. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "keys.h"

#define CTRL(c)		((c) & 0x1f)
#define ESC		27
#define G		KEYCTX_GLOBAL
#define L		KEYCTX_LIST
#define T		KEYCTX_TABLE
#define LG		KEYCTX_LOGS

const struct key_binding keys_table[] = {
	/* Moving in lists (and in anything that scrolls). */
	{ 'j', "j", L, "down", "Move down one row", NULL },
	{ KEY_DOWN, "Down", L, "down", "Move down one row", NULL },
	{ 'k', "k", L, "up", "Move up one row", NULL },
	{ KEY_UP, "Up", L, "up", "Move up one row", NULL },
	{ KEY_NPAGE, "PgDn", L, "page-down", "Move down one screen", NULL },
	{ KEY_PPAGE, "PgUp", L, "page-up", "Move up one screen", NULL },
	{ CTRL('d'), "C-d", L, "half-page-down", "Move down half a screen",
	    NULL },
	{ CTRL('u'), "C-u", L, "half-page-up", "Move up half a screen", NULL },
	{ 'g', "g", L, "top", "Go to the first row", NULL },
	{ KEY_HOME, "Home", L, "top", "Go to the first row", NULL },
	{ 'G', "G", L, "bottom", "Go to the last row", NULL },
	{ KEY_END, "End", L, "bottom", "Go to the last row", NULL },
	{ '\n', "Enter", L, "select", "Open the selected row", "open" },
	{ '\r', "Enter", L, "select", "Open the selected row", "open" },
	{ KEY_ENTER, "Enter", L, "select", "Open the selected row", "open" },
	{ KEY_RIGHT, "Right", L, "select", "Open the selected row", NULL },
	/* "l" means logs in the functions list, so vi's l opens only here. */
	{ 'l', "l", KEYCTX_ENVS, "select", "Open the selected environment",
	    NULL },
	{ 'h', "h", L, "back", "Go back to the previous view", NULL },
	{ KEY_LEFT, "Left", L, "back", "Go back to the previous view", NULL },
	{ '/', "/", T, "filter",
	    "Filter rows: text, or /regex (smart case)", "filter" },
	{ 's', "s", T, "sort-next", "Sort by the next column", "sort" },
	{ 'S', "S", T, "sort-reverse", "Reverse the sort order", NULL },
	/* Pane-specific. */
	{ 'L', "L", KEYCTX_ENVS, "login",
	    "Log in to the selected environment (SSO)", "login" },
	{ 'l', "l", KEYCTX_FUNCTIONS | KEYCTX_DETAILS, "logs",
	    "Show the selected function's logs", "logs" },
	{ 'A', "A", KEYCTX_FUNCTIONS, "show-all",
	    "Show every function of the account, or only this environment's "
	    "and the unmatched", NULL },
	{ 'x', "x", KEYCTX_DETAILS, "toggle-secrets",
	    "Show or hide secret values", "secrets" },
	/* The log view: Enter (select) expands the line's JSON there. */
	{ '/', "/", LG, "search",
	    "Search: a regex (PCRE2, smart case), matches highlighted",
	    "search" },
	{ 'n', "n", LG, "next-match", "Go to the next match", NULL },
	{ 'N', "N", LG, "prev-match", "Go to the previous match", NULL },
	{ '&', "&", LG, "hide-unmatched",
	    "Show only the lines that match the search (again: all)", NULL },
	{ 'f', "f", LG, "filter-pattern", "Set the CloudWatch filter "
	    "pattern and read the time range again through it (empty: none)",
	    "pattern" },
	{ '[', "[", LG, "widen-range", "Widen the time range twice as far "
	    "back, and read it again", NULL },
	{ 'H', "H", LG, "set-range", "Set the time range: SINCE [UNTIL] as "
	    "dlc logs --since/--until (3h, 2026-12-03T10:00); an until stops "
	    "following", NULL },
	{ '@', "@", LG, "goto-time", "Go to a time: the first line at or "
	    "after 12:00 (UTC), 10m (ago) or an ISO 8601 time", NULL },
	{ ' ', "Space", LG, "pause", "Pause or resume following (a paused "
	    "view keeps collecting)", "pause" },
	{ 'F', "F", LG, "follow", "Follow: go to the newest line and stay",
	    NULL },
	{ 'R', "R", LG, "request", "Show only this line's request id "
	    "(again: all)", "request" },
	{ 'J', "J", LG, "json-all", "Pretty-print every JSON message, or "
	    "collapse them", NULL },
	{ 'P', "P", LG, "platform", "Fold START/END/REPORT into one line "
	    "per invocation and shorten Lambda's prefix, or show lines raw",
	    NULL },
	{ 't', "t", LG, "time-mode", "Timestamps: UTC, local, relative, "
	    "none", NULL },
	{ 'T', "T", LG, "streams", "Show or hide stream names", NULL },
	{ 'w', "w", LG, "wrap", "Wrap long lines", "wrap" },
	{ 'W', "W", LG, "save", "Save the lines shown to a file", "save" },
	/* Typing a command or a filter. */
	{ '\n', "Enter", KEYCTX_PROMPT, "submit", "Run the command or apply "
	    "the filter", "run" },
	{ '\r', "Enter", KEYCTX_PROMPT, "submit", "Run the command or apply "
	    "the filter", "run" },
	{ KEY_ENTER, "Enter", KEYCTX_PROMPT, "submit", "Run the command or "
	    "apply the filter", "run" },
	{ ESC, "Esc", KEYCTX_PROMPT, "cancel", "Cancel and keep what was in "
	    "force", "cancel" },
	{ '\t', "Tab", KEYCTX_PROMPT, "complete", "Complete the word",
	    "complete" },
	{ KEY_UP, "Up", KEYCTX_PROMPT, "history-prev", "Previous entry in "
	    "the history", NULL },
	{ KEY_DOWN, "Down", KEYCTX_PROMPT, "history-next", "Next entry in "
	    "the history", NULL },
	{ KEY_BACKSPACE, "Backspace", KEYCTX_PROMPT, "delete-back",
	    "Delete the character before the cursor", NULL },
	{ 127, "Backspace", KEYCTX_PROMPT, "delete-back",
	    "Delete the character before the cursor", NULL },
	{ CTRL('w'), "C-w", KEYCTX_PROMPT, "delete-word",
	    "Delete the word before the cursor", NULL },
	{ CTRL('u'), "C-u", KEYCTX_PROMPT, "clear", "Clear the line", NULL },
	/* Everywhere but a prompt. */
	{ '\t', "Tab", G, "next-pane", "Go to the next pane", NULL },
	{ KEY_BTAB, "S-Tab", G, "prev-pane", "Go to the previous pane", NULL },
	{ ESC, "Esc", G, "back", "Go back; clear the filter", NULL },
	{ 'r', "r", G, "refresh", "Reload from AWS now", NULL },
	{ 'e', "e", G, "show-error", "Show the last error in full, with what to do", NULL },
	{ ':', ":", G, "command", "Type a command (:theme, :env, ...)",
	    "command" },
	{ '?', "?", G, "help", "Show the keys in force here", "help" },
	{ 'q', "q", G, "quit", "Quit dlc", "quit" },
};

const size_t keys_count = sizeof(keys_table) / sizeof(keys_table[0]);

const char *
keys_action(int key, unsigned context)
{
	size_t i;

	for (i = 0; i < keys_count; i++)
		if (keys_table[i].key == key &&
		    (keys_table[i].contexts & context) != 0)
			return keys_table[i].action;
	return NULL;
}

/* Shown already: the same name doing the same thing in this help. */
static int
seen(const struct key_binding *b, size_t upto, unsigned context)
{
	size_t i;

	for (i = 0; i < upto; i++) {
		const struct key_binding *o = &keys_table[i];
		if (o != b && (o->contexts & context) != 0 &&
		    strcmp(o->name, b->name) == 0 &&
		    strcmp(o->action, b->action) == 0)
			return 1;
	}
	return 0;
}

size_t
keys_help(unsigned context, const struct key_binding **out, size_t max)
{
	size_t i, n = 0;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < keys_count; i++) {
			const struct key_binding *b = &keys_table[i];
			int global = (b->contexts & KEYCTX_GLOBAL) != 0;
			if ((b->contexts & context) == 0 || global != pass)
				continue;
			if (seen(b, i, context))
				continue;
			if (n < max)
				out[n] = b;
			n++;
		}
	return n;
}

/* Every combination of the nine context bits has its own slot. */
#define HINT_SLOTS	512
#define HINT_LEN	256

static struct {
	int		 built;
	char		 text[HINT_LEN];
} hints[HINT_SLOTS];

static void
build_hint(unsigned context, char *text, size_t len)
{
	const struct key_binding *shown[128];
	size_t i, j, n, off = 0;

	text[0] = '\0';
	n = keys_help(context, shown, 128);
	if (n > 128)
		n = 128;
	for (i = 0; i < n; i++) {
		int dup = 0;
		int w;
		if (shown[i]->hint == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (shown[j]->hint != NULL &&
			    strcmp(shown[j]->action, shown[i]->action) == 0)
				dup = 1;
		if (dup)
			continue;
		w = snprintf(text + off, len - off, "%s%s %s", off ? "  " : "",
		    shown[i]->name, shown[i]->hint);
		if (w < 0 || (size_t)w >= len - off) {
			text[off] = '\0';	/* whole words only */
			break;
		}
		off += (size_t)w;
	}
}

const char *
keys_hint(unsigned context)
{
	unsigned slot = context % HINT_SLOTS;

	if (!hints[slot].built) {
		build_hint(context, hints[slot].text, sizeof(hints[slot].text));
		hints[slot].built = 1;
	}
	return hints[slot].text;
}
