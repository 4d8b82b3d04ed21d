/*
 * dlc new's Terraform: the templates/new/terraform files rendered, then
 * aligned as terraform fmt would (the templates need not be).
 */
#include "new-terraform.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

char *
new_terraform_remote_name(const struct dlc_config *cfg, const char *local)
{
	const struct dlc_env *env;
	const char *t, *at;
	struct buf b;
	size_t elen;

	if (cfg == NULL || cfg->n_envs == 0 || cfg->envs[0].function_name == NULL)
		return xasprintf("datalake-${var.environment}-%s", local);
	env = &cfg->envs[0];
	elen = strlen(env->name);
	buf_init(&b, 0);
	for (t = env->function_name; *t != '\0'; ) {
		if (strncmp(t, "{function}", 10) == 0) {
			buf_puts(&b, local);
			t += 10;
		} else if (elen > 0 && strncmp(t, env->name, elen) == 0 &&
		    (t == env->function_name || !isalnum((unsigned char)t[-1])) &&
		    !isalnum((unsigned char)t[elen])) {
			/* Only the name as a whole word: env "a" leaves "datalake" alone. */
			buf_puts(&b, "${var.environment}");
			t += elen;
		} else {
			at = t++;
			buf_putc(&b, *at);
		}
	}
	return buf_detach(&b, NULL);
}

/* A Terraform label from a name: '_' for '-', never starting with a digit. */
static char *
new_terraform_label(const char *name)
{
	char *l = xasprintf("%s%s", name[0] >= '0' && name[0] <= '9' ? "fn_" : "", name), *p;

	for (p = l; *p != '\0'; p++)
		if (*p == '-')
			*p = '_';
	return l;
}

/*
 * Where the '=' of an attribute line is (the name before it ends at
 * *name_end), or -1 when the line is no one-line attribute.
 */
static long
new_terraform_assign(const char *line, size_t len, size_t *name_end)
{
	size_t i, eq = 0, e;
	int depth = 0, in_str = 0, found = 0;

	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len || line[i] == '#' || (line[i] == '/' && i + 1 < len && line[i + 1] == '/'))
		return -1;
	for (; i < len; i++) {
		char c = line[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (!found && c == '=' && i > 0 && (i + 1 >= len || (line[i + 1] != '=' &&
		    line[i + 1] != '>')) && strchr("=!<>", line[i - 1]) == NULL) {
			found = 1;
			eq = i;
			depth = 0;
		} else if (found && (c == '(' || c == '[' || c == '{')) {
			depth++;
		} else if (found && (c == ')' || c == ']' || c == '}')) {
			depth--;
		} else if (!found && (c == '{' || c == '(' || c == '[')) {
			return -1;	/* a block's opening line */
		}
	}
	if (!found || depth != 0)
		return -1;
	for (e = eq; e > 0 && line[e - 1] == ' '; e--)
		;
	*name_end = e;
	return (long)eq;
}

void
new_terraform_align(struct buf *out, const char *text)
{
	const char *p = text, *nl, *v;
	const char **starts = NULL;
	size_t *lens = NULL, *name_ends = NULL, n = 0, i, j, run, widest, e;
	long *eqs = NULL;

	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		starts = xreallocarray(starts, n + 1, sizeof *starts);
		lens = xreallocarray(lens, n + 1, sizeof *lens);
		name_ends = xreallocarray(name_ends, n + 1, sizeof *name_ends);
		eqs = xreallocarray(eqs, n + 1, sizeof *eqs);
		starts[n] = p;
		lens[n] = (size_t)(nl - p);
		eqs[n] = new_terraform_assign(p, lens[n], &name_ends[n]);
		n++;
		if (*nl == '\0')
			break;
	}
	for (i = 0; i < n; ) {
		if (eqs[i] < 0) {
			buf_append(out, starts[i], lens[i]);
			if (i + 1 < n || starts[i][lens[i]] == '\n')
				buf_putc(out, '\n');
			i++;
			continue;
		}
		widest = 0;
		for (run = i; run < n && eqs[run] >= 0; run++)
			if (name_ends[run] > widest)
				widest = name_ends[run];
		for (j = i; j < run; j++) {
			e = name_ends[j];
			buf_append(out, starts[j], e);
			buf_printf(out, "%*s= ", (int)(widest - e + 1), "");
			for (v = starts[j] + eqs[j] + 1; v < starts[j] + lens[j] && *v == ' '; v++)
				;
			buf_append(out, v, (size_t)(starts[j] + lens[j] - v));
			if (j + 1 < n || starts[j][lens[j]] == '\n')
				buf_putc(out, '\n');
		}
		i = run;
	}
	free(starts);
	free(lens);
	free(name_ends);
	free(eqs);
}

/* The alarms every function gets: what, the metric and its statistic. */
static const struct {
	const char	*alarm;
	const char	*metric;
	const char	*statistic;
	const char	*what;
} new_terraform_alarms[] = {
	{ "errors", "Errors", "Sum", "failed at least once in 5 minutes" },
	{ "throttles", "Throttles", "Sum", "was throttled in 5 minutes" },
	{ "duration", "Duration", "Maximum", "ran longer than 80% of its timeout" },
};

/* Renders terraform/FILE with vars into out. */
static int
new_terraform_part(struct buf *out, const char *file, const struct new_var *vars,
    size_t n, struct dlc_err *err)
{
	return new_template_render(out, new_template_find("terraform", file), vars, n, err);
}

/* Renders the parts of spec's Terraform in mask (1 << enum new_terraform_part) into out, aligned. */
static int
new_terraform_emit(struct buf *out, const struct new_spec *spec,
    const struct dlc_config *cfg, unsigned mask, struct dlc_err *err)
{
	const struct new_source_info *si = new_source_info(spec->source);
	struct new_var *vars;
	struct buf raw, layers, env;
	char *label, *fname, *lname, *llabel, timeout[16], duration[16];
	size_t n_base, n, i;
	int rc = -1;

	n_base = new_scaffold_vars(spec, &vars);
	vars = xreallocarray(vars, n_base + 12, sizeof *vars);
	n = n_base;
	label = new_terraform_label(spec->name);
	/* Lambda's name comes from `name =` when the folder has one (audit fixes). */
	fname = new_terraform_remote_name(cfg, spec->remote_base != NULL ? spec->remote_base : spec->name);
	snprintf(timeout, sizeof timeout, "%d", si->timeout);
	/* The duration alarm fires at 80% of the timeout, in milliseconds. */
	snprintf(duration, sizeof duration, "%d", si->timeout * 800);
	buf_init(&raw, 0);
	buf_init(&layers, 0);
	buf_init(&env, 0);
	for (i = 0; i < spec->n_layers; i++) {
		llabel = new_terraform_label(spec->layers[i]);
		buf_printf(&layers, "%sdata.aws_lambda_layer_version.%s_%s.arn",
		    i > 0 ? ", " : "", label, llabel);
		free(llabel);
	}
	buf_printf(&env, "    RAW_BUCKET = var.raw_bucket\n    TABLE = \"%s\"", spec->table);
	if (spec->source == NEW_SOURCE_SCHEDULE)
		buf_printf(&env, "\n    SOURCE_URL = var.%s_source_url\n"
		    "    SOURCE_SECRET_ID = var.%s_source_secret_id", label, label);
	vars[n].name = "LABEL"; vars[n++].value = label;
	vars[n].name = "FUNCTION_NAME"; vars[n++].value = fname;
	vars[n].name = "TIMEOUT"; vars[n++].value = timeout;
	vars[n].name = "LAYERS_TF"; vars[n++].value = layers.data != NULL ? layers.data : "";
	vars[n].name = "ENV_TF"; vars[n++].value = env.data;
	vars[n].name = "STREAM_WHAT"; vars[n++].value = si->stream_what != NULL ? si->stream_what : "";
	if (((mask & (1u << NEW_TF_HEADER)) &&
	    new_terraform_part(&raw, "header.tf", vars, n, err) != 0) ||
	    ((mask & (1u << NEW_TF_LOG_GROUP)) &&
	    new_terraform_part(&raw, "log-group.tf", vars, n, err) != 0) ||
	    ((mask & (1u << NEW_TF_FUNCTION)) &&
	    new_terraform_part(&raw, "function.tf", vars, n, err) != 0))
		goto out;
	for (i = 0; i < sizeof new_terraform_alarms / sizeof new_terraform_alarms[0]; i++) {
		if (!(mask & (1u << (NEW_TF_ALARM_ERRORS + i))))
			continue;
		vars[n].name = "ALARM"; vars[n].value = new_terraform_alarms[i].alarm;
		vars[n + 1].name = "METRIC"; vars[n + 1].value = new_terraform_alarms[i].metric;
		vars[n + 2].name = "STATISTIC"; vars[n + 2].value = new_terraform_alarms[i].statistic;
		vars[n + 3].name = "ALARM_WHAT"; vars[n + 3].value = new_terraform_alarms[i].what;
		vars[n + 4].name = "THRESHOLD";
		vars[n + 4].value = strcmp(new_terraform_alarms[i].alarm, "duration") == 0 ? duration : "0";
		if (new_terraform_part(&raw, "alarm.tf", vars, n + 5, err) != 0)
			goto out;
	}
	if (((mask & (1u << NEW_TF_AGGREGATION)) &&
	    new_terraform_part(&raw, "aggregation.tf", vars, n, err) != 0) ||
	    ((mask & (1u << NEW_TF_TRIGGER)) &&
	    new_terraform_part(&raw, si->stream_what != NULL ? "stream.tf" : "schedule.tf",
	    vars, n, err) != 0))
		goto out;
	for (i = 0; i < spec->n_layers && (mask & (1u << NEW_TF_LAYERS)); i++) {
		llabel = new_terraform_label(spec->layers[i]);
		lname = new_terraform_remote_name(cfg, spec->layers[i]);
		vars[n].name = "LAYER_LABEL"; vars[n].value = llabel;
		vars[n + 1].name = "LAYER_NAME"; vars[n + 1].value = lname;
		rc = new_terraform_part(&raw, "layer.tf", vars, n + 2, err);
		free(llabel);
		free(lname);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	new_terraform_align(out, raw.data != NULL ? raw.data : "");
	rc = 0;
out:
	if (rc != 0)
		dlc_err_what(err, "rendering the Terraform of %s", spec->name);
	buf_free(&raw);
	buf_free(&layers);
	buf_free(&env);
	free(label);
	free(fname);
	new_scaffold_vars_free(vars, n_base);
	return rc;
}

int
new_terraform_render(struct buf *out, const struct new_spec *spec,
    const struct dlc_config *cfg, struct dlc_err *err)
{
	return new_terraform_emit(out, spec, cfg, ~0u, err);
}

int
new_terraform_render_part(struct buf *out, const struct new_spec *spec,
    const struct dlc_config *cfg, enum new_terraform_part part,
    struct dlc_err *err)
{
	struct buf b;
	const char *p;
	int rc;

	buf_init(&b, 0);
	rc = new_terraform_emit(&b, spec, cfg, 1u << part, err);
	if (rc == 0 && b.data != NULL) {
		/* Parts start with the blank line that parts them in the whole. */
		for (p = b.data; *p == '\n'; p++)
			;
		buf_puts(out, p);
	}
	buf_free(&b);
	return rc;
}
