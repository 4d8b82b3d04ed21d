/*
 * The help view: generated from the one key table (ui/keys.c) and the
 * command table (ui/commands.c), so help can never disagree with the keys.
 * With the argument "error" it shows the last error in full, with its fix.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "xmalloc.h"

struct pane_help {
	struct ui	*ui;
	unsigned	 ctx;		/* the keys of the view below */
	int		 error;
	int		 scroll;
};

static void *
pane_help_init(struct ui *ui, const char *arg)
{
	struct pane_help *p = xcalloc(1, sizeof *p);
	struct pane *below = ui_top(ui);

	p->ui = ui;
	p->ctx = KEYCTX_GLOBAL | (below != NULL ? below->ops->keyctx : 0);
	p->error = arg != NULL && strcmp(arg, "error") == 0;
	return p;
}

static void
pane_help_free(void *state)
{
	free(state);
}

static void
pane_help_draw_error(struct pane_help *p, WINDOW *win, int rows, int cols)
{
	const struct dlc_err *e = &p->ui->last_err;
	char line[1200];
	int y = 1;

	draw_text(win, y++, 2, cols - 4, e->what[0] != '\0' ? e->what : "error", ROLE_TITLE, 0);
	snprintf(line, sizeof line, "code: %s", e->code[0] != '\0' ? e->code : "-");
	draw_text(win, ++y, 2, cols - 4, line, ROLE_ERROR, 0);
	/* The message may be long: wrap it by columns. */
	{
		const char *m = e->message;
		size_t len = strlen(m), w = cols > 8 ? (size_t)cols - 8 : 1, off;

		for (off = 0, y++; off < len && y < rows - 3; off += w, y++) {
			char chunk[1100];

			snprintf(chunk, sizeof chunk, "%.*s", (int)(len - off < w ? len - off : w), m + off);
			draw_text(win, y, 4, cols - 6, chunk, ROLE_NORMAL, 0);
		}
	}
	if (e->request_id[0] != '\0') {
		snprintf(line, sizeof line, "request id: %s", e->request_id);
		draw_text(win, y++, 2, cols - 4, line, ROLE_DIM, 0);
	}
	if (e->fix[0] != '\0') {
		snprintf(line, sizeof line, "what to do: %s", e->fix);
		draw_text(win, ++y, 2, cols - 4, line, ROLE_WARN, 0);
	}
}

static void
pane_help_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_help *p = state;
	const struct key_binding *keys[128];
	size_t n, i;
	int y = 0, line = 0;

	if (p->error) {
		pane_help_draw_error(p, win, rows, cols);
		return;
	}
	n = keys_help(p->ctx, keys, 128);
#define HELP_LINE(text, role, indent) do { \
	if (line >= p->scroll && y < rows) \
		draw_text(win, y++, (indent), cols - (indent) - 1, (text), (role), 0); \
	line++; \
} while (0)
	HELP_LINE("Keys (Esc: back)", ROLE_TITLE, 1);
	for (i = 0; i < n; i++) {
		char text[160];

		snprintf(text, sizeof text, "%-10s %s", keys[i]->name, keys[i]->help);
		HELP_LINE(text, ROLE_NORMAL, 3);
	}
	HELP_LINE("", ROLE_NORMAL, 1);
	HELP_LINE("Commands (type : then the command; Tab completes)", ROLE_TITLE, 1);
	for (i = 0; ui_commands[i].name != NULL; i++) {
		char text[200];

		snprintf(text, sizeof text, ":%s%s%-*s %s", ui_commands[i].name,
		    ui_commands[i].args[0] != '\0' ? " " : "",
		    (int)(14 - strlen(ui_commands[i].name) - (ui_commands[i].args[0] != '\0' ? 1 : 0)),
		    ui_commands[i].args, ui_commands[i].help);
		HELP_LINE(text, ROLE_NORMAL, 3);
	}
#undef HELP_LINE
}

static int
pane_help_action(void *state, const char *action)
{
	struct pane_help *p = state;

	if (strcmp(action, "down") == 0)
		p->scroll++;
	else if (strcmp(action, "up") == 0)
		p->scroll = p->scroll > 0 ? p->scroll - 1 : 0;
	else if (strcmp(action, "help") == 0)
		ui_pop(p->ui);
	else
		return 0;
	return 1;
}

static void
pane_help_title(void *state, char *buf, size_t len)
{
	struct pane_help *p = state;

	snprintf(buf, len, "%s", p->error ? "last error" : "help");
}

const struct pane_ops pane_help_ops = {
	"help", KEYCTX_LIST | KEYCTX_HELP,
	pane_help_init, pane_help_free, pane_help_draw, pane_help_action,
	NULL, pane_help_title, NULL, NULL
};
