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
	int		 rows;		/* drawn last time: a page */
	int		 n_lines;	/* the help's length, for G */
};

static void *
pane_help_init(struct ui *ui, const char *arg)
{
	struct pane_help *p = xcalloc(1, sizeof *p);
	struct pane *below = ui_top(ui);

	p->ui = ui;
	/* The keys of what has focus: the queue strip, or the view. */
	p->ctx = KEYCTX_GLOBAL | (ui->focus_queue ? KEYCTX_QUEUE :
	    below != NULL ? below->ops->keyctx : 0);
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

/* Where the next help line goes; lines above the scroll are counted only. */
struct help_out {
	WINDOW	*win;
	int	 rows, cols, y, line, scroll;
};

static void
help_line(struct help_out *o, const char *text, int role, int indent)
{
	if (o->line >= o->scroll && o->y < o->rows)
		draw_text(o->win, o->y++, indent, o->cols - indent - 1, text, role, 0);
	o->line++;
}

/* One group of keys under its title, the names padded to one column. */
static void
pane_help_group(struct pane_help *p, const struct key_group *g, struct help_out *o)
{
	struct key_line keys[64];
	size_t n, i;

	n = keys_group_lines(g, p->ctx, keys, 64);
	if (n == 0)
		return;
	if (n > 64)
		n = 64;
	/* The first group follows the title at once: 80x24 shows all of it. */
	if (o->line > 1)
		help_line(o, "", ROLE_NORMAL, 1);
	help_line(o, g->title, ROLE_TITLE, 1);
	for (i = 0; i < n; i++) {
		char text[240];

		snprintf(text, sizeof text, "%-12.47s %.180s", keys[i].names, keys[i].b->help);
		help_line(o, text, ROLE_NORMAL, 3);
	}
}

/*
 * The view's own keys first, so they are on the first screen at 80x24;
 * then the moving keys every view shares, the global ones, the commands.
 * Returns the number of lines.
 */
static int
pane_help_lines(struct pane_help *p, WINDOW *win, int rows, int cols)
{
	const struct key_group *own = keys_group_for(p->ctx);
	struct help_out o = { win, rows, cols, 0, 0, p->scroll };
	size_t i;

	help_line(&o, "Keys (Esc: back)", ROLE_TITLE, 1);
	if (own != NULL)
		pane_help_group(p, own, &o);
	for (i = 0; i < keys_groups_count; i++) {
		const struct key_group *g = &keys_groups[i];

		/* The shared groups: those whose bits are all the view's. */
		if (g != own && (g->ctx & ~p->ctx) == 0)
			pane_help_group(p, g, &o);
	}
	help_line(&o, "", ROLE_NORMAL, 1);
	help_line(&o, "Commands (type : then the command; Tab completes)", ROLE_TITLE, 1);
	for (i = 0; ui_commands[i].name != NULL; i++) {
		char text[200], name[64];
		const char *c;
		int pad = 24;

		snprintf(name, sizeof name, ":%s%s%s", ui_commands[i].name,
		    ui_commands[i].args[0] != '\0' ? " " : "", ui_commands[i].args);
		/* Padded by columns: "NAME…" has bytes that take none. */
		for (c = name; *c != '\0'; c++)
			if (((unsigned char)*c & 0xC0) == 0x80)
				pad++;
		snprintf(text, sizeof text, "%-*s %s", pad, name, ui_commands[i].help);
		help_line(&o, text, ROLE_NORMAL, 3);
	}
	return o.line;
}

static void
pane_help_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_help *p = state;

	if (p->error) {
		pane_help_draw_error(p, win, rows, cols);
		return;
	}
	p->rows = rows;
	p->n_lines = pane_help_lines(p, win, rows, cols);
	/* A scroll past the end (G) shows the last screen. */
	if (p->scroll > p->n_lines - rows && p->n_lines > rows) {
		p->scroll = p->n_lines - rows;
		werase(win);
		pane_help_lines(p, win, rows, cols);
	}
}

static int
pane_help_action(void *state, const char *action)
{
	struct pane_help *p = state;
	int page = p->rows > 2 ? p->rows - 1 : 1;

	if (strcmp(action, "down") == 0)
		p->scroll++;
	else if (strcmp(action, "up") == 0)
		p->scroll--;
	else if (strcmp(action, "page-down") == 0)
		p->scroll += page;
	else if (strcmp(action, "page-up") == 0)
		p->scroll -= page;
	else if (strcmp(action, "half-page-down") == 0)
		p->scroll += page / 2;
	else if (strcmp(action, "half-page-up") == 0)
		p->scroll -= page / 2;
	else if (strcmp(action, "top") == 0)
		p->scroll = 0;
	else if (strcmp(action, "bottom") == 0)
		p->scroll = p->n_lines;
	else if (strcmp(action, "help") == 0)
		ui_pop(p->ui);
	else
		return 0;
	if (p->n_lines > 0 && p->scroll > p->n_lines - 1)
		p->scroll = p->n_lines - 1;
	if (p->scroll < 0)
		p->scroll = 0;
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
