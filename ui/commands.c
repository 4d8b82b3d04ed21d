/*
 * ':' command mode: one table of commands with their help text (the help
 * view lists it), and completion of command names, then of environment,
 * function or theme names.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listview.h"
#include "logs-range.h"
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
	}
	rc = ui_push(ui, &pane_logs_ops, arg);
	free(with_id);
	return rc;
}

static int
cmd_alarms(struct ui *ui, const char *arg)
{
	ui_message(ui, 0, "the alarms view is not built yet");
	return 0;
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
	if (ui_set_theme(ui, arg) != 0)
		return -1;
	ui_message(ui, 0, "theme %s", arg);
	return 0;
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
	{ "alarms", "", "alarm states (not built yet)", cmd_alarms },
	{ "queue", "", "focus the deploy queue", cmd_queue },
	{ "theme", "NAME", "switch colour theme (default, light, high-contrast, mono)", cmd_theme },
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

/* Extends word to the longest common prefix of the candidates. */
static void
complete_from(const char *word, const char *const *cands, size_t n, char *out, size_t size)
{
	size_t i, common = 0, wl = strlen(word);
	const char *first = NULL;

	for (i = 0; i < n; i++) {
		if (strncmp(cands[i], word, wl) != 0)
			continue;
		if (first == NULL) {
			first = cands[i];
			common = strlen(first);
		} else {
			size_t k = 0;

			while (k < common && first[k] == cands[i][k])
				k++;
			common = k;
		}
	}
	if (first != NULL)
		snprintf(out, size, "%.*s", (int)common, first);
	else
		snprintf(out, size, "%s", word);
}

void
commands_complete(struct ui *ui, char *text, size_t size)
{
	const char *cands[2048];
	char done[256], head[128];
	char **themes = NULL;
	size_t n = 0, n_themes = 0, i;
	const char *space = strchr(text, ' ');

	if (space == NULL) {
		for (i = 0; ui_commands[i].name != NULL && n < 2048; i++)
			cands[n++] = ui_commands[i].name;
		complete_from(text, cands, n, done, sizeof done);
		snprintf(text, size, "%s", done);
		return;
	}
	snprintf(head, sizeof head, "%.*s", (int)(space - text), text);
	if (strcmp(head, "env") == 0 || strcmp(head, "login") == 0) {
		for (i = 0; i < model_env_count(ui->model) && n < 2048; i++)
			cands[n++] = model_env_at(ui->model, i)->conf->name;
	} else if ((strcmp(head, "fn") == 0 || strcmp(head, "logs") == 0) && ui->env >= 0) {
		struct model_env *me = model_env_at(ui->model, (size_t)ui->env);

		for (i = 0; i < me->n_functions && n < 2048; i++)
			cands[n++] = me->functions[i].local != NULL ? me->functions[i].local->name :
			    me->functions[i].fn.function_name;
	} else if (strcmp(head, "theme") == 0 && theme_list(ui->themes_dir, &themes, &n_themes) == 0) {
		for (i = 0; i < n_themes && n < 2048; i++)
			cands[n++] = themes[i];
	}
	complete_from(space + 1, cands, n, done, sizeof done);
	snprintf(text, size, "%s %s", head, done);
	theme_list_free(themes, n_themes);
}
