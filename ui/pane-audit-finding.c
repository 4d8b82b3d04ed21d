/*
 * One finding of the audit (Enter in the audit view): the function, the
 * check and its severity, the reason, and the Terraform that fixes it, in
 * the team's style as dlc new writes it. The finding is copied when the
 * view opens, so an audit that ends meanwhile does not change what is being
 * read. Lines scroll; y copies the fix (OSC 52). Everything is drawn
 * through the sanitiser.
 */
#include "ui.h"
#include "audit-cell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "sanitize.h"
#include "text-lines.h"
#include "xmalloc.h"

struct pane_audit_finding {
	struct ui	*ui;
	char		*function, *check, *severity, *reason, *fix;
	struct text_lines	 lines;
	int		 built_cols;	/* the width the lines were wrapped to; 0: none */
	size_t		 top;
	int		 follow;	/* unused: a finding does not grow */
	int		 rows;
};

static void *
pane_audit_finding_init(struct ui *ui, const char *arg)
{
	const struct model_audit *ma;
	const struct audit_finding *f;
	struct pane_audit_finding *p;
	char *end;
	unsigned long i = strtoul(arg != NULL ? arg : "", &end, 10);

	if (ui->env < 0 || arg == NULL || *end != '\0')
		return NULL;
	ma = model_env_audit(ui->model, (size_t)ui->env);
	if (ma == NULL || ma->report == NULL || i >= ma->report->n_findings)
		return NULL;
	f = &ma->report->findings[i];
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->function = xstrdup(f->function != NULL ? f->function :
	    f->subject != NULL ? f->subject : "(orphan)");
	p->check = xstrdup(f->check != NULL ? f->check : "-");
	p->severity = xstrdup(f->severity != NULL ? f->severity : "-");
	p->reason = xstrdup(f->reason != NULL ? f->reason : "");
	p->fix = xstrdup(f->fix != NULL ? f->fix : "");
	p->rows = 10;
	return p;
}

static void
pane_audit_finding_free(void *state)
{
	struct pane_audit_finding *p = state;

	text_lines_clear(&p->lines);
	free(p->function);
	free(p->check);
	free(p->severity);
	free(p->reason);
	free(p->fix);
	free(p);
}

/* A reason longer than the width goes on over more lines, cut at spaces. */
static void
pane_audit_finding_wrap(struct pane_audit_finding *p, const char *text, size_t width, int role)
{
	while (*text != '\0') {
		size_t len = strlen(text), cut = 0, i;

		if (sanitize_display_width(text, len, 0) <= width) {
			text_lines_add(&p->lines, role, 0, text, len);
			return;
		}
		for (i = 0; i < len && sanitize_display_width(text, i, 0) <= width; i++)
			if (text[i] == ' ')
				cut = i;
		if (cut == 0)	/* one long word: cut where it fits, at a character */
			for (cut = i > 1 ? i - 1 : 1; cut > 1 && (text[cut] & 0xc0) == 0x80; cut--)
				;
		text_lines_add(&p->lines, role, 0, text, cut);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

static void
pane_audit_finding_build(struct pane_audit_finding *p, int cols)
{
	size_t width = cols > 8 ? (size_t)cols - 4 : 4;
	const char *s, *nl;
	char head[256];

	if (p->built_cols == cols)
		return;
	text_lines_clear(&p->lines);
	p->built_cols = cols;
	text_lines_add(&p->lines, ROLE_TITLE, 1, p->function, strlen(p->function));
	snprintf(head, sizeof head, "check: %.100s   severity: %.40s", p->check, p->severity);
	text_lines_add(&p->lines, audit_cell_severity_role(p->severity), 0, head, strlen(head));
	text_lines_add(&p->lines, ROLE_NORMAL, 0, "", 0);
	text_lines_add(&p->lines, ROLE_COLUMN_HEADER, 0, "why:", 4);
	pane_audit_finding_wrap(p, p->reason, width, ROLE_NORMAL);
	text_lines_add(&p->lines, ROLE_NORMAL, 0, "", 0);
	if (p->fix[0] == '\0') {
		text_lines_add(&p->lines, ROLE_DIM, 0, "no Terraform fix for this finding", 33);
		return;
	}
	text_lines_add(&p->lines, ROLE_COLUMN_HEADER, 0, "fix (y copies it):", 18);
	/* Terraform (or a command) keeps its lines as they are: long ones are cut, not wrapped. */
	for (s = p->fix; *s != '\0'; s = *nl != '\0' ? nl + 1 : nl) {
		nl = s + strcspn(s, "\n");
		text_lines_add(&p->lines, ROLE_NORMAL, 0, s, (size_t)(nl - s));
	}
}

static size_t
pane_audit_finding_last_top(struct pane_audit_finding *p)
{
	return p->lines.n > (size_t)p->rows ? p->lines.n - (size_t)p->rows : 0;
}

static void
pane_audit_finding_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_audit_finding *p = state;
	size_t i;
	int y;

	pane_audit_finding_build(p, cols);
	p->rows = rows > 0 ? rows : 1;
	if (p->top > pane_audit_finding_last_top(p))
		p->top = pane_audit_finding_last_top(p);
	for (i = p->top, y = 0; i < p->lines.n && y < rows; i++, y++) {
		if (p->lines.v[i].id)
			draw_id_text(win, y, 2, cols - 4, p->lines.v[i].text, p->lines.v[i].role, 0);
		else
			draw_text(win, y, 2, cols - 4, p->lines.v[i].text, p->lines.v[i].role, 0);
	}
}

static int
pane_audit_finding_action(void *state, const char *action)
{
	struct pane_audit_finding *p = state;
	char what[160];

	if (strcmp(action, "copy-fix") == 0) {
		if (p->fix[0] == '\0') {
			ui_message(p->ui, 1, "this finding has no Terraform fix to copy");
			return 1;
		}
		snprintf(what, sizeof what, "Terraform fix for %.100s", p->function);
		clipboard_copy(p->ui, p->fix, strlen(p->fix), what);
		return 1;
	}
	if (strcmp(action, "select") == 0)
		return 1;	/* nothing to open here */
	return pane_text_scroll(action, &p->top, &p->follow, pane_audit_finding_last_top(p),
	    p->rows, p->lines.n);
}

static void
pane_audit_finding_title(void *state, char *buf, size_t len)
{
	struct pane_audit_finding *p = state;

	snprintf(buf, len, "finding: %s, %s", p->function, p->check);
}

const struct pane_ops pane_audit_finding_ops = {
	"audit-finding", KEYCTX_LIST | KEYCTX_AUDIT,
	pane_audit_finding_init, pane_audit_finding_free, pane_audit_finding_draw,
	pane_audit_finding_action, NULL, pane_audit_finding_title, NULL, NULL
};
