/*
 * The environments view: every environment of dlc.ini with its profile,
 * region, account and credential state, as they arrive. Enter opens its
 * functions; L runs the SSO login where it is missing or expired.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "listview.h"
#include "xmalloc.h"

struct pane_envs {
	struct ui		*ui;
	struct listview		*lv;
	struct draw_columns	 dc;
	char			 cell[64];
};

static const struct column_spec pane_envs_columns[] = {
	{ "ENV", 6, 24, 1, 0, 0 },
	{ "DEPLOY", 7, 10, 0, 0, 3 },
	{ "PROFILE", 7, 32, 1, 0, 2 },
	{ "REGION", 6, 16, 0, 0, 4 },
	{ "ACCOUNT", 7, 14, 0, 0, 1 },
	{ "CREDENTIALS", 11, 14, 0, 0, 0 },
	{ "FUNCTIONS", 9, 12, 0, 1, 5 },
};
#define PANE_ENVS_COL_FUNCTIONS	6

static size_t
pane_envs_count(void *arg)
{
	struct pane_envs *p = arg;

	return model_env_count(p->ui->model);
}

static const char *
pane_envs_id(void *arg, size_t row)
{
	struct pane_envs *p = arg;

	return model_env_at(p->ui->model, row)->conf->name;
}

/*
 * The FUNCTIONS count, or -1 when there is none to show: not listed yet,
 * or a listing that failed with no earlier list to fall back on (a 0 would
 * read as an empty account).
 */
static long
pane_envs_functions(const struct model_env *me)
{
	if (me->functions_state == MODEL_IDLE ||
	    (me->functions_state != MODEL_READY && me->functions_at == 0))
		return -1;
	return (long)me->n_functions;
}

static const char *
pane_envs_cell(void *arg, size_t row, size_t col, int *role)
{
	struct pane_envs *p = arg;
	struct model_env *me = model_env_at(p->ui->model, row);

	switch (col) {
	case 0:
		return me->conf->name;
	case 1:
		*role = me->conf->deploy == DEPLOY_DENY ? ROLE_ENV_DENY :
		    me->conf->deploy == DEPLOY_CONFIRM ? ROLE_ENV_CONFIRM : ROLE_ENV_ALLOW;
		return me->conf->deploy == DEPLOY_DENY ? "!! deny" :
		    me->conf->deploy == DEPLOY_CONFIRM ? "! confirm" : "allow";
	case 2:
		return me->conf->profile != NULL ? me->conf->profile : "(default chain)";
	case 3:
		return me->aenv != NULL ? aws_env_region(me->aenv) :
		    (me->conf->region != NULL ? me->conf->region : "-");
	case 4:
		return me->account != NULL ? me->account : "-";
	case 5:
		if (me->identity_state == MODEL_LOADING) {
			*role = ROLE_LOADING;
			return "checking…";
		}
		if (me->cred_state == NULL)
			return "unknown";
		*role = strcmp(me->cred_state, "ok") == 0 ? ROLE_OK :
		    strcmp(me->cred_state, "error") == 0 ? ROLE_ERROR : ROLE_WARN;
		return me->cred_state;
	default:
		if (pane_envs_functions(me) < 0)
			return "-";
		snprintf(p->cell, sizeof p->cell, "%zu", me->n_functions);
		return p->cell;
	}
}

static const char *
pane_envs_text(void *arg, size_t row, size_t col)
{
	int role;

	return pane_envs_cell(arg, row, col, &role);
}

/*
 * FUNCTIONS sorts as a number ("-" first); its text comes from the one
 * scratch buffer p->cell, so comparing two drawn cells compared a buffer
 * with itself. The other columns compare their text.
 */
static int
pane_envs_compare(void *arg, size_t a, size_t b, size_t col)
{
	struct pane_envs *p = arg;
	long na, nb;

	if (col != PANE_ENVS_COL_FUNCTIONS)
		return listview_natural_cmp(pane_envs_text(arg, a, col), pane_envs_text(arg, b, col));
	na = pane_envs_functions(model_env_at(p->ui->model, a));
	nb = pane_envs_functions(model_env_at(p->ui->model, b));
	return na < nb ? -1 : na > nb;
}

static const struct listview_source pane_envs_source = {
	7, pane_envs_count, pane_envs_id, pane_envs_text, pane_envs_compare
};

static void *
pane_envs_init(struct ui *ui, const char *arg)
{
	struct pane_envs *p = xcalloc(1, sizeof *p);

	p->ui = ui;
	p->lv = listview_new(&pane_envs_source, p);
	p->dc.spec = pane_envs_columns;
	p->dc.n = 7;
	listview_refresh(p->lv);
	return p;
}

static void
pane_envs_free(void *state)
{
	struct pane_envs *p = state;

	listview_free(p->lv);
	free(p);
}

static void
pane_envs_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_envs *p = state;

	draw_list(p->ui, win, rows, cols, p->lv, &p->dc, pane_envs_cell, p);
	if (listview_visible(p->lv) == 0)
		draw_text(win, 2, 2, cols - 4, model_env_count(p->ui->model) == 0 ?
		    "no environments: add [env NAME] sections to dlc.ini" : "no environment matches the filter",
		    ROLE_DIM, 0);
}

static int
pane_envs_selected(struct pane_envs *p)
{
	const char *id = listview_selected_id(p->lv);

	return id != NULL ? model_env_index(p->ui->model, id) : -1;
}

static int
pane_envs_action(void *state, const char *action)
{
	struct pane_envs *p = state;
	int env = pane_envs_selected(p);

	if (strcmp(action, "select") == 0) {
		if (env >= 0)
			ui_select_env(p->ui, env);
		return 1;
	}
	if (strcmp(action, "login") == 0) {
		if (env >= 0)
			ui_login(p->ui, env);
		return 1;
	}
	if (strcmp(action, "refresh") == 0) {
		size_t i;

		for (i = 0; i < model_env_count(p->ui->model); i++)
			model_refresh_identity(p->ui->model, i);
		return 1;
	}
	return pane_list_action(p->ui, p->lv, action, &p->dc);
}

static int
pane_envs_on_change(void *state, enum model_change what, size_t env, const char *fn)
{
	struct pane_envs *p = state;

	if (what == MODEL_CHANGE_DETAILS)
		return 0;
	p->dc.valid = 0;
	listview_refresh(p->lv);
	return 1;
}

static void
pane_envs_title(void *state, char *buf, size_t len)
{
	struct pane_envs *p = state;
	const char *filter = listview_filter(p->lv);

	/* The filter before the hints: a narrow header cuts the hints first. */
	snprintf(buf, len, "environments %zu/%zu%s%s   Enter: functions   L: SSO login",
	    listview_visible(p->lv), listview_total(p->lv),
	    filter != NULL && *filter != '\0' ? "   filter: " : "", filter != NULL ? filter : "");
}

static struct listview *
pane_envs_list(void *state)
{
	struct pane_envs *p = state;

	return p->lv;
}

const struct pane_ops pane_envs_ops = {
	"environments", KEYCTX_LIST | KEYCTX_TABLE | KEYCTX_ENVS,
	pane_envs_init, pane_envs_free, pane_envs_draw, pane_envs_action,
	pane_envs_on_change, pane_envs_title, pane_envs_list, NULL
};
