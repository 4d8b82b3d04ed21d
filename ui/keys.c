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
#define OPEN		(KEYCTX_ENVS | KEYCTX_FUNCTIONS | KEYCTX_ALARMS)

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
	/* Only rows that open take Enter: the details offer nothing to open. */
	{ '\n', "Enter", OPEN, "select", "Open the selected row", "open" },
	{ '\r', "Enter", OPEN, "select", "Open the selected row", "open" },
	{ KEY_ENTER, "Enter", OPEN, "select", "Open the selected row", "open" },
	{ KEY_RIGHT, "Right", OPEN, "select", "Open the selected row", NULL },
	/* "l" means logs in the functions list, so vi's l opens only here. */
	{ 'l', "l", KEYCTX_ENVS, "select", "Open the selected environment",
	    NULL },
	{ 'h', "h", L, "back", "Go back to the previous view", NULL },
	{ KEY_LEFT, "Left", L, "back", "Go back to the previous view", NULL },
	{ '/', "/", T, "filter",
	    "Filter rows: text, or /regex (smart case)", "filter" },
	{ 's', "s", T, "sort-next", "Sort by the next column", "sort" },
	{ 'S', "S", T, "sort-reverse", "Reverse the sort order", NULL },
	{ '<', "<", T, "scroll-left", "Scroll the columns back left", NULL },
	{ '>', ">", T, "scroll-right", "Scroll the columns right, past those "
	    "after the first (to see what a narrow screen hides)", NULL },
	/* Pane-specific. */
	{ 'L', "L", KEYCTX_ENVS, "login",
	    "Log in to the selected environment (SSO)", "login" },
	{ 'l', "l", KEYCTX_FUNCTIONS | KEYCTX_DETAILS | KEYCTX_ALARMS, "logs",
	    "Show the selected function's logs", "logs" },
	{ 'A', "A", KEYCTX_FUNCTIONS, "show-all",
	    "Show every function of the account, or only this environment's "
	    "and the unmatched", NULL },
	{ 'y', "y", KEYCTX_FUNCTIONS | KEYCTX_DETAILS, "copy",
	    "Copy the function's name to the clipboard (OSC 52)", NULL },
	{ 'Y', "Y", KEYCTX_FUNCTIONS | KEYCTX_DETAILS, "copy-arn",
	    "Copy the function's ARN to the clipboard (OSC 52)", NULL },
	/* Jobs on the selected function: each names its target and environment first. */
	{ 'b', "b", KEYCTX_FUNCTIONS, "build", "Build the function's zip (its "
	    "build commands in a staging folder); the build view shows the "
	    "output", NULL },
	{ 'p', "p", KEYCTX_FUNCTIONS, "push", "Push the function's code to this "
	    "environment: y/n when deploy = allow, the environment's name typed "
	    "back when confirm, refused when deny; steps in the queue strip",
	    NULL },
	{ 'i', "i", KEYCTX_FUNCTIONS, "invoke", "Invoke the function with an "
	    "event from its events/*.json ({} without one); shows status, "
	    "error, response and log tail", NULL },
	{ 'd', "d", KEYCTX_FUNCTIONS, "diff", "Diff: the local build against "
	    "the deployed code and configuration (builds first if needed)",
	    NULL },
	{ 'c', "c", KEYCTX_FUNCTIONS, "columns",
	    "Choose, hide and reorder the columns (remembered)", NULL },
	{ 'x', "x", KEYCTX_DETAILS, "toggle-secrets",
	    "Show or hide secret values", "secrets" },
	{ 'w', "w", KEYCTX_DETAILS, "wrap",
	    "Wrap long values to show them whole (again: cut them)", NULL },
	{ 'R', "R", KEYCTX_FUNCTIONS, "rollback", "Roll the function back to "
	    "its previous deployment's kept package, through the queue "
	    "(asked as p asks)", NULL },
	{ 'P', "P", KEYCTX_FUNCTIONS, "push-changed", "Push every function "
	    "with local changes (DRIFT) to this environment: one queued job "
	    "each (asked as p asks)", NULL },
	/*
	 * The deploy queue: its full view (Q), and the strip with Tab, where
	 * a key acts on the first job that is not over. Before the global
	 * keys, so r retries here rather than reloading.
	 */
	{ '\n', "Enter", KEYCTX_QUEUE, "select", "Show the job's build log and "
	    "step history (the queue view; the strip has no rows to open)", "open" },
	{ '\r', "Enter", KEYCTX_QUEUE, "select", "Show the job's build log and "
	    "step history (the queue view; the strip has no rows to open)", "open" },
	{ KEY_ENTER, "Enter", KEYCTX_QUEUE, "select", "Show the job's build log "
	    "and step history (the queue view; the strip has no rows to open)", "open" },
	{ 'p', "p", KEYCTX_QUEUE, "queue-pause", "Pause the queue (no job "
	    "starts a step), or resume it", "pause" },
	{ 'm', "m", KEYCTX_QUEUE, "step-mode", "Step mode on or off: each step "
	    "waits for n, and the view says what it will do", "step" },
	{ 'n', "n", KEYCTX_QUEUE, "step-next", "Step mode: run the job's next "
	    "step", "next" },
	{ 's', "s", KEYCTX_QUEUE, "step-skip", "Skip the job's remaining steps "
	    "(it ends as skipped)", NULL },
	{ 'c', "c", KEYCTX_QUEUE, "job-cancel", "Cancel the job (another dlc's "
	    "job: ask its dlc to)", "cancel" },
	{ 'r', "r", KEYCTX_QUEUE, "job-retry", "Retry a failed or interrupted "
	    "job from the step that failed", "retry" },
	{ 'v', "v", KEYCTX_QUEUE, "job-verify", "Verify an interrupted job: "
	    "is its package's CodeSha256 the deployed one? (journalled)", NULL },
	{ 'K', "K", KEYCTX_QUEUE, "move-up", "Move a waiting job up the queue",
	    NULL },
	{ 'J', "J", KEYCTX_QUEUE, "move-down", "Move a waiting job down the "
	    "queue", NULL },
	/* The audit view (:audit, U) and a finding's view. */
	{ 'U', "U", KEYCTX_FUNCTIONS, "audit", "Audit this environment against "
	    "the team's checklist: the table of checks and findings (:audit)",
	    NULL },
	{ '\n', "Enter", KEYCTX_AUDIT, "select", "On a function: go to its "
	    "findings; on a finding: show its reason and Terraform fix", "open" },
	{ '\r', "Enter", KEYCTX_AUDIT, "select", "On a function: go to its "
	    "findings; on a finding: show its reason and Terraform fix", "open" },
	{ KEY_ENTER, "Enter", KEYCTX_AUDIT, "select", "On a function: go to its "
	    "findings; on a finding: show its reason and Terraform fix", "open" },
	{ 'y', "y", KEYCTX_AUDIT, "copy-fix", "Copy the finding's Terraform fix "
	    "to the clipboard (OSC 52)", "copy fix" },
	/* The alarms view (a): one state at a time, the same key again shows all. */
	{ '1', "1", KEYCTX_ALARMS, "alarms-only-1", "Show only the alarms in "
	    "ALARM (again: every state)", "ALARM-only" },
	{ '2', "2", KEYCTX_ALARMS, "alarms-only-2", "Show only the alarms in "
	    "INSUFFICIENT_DATA (again: every state)", NULL },
	{ '3', "3", KEYCTX_ALARMS, "alarms-only-3", "Show only the alarms in OK "
	    "(again: every state)", NULL },
	{ '0', "0", KEYCTX_ALARMS, "alarms-all", "Show the alarms of every state",
	    NULL },
	/* The column chooser (c); Enter saves, Esc cancels. */
	{ ' ', "Space", KEYCTX_COLUMNS, "toggle-column",
	    "Show or hide the selected column", "show/hide" },
	{ 'J', "J", KEYCTX_COLUMNS, "move-down",
	    "Move the column down (right in the view)", "move" },
	{ 'K', "K", KEYCTX_COLUMNS, "move-up",
	    "Move the column up (left in the view)", NULL },
	{ '\n', "Enter", KEYCTX_COLUMNS, "select",
	    "Apply and remember the choice (Esc: leave the columns as they were)", "save" },
	{ '\r', "Enter", KEYCTX_COLUMNS, "select",
	    "Apply and remember the choice (Esc: leave the columns as they were)", "save" },
	{ KEY_ENTER, "Enter", KEYCTX_COLUMNS, "select",
	    "Apply and remember the choice (Esc: leave the columns as they were)", "save" },
	/* The log view. */
	{ '\n', "Enter", LG, "select", "Pretty-print the line's JSON, or "
	    "collapse it", "json" },
	{ '\r', "Enter", LG, "select", "Pretty-print the line's JSON, or "
	    "collapse it", "json" },
	{ KEY_ENTER, "Enter", LG, "select", "Pretty-print the line's JSON, "
	    "or collapse it", "json" },
	{ '/', "/", LG, "search",
	    "Search: a regex (PCRE2, smart case), matches highlighted",
	    "search" },
	{ 'n', "n", LG, "next-match", "Go to the next match (wraps)", NULL },
	{ 'N', "N", LG, "prev-match", "Go to the previous match (wraps)",
	    NULL },
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
	{ 'y', "y", LG, "copy-line", "Copy the line's message to the clipboard "
	    "(OSC 52)", NULL },
	{ 'Y', "Y", LG, "copy-request", "Copy the line's request id to the "
	    "clipboard", NULL },
	/* Typing a command or a filter. */
	{ '\n', "Enter", KEYCTX_PROMPT, "submit", "Run the command or apply "
	    "the filter", "run" },
	{ '\r', "Enter", KEYCTX_PROMPT, "submit", "Run the command or apply "
	    "the filter", "run" },
	{ KEY_ENTER, "Enter", KEYCTX_PROMPT, "submit", "Run the command or "
	    "apply the filter", "run" },
	{ ESC, "Esc", KEYCTX_PROMPT, "cancel", "Cancel and keep what was in "
	    "force", "cancel" },
	{ '\t', "Tab", KEYCTX_PROMPT, "complete", "Complete the word; "
	    "again: list the candidates, then take each", "complete" },
	{ KEY_UP, "Up", KEYCTX_PROMPT, "history-prev", "Previous entry in "
	    "this prompt's history", NULL },
	{ KEY_DOWN, "Down", KEYCTX_PROMPT, "history-next", "Next entry in "
	    "this prompt's history", NULL },
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
	{ ESC, "Esc", G, "back", "Go back; first clear the filter or leave "
	    "the queue strip", NULL },
	{ 'r', "r", G, "refresh", "Reload from AWS now", NULL },
	{ '-', "-", G, "previous-env", "Go back to the previous environment "
	    "(as cd -)", NULL },
	{ 'e', "e", G, "show-error", "Show the last error in full, with what to do", NULL },
	{ 'a', "a", G, "alarms", "Show the environment's CloudWatch alarms "
	    "(in the alarms view: go back)", NULL },
	{ 'Q', "Q", G, "queue-view", "Expand the queue strip to the full "
	    "queue view, or go back from it", "queue" },
	{ ':', ":", G, "command", "Type a command (:theme, :env, ...)",
	    "command" },
	{ '?', "?", G, "help", "Show the keys in force here", "help" },
	{ 'q', "q", G, "quit", "Quit dlc", "quit" },
};

const size_t keys_count = sizeof(keys_table) / sizeof(keys_table[0]);

/*
 * The views, in the order dlc --keys lists them; each lists the keys of
 * its own bits. ctx is what the view passes when it dispatches, so a key
 * another binding shadows there is not shown.
 */
const struct key_group keys_groups[] = {
	{ "Environments view", G | L | T | KEYCTX_ENVS, T | KEYCTX_ENVS },
	{ "Functions view", G | L | T | KEYCTX_FUNCTIONS,
	    T | KEYCTX_FUNCTIONS },
	{ "Details view", G | L | KEYCTX_DETAILS, KEYCTX_DETAILS },
	{ "Alarms view (a)", G | L | T | KEYCTX_ALARMS, T | KEYCTX_ALARMS },
	{ "Log view", G | L | LG, LG },
	{ "Column chooser (c in the functions view)", G | L | KEYCTX_COLUMNS,
	    KEYCTX_COLUMNS },
	{ "Audit view (:audit or U) and a finding", G | L | KEYCTX_AUDIT,
	    KEYCTX_AUDIT },
	{ "Queue strip", G | KEYCTX_QUEUE, KEYCTX_QUEUE },
	{ "Queue view (Q)", G | L | KEYCTX_QUEUE, KEYCTX_QUEUE },
	{ "Help view", G | L | KEYCTX_HELP, KEYCTX_HELP },
	{ "Moving, in every view that scrolls", G | L, L },
	{ "Everywhere", G, G },
	{ "Typing at a prompt", KEYCTX_PROMPT, KEYCTX_PROMPT },
};

const size_t keys_groups_count = sizeof(keys_groups) / sizeof(keys_groups[0]);

/* The binding key dispatches to in context: the first in table order. */
static const struct key_binding *
keys_lookup(int key, unsigned context)
{
	size_t i;

	for (i = 0; i < keys_count; i++)
		if (keys_table[i].key == key &&
		    (keys_table[i].contexts & context) != 0)
			return &keys_table[i];
	return NULL;
}

const char *
keys_action(int key, unsigned context)
{
	const struct key_binding *b = keys_lookup(key, context);

	return b != NULL ? b->action : NULL;
}

/* b does what it says in context: no earlier binding takes its key. */
static int
in_force(const struct key_binding *b, unsigned context)
{
	const struct key_binding *o = keys_lookup(b->key, context);

	return o != NULL && strcmp(o->action, b->action) == 0;
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
			if (seen(b, i, context) || !in_force(b, context))
				continue;
			if (n < max)
				out[n] = b;
			n++;
		}
	return n;
}

const struct key_group *
keys_group_for(unsigned view_ctx)
{
	size_t i;

	for (i = 0; i < keys_groups_count; i++)
		if ((keys_groups[i].ctx & ~KEYCTX_GLOBAL) ==
		    (view_ctx & ~KEYCTX_GLOBAL))
			return &keys_groups[i];
	return NULL;
}

size_t
keys_group_lines(const struct key_group *g, unsigned context,
    struct key_line *out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < keys_count; i++) {
		const struct key_binding *b = &keys_table[i];
		size_t len;

		if ((b->contexts & g->own) == 0 || !in_force(b, context))
			continue;
		/* One line per action: "j Down  Move down one row". */
		for (j = 0; j < n && j < max; j++)
			if (strcmp(out[j].b->action, b->action) == 0 &&
			    strcmp(out[j].b->help, b->help) == 0)
				break;
		if (j < n && j < max) {
			char *at = strstr(out[j].names, b->name);
			len = strlen(b->name);
			if (at != NULL && (at[len] == '\0' || at[len] == ' ') &&
			    (at == out[j].names || at[-1] == ' '))
				continue;	/* Enter as \n, \r and KEY_ENTER */
			len = strlen(out[j].names);
			snprintf(out[j].names + len, sizeof out[j].names - len,
			    " %s", b->name);
			continue;
		}
		if (n < max) {
			out[n].b = b;
			snprintf(out[n].names, sizeof out[n].names, "%s",
			    b->name);
		}
		n++;
	}
	return n;
}

/* Every combination of the context bits (up to KEYCTX_AUDIT) has its own slot. */
#define HINT_SLOTS	8192
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
