/*
 * dlc new's function folder, written from the templates of its source kind.
 */
#include "new-scaffold.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"
#include "xmalloc.h"

#define NEW_NAME_MAX	64	/* Lambda's limit on a function's name */
#define NEW_NAME_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

/*
 * The layers every scaffold uses (functions/README.md): aws-wrangler's
 * rawframe types and writes, flattenjson flattens (and decodes DynamoDB
 * JSON); awswrangler and pandas first, as the team orders them.
 */
static const char *const new_layers[] = { "aws-wrangler", "flattenjson" };

static const struct new_source_info new_sources[] = {
	[NEW_SOURCE_DYNAMODB] = { "dynamodb",
	    "Lands the @TABLE@ DynamoDB table's changes in datalake_raw",
	    "a DynamoDB change stream says exactly what changed, one record per\n"
	    "  change, so the lake keeps every change (a REMOVE as a tombstone) and a\n"
	    "  reader takes the latest row per id.",
	    "A Kinesis Data Stream carrying the table's DynamoDB changes (the\n"
	    "  table's Kinesis streaming destination), read by an event source mapping\n"
	    "  from TRIM_HORIZON, up to 500 records or 60 s a batch. Does the table\n"
	    "  stream to Kinesis already, and to which stream?",
	    "Lambda retries the batch (5 times; records older than a\n"
	    "  day are dropped) and bisects it to isolate a bad record. Is losing such\n"
	    "  a record acceptable, or does it need an on-failure destination?",
	    "", "", 300, "the DynamoDB table's changes",
	    "one row per change, a REMOVE as a tombstone",
	    "the change's time (ApproximateCreationDateTime, UTC)",
	    ", and ddbexport: the DynamoDB JSON, the metadata columns, the write", NULL },
	[NEW_SOURCE_KINESIS] = { "kinesis",
	    "Lands the @TABLE@ stream's records in datalake_raw",
	    "each record is an event that happened once, so appending keeps\n"
	    "  every one of them, with its sequence number to tell a replay.",
	    "The Kinesis Data Stream, read by an event source mapping from\n"
	    "  TRIM_HORIZON, up to 500 records or 60 s a batch. Which stream, and who\n"
	    "  produces to it?",
	    "Lambda retries the batch (5 times; records older than a\n"
	    "  day are dropped) and bisects it to isolate a bad record. Is losing such\n"
	    "  a record acceptable, or does it need an on-failure destination?",
	    "", "", 300, "its records", "one row per record",
	    "the record's own created_at (schema.PARTITION_FROM)", "", "append" },
	[NEW_SOURCE_SCHEDULE] = { "schedule",
	    "Lands @TABLE@ from its source in datalake_raw, on a schedule",
	    "the source is asked for the rows changed since the last\n"
	    "  successful run (the checkpoint in S3), so each run appends only those.",
	    "An EventBridge rule, cron(15 3 * * ? *): 03:15 UTC every day. How\n"
	    "  often does the source change, and when may it be read?",
	    "the checkpoint stays where it was, so the next run reads the\n"
	    "  same rows again, and the errors alarm fires. Is a day late acceptable?",
	    ", the source's fetch, S3 for the checkpoint, the clock",
	    ", SOURCE_URL, SOURCE_SECRET_ID", 900, NULL,
	    "one row per source row changed since the last run",
	    "the row's updated_at at the source (schema.PARTITION_FROM)", "", "append" },
};

int
new_source_parse(const char *s, enum new_source *out)
{
	size_t i;

	for (i = 0; i < sizeof new_sources / sizeof new_sources[0]; i++)
		if (strcmp(s, new_sources[i].name) == 0) {
			*out = (enum new_source)i;
			return 0;
		}
	return -1;
}

const struct new_source_info *
new_source_info(enum new_source source)
{
	return &new_sources[source];
}

int
new_scaffold_check_name(const char *name, const struct dlc_config *cfg,
    struct dlc_err *err)
{
	size_t len = strlen(name), bad, i;
	char *remote;

	if (len == 0)
		return dlc_err_set(err, "BadName", "the function's name is empty");
	bad = strspn(name, NEW_NAME_CHARS);
	if (bad < len) {
		dlc_err_set(err, "BadName", "'%s' has '%c' at %zu: a Lambda name is "
		    "letters, digits, '-' and '_' only", name, name[bad], bad + 1);
		dlc_err_fix(err, "name it like the others: lower case words joined by '-', "
		    "e.g. orders-to-s3-raw");
		return -1;
	}
	if (len > NEW_NAME_MAX) {
		dlc_err_set(err, "BadName", "'%s' is %zu characters: a Lambda name "
		    "is at most %d", name, len, NEW_NAME_MAX);
		dlc_err_fix(err, "shorten it");
		return -1;
	}
	if (name[0] == '_') {
		dlc_err_set(err, "BadName", "'%s' starts with '_': dlc skips such "
		    "folders under the functions folder", name);
		dlc_err_fix(err, "start it with a letter or digit");
		return -1;
	}
	for (i = 0; cfg != NULL && i < cfg->n_envs; i++) {
		remote = dlc_env_remote_name(&cfg->envs[i], name);
		len = strlen(remote);
		if (len > NEW_NAME_MAX) {
			dlc_err_set(err, "BadName", "in %s, '%s' becomes '%s', %zu "
			    "characters: a Lambda name is at most %d", cfg->envs[i].name,
			    name, remote, len, NEW_NAME_MAX);
			dlc_err_fix(err, "shorten it by %zu", len - NEW_NAME_MAX);
			free(remote);
			return -1;
		}
		free(remote);
	}
	return 0;
}

/* 1 when functions_dir/name is a layer folder whose manifest reads. */
static int
new_layer_present(const char *functions_dir, const char *name)
{
	struct local_function fn;
	struct dlc_err err;
	int ok;

	dlc_err_clear(&err);
	ok = manifest_load_one(functions_dir, name, &fn, &err) == 0 && fn.is_layer;
	manifest_free(&fn);
	return ok;
}

char *
new_scaffold_table(const char *name)
{
	char *t = xstrdup(name), *p;
	size_t len;

	/* Lower case, '_' for '-', without the "-to-s3-raw" of the team's names. */
	for (p = t; *p != '\0'; p++)
		*p = *p == '-' ? '_' : (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
	len = strlen(t);
	if (len > strlen("_to_s3_raw") && strcmp(t + len - strlen("_to_s3_raw"),
	    "_to_s3_raw") == 0)
		t[len - strlen("_to_s3_raw")] = '\0';
	return t;
}

int
new_spec_init(struct new_spec *spec, const char *functions_dir,
    const char *name, enum new_source source, struct dlc_err *err)
{
	struct stat st;
	char *path;
	size_t i;

	memset(spec, 0, sizeof *spec);
	if (stat(functions_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		dlc_err_set(err, "NoFunctionsDir", "the functions folder %s is not "
		    "there", functions_dir);
		dlc_err_fix(err, "run dlc new from the repository root, or pass "
		    "--functions-dir DIR");
		return -1;
	}
	path = xasprintf("%s/%s", functions_dir, name);
	if (lstat(path, &st) == 0) {
		dlc_err_set(err, "Exists", "%s is already there", path);
		dlc_err_fix(err, "pick another name, or remove the folder first");
		free(path);
		return -1;
	}
	free(path);
	for (i = 0; i < sizeof new_layers / sizeof new_layers[0]; i++) {
		if (new_layer_present(functions_dir, new_layers[i]))
			continue;
		dlc_err_set(err, "NoLayer", "%s/%s is no layer folder: the scaffold's "
		    "code and tests use it", functions_dir, new_layers[i]);
		dlc_err_fix(err, "add the %s layer (kind = layer) to the functions "
		    "folder first", new_layers[i]);
		return -1;
	}
	spec->name = xstrdup(name);
	spec->source = source;
	spec->functions_dir = xstrdup(functions_dir);
	spec->table = new_scaffold_table(name);
	{
		struct new_var table = { "TABLE", spec->table };
		struct buf d;

		buf_init(&d, 0);
		new_template_render(&d, new_sources[source].description, &table, 1, NULL);
		spec->description = buf_detach(&d, NULL);
	}
	spec->layers = xcalloc(sizeof new_layers / sizeof new_layers[0], sizeof *spec->layers);
	for (i = 0; i < sizeof new_layers / sizeof new_layers[0]; i++)
		spec->layers[spec->n_layers++] = xstrdup(new_layers[i]);
	return 0;
}

void
new_spec_free(struct new_spec *spec)
{
	size_t i;

	if (spec == NULL)
		return;
	for (i = 0; i < spec->n_layers; i++)
		free(spec->layers[i]);
	free(spec->layers);
	free(spec->name);
	free(spec->functions_dir);
	free(spec->table);
	free(spec->description);
	memset(spec, 0, sizeof *spec);
}

size_t
new_scaffold_vars(const struct new_spec *spec, struct new_var **vars)
{
	const struct new_source_info *si = &new_sources[spec->source];
	struct buf ini, py, text;
	struct new_var *v;
	size_t n = 0, i;

	buf_init(&ini, 0);
	buf_init(&py, 0);
	buf_init(&text, 0);
	for (i = 0; i < spec->n_layers; i++) {
		buf_printf(&ini, "%s%s", i > 0 ? ", " : "layers = ", spec->layers[i]);
		buf_printf(&py, "\"%s\", ", spec->layers[i]);
		buf_printf(&text, "%s%s", i > 0 ? ", " : "", spec->layers[i]);
	}
	v = xcalloc(20, sizeof *v);
#define NEW_VAR(k, val) do { v[n].name = (k); v[n].value = xstrdup(val); n++; } while (0)
	NEW_VAR("NAME", spec->name);
	NEW_VAR("TABLE", spec->table);
	NEW_VAR("SOURCE", si->name);
	NEW_VAR("DESCRIPTION", spec->description);
	NEW_VAR("DELTAS_WHY", si->deltas_why);
	NEW_VAR("TRIGGER", si->trigger);
	NEW_VAR("RETRY", si->retry);
	NEW_VAR("SEAMS", si->seams);
	NEW_VAR("ENV_EXTRA", si->env_extra);
	NEW_VAR("DELTA_ROW", si->delta_row);
	NEW_VAR("PARTITION_TEXT", si->partition_text);
	NEW_VAR("LAYER_EXTRA", si->layer_extra);
	NEW_VAR("LAYERS_LINE", ini.data != NULL ? ini.data : "");
	NEW_VAR("LAYERS_PY", py.data != NULL ? py.data : "");
	NEW_VAR("LAYERS_TEXT", text.data != NULL ? text.data : "none");
#undef NEW_VAR
	buf_free(&ini);
	buf_free(&py);
	buf_free(&text);
	*vars = v;
	return n;
}

void
new_scaffold_vars_free(struct new_var *vars, size_t n)
{
	size_t i;

	if (vars == NULL)
		return;
	for (i = 0; i < n; i++)
		free((char *)vars[i].value);
	free(vars);
}

/* What was made in the hidden folder, to take away again on failure. */
struct new_made {
	char	**paths;	/* absolute; directories too */
	size_t	 n;
};

static void
new_made_add(struct new_made *m, char *path)
{
	m->paths = xreallocarray(m->paths, m->n + 1, sizeof *m->paths);
	m->paths[m->n++] = path;
}

/* Creates the folders of rel's dirname under top (each once). */
static int
new_make_parents(struct new_made *m, const char *top, const char *rel, struct dlc_err *err)
{
	const char *slash;
	char *dir;

	for (slash = strchr(rel, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		dir = xasprintf("%s/%.*s", top, (int)(slash - rel), rel);
		if (mkdir(dir, 0777) == 0) {
			new_made_add(m, dir);
		} else if (errno == EEXIST) {
			free(dir);
		} else {
			dlc_err_set(err, "EIO", "cannot make %s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	return 0;
}

static int
new_write_file(struct new_made *m, const char *path, const struct buf *b, struct dlc_err *err)
{
	size_t off = 0;
	ssize_t w;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return dlc_err_set(err, "EIO", "cannot create %s: %s", path, strerror(errno));
	new_made_add(m, xstrdup(path));
	while (off < b->len) {
		w = write(fd, b->data + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			dlc_err_set(err, "EIO", "cannot write %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0)
		return dlc_err_set(err, "EIO", "cannot write %s: %s", path, strerror(errno));
	return 0;
}

static int
new_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
new_scaffold_write(const struct new_spec *spec, char ***files, size_t *n_files,
    struct dlc_err *err)
{
	const struct new_template_file *f;
	/* kinesis and schedule share append's lake.py (dynamodb has ddbexport's). */
	const char *groups[3] = { "common", new_sources[spec->source].name,
	    new_sources[spec->source].also };
	struct new_made made = { NULL, 0 };
	struct new_var *vars;
	struct buf b;
	char *tmp, *final = NULL, *path;
	char **list = NULL;
	size_t n_vars, n = 0, g, i;
	int rc = -1, wrc;

	*files = NULL;
	*n_files = 0;
	n_vars = new_scaffold_vars(spec, &vars);
	/* Hidden (the manifest skips '.' folders) until it is whole. */
	tmp = xasprintf("%s/.%s.new-XXXXXX", spec->functions_dir, spec->name);
	if (mkdtemp(tmp) == NULL) {
		dlc_err_set(err, "EIO", "cannot make a folder in %s: %s",
		    spec->functions_dir, strerror(errno));
		free(tmp);
		new_scaffold_vars_free(vars, n_vars);
		return -1;
	}
	buf_init(&b, 0);
	for (g = 0; g < 3 && groups[g] != NULL; g++) {
		for (f = new_template_files; f->group != NULL; f++) {
			if (strcmp(f->group, groups[g]) != 0)
				continue;
			buf_reset(&b);
			if (new_template_render(&b, f->text, vars, n_vars, err) != 0) {
				dlc_err_what(err, "rendering %s/%s", f->group, f->path);
				goto out;
			}
			if (new_make_parents(&made, tmp, f->path, err) != 0)
				goto out;
			path = xasprintf("%s/%s", tmp, f->path);
			wrc = new_write_file(&made, path, &b, err);
			free(path);
			if (wrc != 0)
				goto out;
			list = xreallocarray(list, n + 1, sizeof *list);
			list[n++] = xstrdup(f->path);
		}
	}
	final = xasprintf("%s/%s", spec->functions_dir, spec->name);
	/* rename(2) would replace an empty folder: look once more. */
	if (access(final, F_OK) == 0 || errno != ENOENT) {
		dlc_err_set(err, "Exists", "%s is already there", final);
		dlc_err_fix(err, "pick another name, or remove the folder first");
		goto out;
	}
	if (rename(tmp, final) != 0) {
		dlc_err_set(err, "EIO", "cannot rename %s to %s: %s", tmp, final, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0) {
		for (i = made.n; i > 0; i--)
			remove(made.paths[i - 1]);
		rmdir(tmp);
		for (i = 0; i < n; i++)
			free(list[i]);
		free(list);
	} else {
		qsort(list, n, sizeof *list, new_cmp_str);
		*files = list;
		*n_files = n;
	}
	for (i = 0; i < made.n; i++)
		free(made.paths[i]);
	free(made.paths);
	buf_free(&b);
	free(tmp);
	free(final);
	new_scaffold_vars_free(vars, n_vars);
	return rc;
}
