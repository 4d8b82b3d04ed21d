/*
 * ':' command mode: one table of commands with their help text (the help
 * view lists it), and completion of command names, then of environment,
 * function or theme names.
 */
#include "ui.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ini.h"
#include "listview.h"
#include "logrange.h"
#include "logs-range.h"
#include "manifest.h"
#include "xmalloc.h"

static int
cmd_env(struct ui *ui, const char *arg)
{
	int env = model_env_index(ui->model, arg);

	if (env < 0) {
		ui_message(ui, 1, "no environment '%s' in dlc.ini", arg);
		return -1;
	}
	ui_select_env(ui, env);
	return 0;
}

/* A function by local or AWS name, in the chosen environment. */
static int
cmd_fn(struct ui *ui, const char *arg)
{
	struct model_function *mf;
	struct pane *top;

	if (ui->env < 0) {
		ui_message(ui, 1, "choose an environment first (:env NAME)");
		return -1;
	}
	if ((mf = model_function_named(ui->model, (size_t)ui->env, arg)) == NULL) {
		ui_message(ui, 1, "no function '%s' in %s", arg,
		    model_env_at(ui->model, (size_t)ui->env)->conf->name);
		return -1;
	}
	top = ui_top(ui);
	if (top == NULL || top->ops != &pane_functions_ops)
		ui_select_env(ui, ui->env);
	top = ui_top(ui);
	if (top->ops->list != NULL)
		listview_select_id(top->ops->list(top->state), mf->fn.function_name);
	ui_push(ui, &pane_details_ops, mf->fn.function_name);
	return 0;
}

/* Edits from a to b, or more than limit (then limit + 1), case-blind. */
static size_t
commands_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[129], diag, best;

	if (la > 128 || lb > 128 || (la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], cost = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			size_t v = diag + cost;

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb] <= limit ? row[lb] : limit + 1;
}

/*
 * A name :logs can show: in the list by its local or AWS name, or
 * through the environment's template. Only asked once the list is read.
 */
static int
commands_function_known(struct ui *ui, struct model_env *me, const char *name)
{
	const struct local_function *lf;
	char *remote;
	int known;

	if (model_function_named(ui->model, (size_t)ui->env, name) != NULL)
		return 1;
	lf = manifest_find(ui->locals, ui->n_locals, name);
	remote = dlc_env_remote_name(me->conf, lf != NULL ? lf->remote_base : name);
	known = model_function_find(ui->model, (size_t)ui->env, remote) != NULL;
	free(remote);
	return known;
}

/* "a, b, c": up to three names of the list nearest to name. */
static void
commands_near(struct model_env *me, const char *name, char *out, size_t size)
{
	const char *best[3] = { NULL, NULL, NULL };
	size_t dist[3] = { 0, 0, 0 }, i, k, limit = strlen(name) / 3 + 2, off = 0;

	for (i = 0; i < me->n_functions; i++) {
		const struct model_function *mf = &me->functions[i];
		const char *cand = mf->local != NULL ? mf->local->name : mf->fn.function_name;
		size_t d = strstr(cand, name) != NULL ? 0 : commands_distance(name, cand, limit);

		if (d > limit)
			continue;
		/* Kept sorted by distance: the new one goes before any farther. */
		for (k = 0; k < 3 && best[k] != NULL && dist[k] <= d; k++)
			;
		if (k == 3)
			continue;
		memmove(&best[k + 1], &best[k], (2 - k) * sizeof best[0]);
		memmove(&dist[k + 1], &dist[k], (2 - k) * sizeof dist[0]);
		best[k] = cand;
		dist[k] = d;
	}
	out[0] = '\0';
	for (k = 0; k < 3 && best[k] != NULL; k++) {
		int w = snprintf(out + off, size - off, "%s%s", k > 0 ? ", " : "", best[k]);

		if (w < 0 || (size_t)w >= size - off)
			break;
		off += (size_t)w;
	}
}

/*
 * Refuses a name the list does not hold before any view opens, as dlc logs
 * does. The words are split and the range taken out as the log view does
 * (ini_split_words, logrange_take_args); a bad range is the view's to say.
 */
static int
commands_logs_check(struct ui *ui, const char *arg)
{
	struct model_env *me = model_env_at(ui->model, (size_t)ui->env);
	struct logrange range;
	struct dlc_err err;
	char near[300], **words;
	size_t n, i;
	int group = 0, rc = 0;

	/* Before the list is read, the log view asks AWS itself. */
	if (me->functions_state != MODEL_READY)
		return 0;
	dlc_err_clear(&err);
	if (ini_split_words(arg, &words, &n, &err) != 0)
		return 0;
	if (logrange_take_args(&range, words, &n, (int64_t)time(NULL) * 1000, &err) != 0)
		n = 0;
	for (i = 0; i < n && rc == 0; i++) {
		if (strcmp(words[i], "--group") == 0) {
			group = 1;
			continue;
		}
		if (group || commands_function_known(ui, me, words[i])) {
			group = 0;
			continue;
		}
		commands_near(me, words[i], near, sizeof near);
		if (near[0] != '\0')
			ui_message(ui, 1, "no function '%s' in %s; near: %s", words[i],
			    me->conf->name, near);
		else
			ui_message(ui, 1, "no function '%s' in %s (Tab completes names; "
			    "--group NAME reads a log group)", words[i], me->conf->name);
		rc = -1;
	}
	ini_words_free(words);
	return rc;
}

static int
cmd_logs(struct ui *ui, const char *arg)
{
	struct pane *top = ui_top(ui);
	const char *id;
	char *with_id = NULL;
	int rc;

	if (ui->env < 0) {
		ui_message(ui, 1, "choose an environment first (:env NAME)");
		return -1;
	}
	/* No name (perhaps a --since): the function under the cursor of the list. */
	if (*arg == '\0' || !logs_range_has_names(arg)) {
		id = top != NULL && top->ops == &pane_functions_ops && top->ops->list != NULL ?
		    listview_selected_id(top->ops->list(top->state)) : NULL;
		if (id == NULL) {
			ui_message(ui, 1, "logs of which function? (:logs NAME...)");
			return -1;
		}
		arg = with_id = xasprintf("%s %s", id, arg);
	} else if (commands_logs_check(ui, arg) != 0)
		return -1;
	rc = ui_push(ui, &pane_logs_ops, arg);
	free(with_id);
	return rc;
}

static int
cmd_alarms(struct ui *ui, const char *arg)
{
	int i;

	if (ui->env < 0) {
		ui_message(ui, 1, "alarms of which environment? choose one first (:env NAME)");
		return -1;
	}
	if (*arg != '\0' && strcasecmp(arg, "ALARM") != 0 && strcasecmp(arg, "OK") != 0 &&
	    strcasecmp(arg, "INSUFFICIENT_DATA") != 0) {
		ui_message(ui, 1, "no state '%s': ALARM, INSUFFICIENT_DATA or OK", arg);
		return -1;
	}
	/* From an alarm's view, back to the list it came from rather than a second list. */
	for (i = ui->depth - 1; i > 0; i--)
		if (ui->stack[i].ops == &pane_alarms_ops) {
			while (ui->depth > i + 1)
				ui_pop(ui);
			if (*arg == '\0')
				return 0;
			ui_pop(ui);
			break;
		}
	return ui_push(ui, &pane_alarms_ops, arg);
}

/* The audit table of the chosen environment (pane-audit.c); it audits when there is no audit yet. */
static int
cmd_audit(struct ui *ui, const char *arg)
{
	struct pane *top = ui_top(ui);

	if (ui->env < 0) {
		ui_message(ui, 1, "choose an environment first (:env NAME)");
		return -1;
	}
	if (top != NULL && top->ops == &pane_audit_ops)
		return 0;
	return ui_push(ui, &pane_audit_ops, NULL);
}

static int
cmd_queue(struct ui *ui, const char *arg)
{
	ui->focus_queue = 1;
	ui_dirty(ui, UI_DIRTY_ALL);
	ui_message(ui, 0, "queue empty: no deployments running or waiting");
	return 0;
}

static int
cmd_theme(struct ui *ui, const char *arg)
{
	if (*arg == '\0') {
		ui_list_themes(ui);
		return 0;
	}
	return ui_set_theme(ui, arg);
}

static int
cmd_quit(struct ui *ui, const char *arg)
{
	ui->quit = 1;
	return 0;
}

static int
cmd_help(struct ui *ui, const char *arg)
{
	return ui_push(ui, &pane_help_ops, NULL);
}

static int
cmd_login(struct ui *ui, const char *arg)
{
	int env = *arg != '\0' ? model_env_index(ui->model, arg) : ui->env;

	if (env < 0) {
		ui_message(ui, 1, "login for which environment? (:login ENV)");
		return -1;
	}
	ui_login(ui, env);
	return 0;
}

static int
cmd_envs(struct ui *ui, const char *arg)
{
	while (ui->depth > 1)
		ui_pop(ui);
	return 0;
}

const struct ui_command ui_commands[] = {
	{ "env", "NAME", "switch to an environment's functions", cmd_env },
	{ "envs", "", "back to the list of environments", cmd_envs },
	{ "fn", "NAME", "open a function's details (local or AWS name)", cmd_fn },
	{ "logs", "NAME… [--group G] [--since T] [--until T]", "logs of functions or log groups (none: the one under the cursor)", cmd_logs },
	{ "alarms", "[STATE]", "the environment's alarms, ALARM first (STATE: only those)", cmd_alarms },
	{ "audit", "", "audit this environment: checks by function, then findings (Enter: reason and fix)", cmd_audit },
	{ "queue", "", "focus the deploy queue", cmd_queue },
	{ "theme", "[NAME]", "switch colour theme (default, light, high-contrast, mono); none: list them", cmd_theme },
	{ "login", "[ENV]", "SSO login for an environment", cmd_login },
	{ "help", "", "keys and commands", cmd_help },
	{ "q", "", "quit", cmd_quit },
	{ "quit", "", "quit", cmd_quit },
	{ NULL, NULL, NULL, NULL }
};

int
ui_run_command(struct ui *ui, const char *line)
{
	char name[64];
	const char *arg;
	size_t n;
	int i;

	while (*line == ' ')
		line++;
	n = strcspn(line, " ");
	if (n == 0)
		return 0;
	snprintf(name, sizeof name, "%.*s", (int)n, line);
	arg = line + n;
	while (*arg == ' ')
		arg++;
	for (i = 0; ui_commands[i].name != NULL; i++) {
		if (strcmp(ui_commands[i].name, name) != 0)
			continue;
		if (ui_commands[i].args[0] != '\0' && ui_commands[i].args[0] != '[' && *arg == '\0') {
			ui_message(ui, 1, "usage: :%s %s", ui_commands[i].name, ui_commands[i].args);
			return -1;
		}
		return ui_commands[i].run(ui, arg);
	}
	ui_message(ui, 1, "unknown command ':%s' (? lists them)", name);
	return -1;
}

/* The candidates (matching the word or not), by the command's head. */
static size_t
complete_candidates(struct ui *ui, const char *head, const char *prev,
    const char **cands, size_t max, char ***themes, size_t *n_themes)
{
	size_t n = 0, i;

	if (head == NULL) {
		for (i = 0; ui_commands[i].name != NULL && n < max; i++)
			cands[n++] = ui_commands[i].name;
	} else if (strcmp(head, "env") == 0 || strcmp(head, "login") == 0) {
		for (i = 0; i < model_env_count(ui->model) && n < max; i++)
			cands[n++] = model_env_at(ui->model, i)->conf->name;
	} else if ((strcmp(head, "fn") == 0 || strcmp(head, "logs") == 0) &&
	    ui->env >= 0 && strcmp(prev, "--group") != 0) {
		struct model_env *me = model_env_at(ui->model, (size_t)ui->env);

		for (i = 0; i < me->n_functions && n < max; i++)
			cands[n++] = me->functions[i].local != NULL ? me->functions[i].local->name :
			    me->functions[i].fn.function_name;
	} else if (strcmp(head, "theme") == 0) {
		theme_list_all(ui->themes_dir, themes, n_themes);
		for (i = 0; i < *n_themes && n < max; i++)
			cands[n++] = (*themes)[i];
	}
	return n;
}

#define COMPLETE_MAX	4096

void
commands_complete(struct ui *ui)
{
	static const char *cands[COMPLETE_MAX];
	char text[256], head[64], prev[64], *word;
	char **themes = NULL;
	size_t n, i, k, m = 0, common = 0, wl, at;
	size_t n_themes = 0;
	const char *first = NULL;

	/* Cycling: each Tab takes the next candidate of the list made. */
	snprintf(text, sizeof text, "%s", ui->completing ? ui->complete_base : ui->prompt_text);
	word = strrchr(text, ' ');
	word = word != NULL ? word + 1 : text;
	at = (size_t)(word - text);
	wl = strlen(word);
	/* The head (command name) and the word before this one (--group). */
	snprintf(head, sizeof head, "%.*s", (int)strcspn(text, " "), text);
	prev[0] = '\0';
	if (at > 1) {
		size_t e = at - 1, b = e;

		while (b > 0 && text[b - 1] != ' ')
			b--;
		snprintf(prev, sizeof prev, "%.*s", (int)(e - b), text + b);
	}
	n = complete_candidates(ui, at == 0 ? NULL : head, prev, cands, COMPLETE_MAX,
	    &themes, &n_themes);
	/* Keep the matching ones, in order. */
	for (i = 0; i < n; i++) {
		if (strncmp(cands[i], word, wl) != 0)
			continue;
		cands[m++] = cands[i];
		if (first == NULL) {
			first = cands[i];
			common = strlen(first);
		} else {
			for (k = 0; k < common && first[k] == cands[i][k]; k++)
				;
			common = k;
		}
	}
	if (ui->completing && m > 0) {
		ui->complete_pos = (ui->complete_pos + 1) % (int)m;
		snprintf(ui->prompt_text, sizeof ui->prompt_text, "%.*s%s", (int)at, text,
		    cands[ui->complete_pos]);
	} else if (first != NULL && common > wl) {
		snprintf(ui->prompt_text, sizeof ui->prompt_text, "%.*s%.*s", (int)at, text,
		    (int)common, first);
	} else if (m > 1) {
		/* Nothing to add: show what there is to choose from. */
		size_t off = 0;

		ui->completing = 1;
		ui->complete_pos = -1;
		snprintf(ui->complete_base, sizeof ui->complete_base, "%s", text);
		ui->complete_list[0] = '\0';
		for (i = 0; i < m; i++) {
			int w = snprintf(ui->complete_list + off, sizeof ui->complete_list - off,
			    "%s%s", off > 0 ? "  " : "", cands[i]);

			if (w < 0 || (size_t)w >= sizeof ui->complete_list - off) {
				ui->complete_list[off] = '\0';
				break;
			}
			off += (size_t)w;
		}
	}
	theme_list_free(themes, n_themes);
}
