/* Function manifests: functions/NAME/function.ini (see manifest.h). */
#include "manifest.h"
#include "ini.h"
#include "pack-filter.h"
#include "scan.h"
#include "xmalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Lambda's own rule for function and layer names. */
#define MANIFEST_NAME_CHARS \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
#define MANIFEST_MAX_FUNCTIONS	1000

static int
manifest_bad(struct dlc_err *err, const char *file, int line,
    const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
manifest_bad(struct dlc_err *err, const char *file, int line,
    const char *fix, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	dlc_err_what(err, "reading %s", file);
	if (line > 0)
		dlc_err_set(err, "ManifestError", "%s line %d: %s", file, line,
		    msg);
	else
		dlc_err_set(err, "ManifestError", "%s: %s", file, msg);
	dlc_err_fix(err, "%s", fix);
	return -1;
}

void
manifest_free(struct local_function *fn)
{
	size_t i;

	if (fn == NULL)
		return;
	free(fn->name);
	free(fn->remote_base);
	free(fn->description);
	free(fn->runtime);
	free(fn->handler);
	free(fn->build);
	free(fn->source);
	free(fn->trigger);
	for (i = 0; i < fn->n_layers; i++)
		free(fn->layers[i]);
	free(fn->layers);
	free(fn->dir);
	for (i = 0; i < fn->n_commands; i++)
		free(fn->commands[i]);
	free(fn->commands);
	for (i = 0; i < fn->n_patterns; i++)
		free(fn->patterns[i]);
	free(fn->patterns);
	free(fn->zip_root);
	for (i = 0; i < fn->n_files; i++)
		free(fn->files[i]);
	free(fn->files);
	for (i = 0; i < fn->n_scan_allow; i++)
		free(fn->scan_allow[i]);
	free(fn->scan_allow);
	memset(fn, 0, sizeof *fn);
}

void
manifest_free_all(struct local_function *fns, size_t n)
{
	size_t i;

	if (fns == NULL)
		return;
	for (i = 0; i < n; i++)
		manifest_free(&fns[i]);
	free(fns);
}

static int
manifest_name_ok(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && len <= 140 && strspn(s, MANIFEST_NAME_CHARS) == len;
}

/*
 * "a, b" -> two items appended to *items; blanks around each trimmed.
 * Returns the bad item's index + 1 on an empty one (0 when all are good).
 */
static size_t
manifest_list(const char *v, char ***items, size_t *n)
{
	const char *p = v, *end, *s;
	size_t len, k = 0;

	for (;;) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		s = p;
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\n'))
			s++;
		len = (size_t)(end - s);
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		    s[len - 1] == '\n'))
			len--;
		k++;
		if (len == 0 && *v != '\0')
			return k;
		if (len > 0) {
			*items = xreallocarray(*items, *n + 1, sizeof **items);
			(*items)[(*n)++] = xstrndup(s, len);
		}
		if (*end == '\0')
			return 0;
		p = end + 1;
	}
}

/* "aws-wrangler, flattenjson" -> two names; empty items are errors. */
static int
manifest_layers(struct local_function *fn, const char *v, const char *file,
    int line, struct dlc_err *err)
{
	size_t i, first = fn->n_layers;

	if (manifest_list(v, &fn->layers, &fn->n_layers) != 0)
		return manifest_bad(err, file, line, "write layers as "
		    "folder names separated by commas, e.g. layers = "
		    "aws-wrangler, flattenjson", "an empty name in "
		    "layers '%s'", v);
	for (i = first; i < fn->n_layers; i++) {
		if (!manifest_name_ok(fn->layers[i]))
			return manifest_bad(err, file, line, "use the "
			    "layer's folder name", "'%s' in layers is "
			    "not a folder name", fn->layers[i]);
	}
	return 0;
}

/* A path that stays inside the folder it is relative to. */
static int
manifest_inside(const char *v)
{
	const char *p;

	if (v[0] == '/' || v[0] == '\0')
		return 0;
	for (p = v; (p = strstr(p, "..")) != NULL; p += 2) {
		if ((p == v || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return 0;
	}
	return 1;
}

/*
 * The build keys (build.h): each `build =` line, and each line of a
 * continued value, is one command; `pattern =` lines accumulate. 1 when
 * key is not one of them.
 */
static int
manifest_build_key(struct local_function *fn, const char *key, const char *v,
    const char *file, int line, struct dlc_err *err)
{
	char **words, *cmd;
	const char *p, *end;
	size_t n, i, first;

	if (strcmp(key, "build") == 0) {
		for (p = v; ; p = end + 1) {
			end = strchr(p, '\n');
			if (end == NULL)
				end = p + strlen(p);
			cmd = xstrndup(p, (size_t)(end - p));
			/* Checked now so a bad quote is reported before a deploy. */
			if (cmd[0] != '\0' && ini_split_words(cmd, &words, &n, err) != 0) {
				manifest_bad(err, file, line, "close the quote "
				    "(the command is split like a shell would, but "
				    "never run by one)", "build '%s': %s", cmd,
				    err != NULL ? err->message : "bad quoting");
				free(cmd);
				return -1;
			}
			if (cmd[0] != '\0') {
				ini_words_free(words);
				fn->commands = xreallocarray(fn->commands,
				    fn->n_commands + 1, sizeof *fn->commands);
				fn->commands[fn->n_commands++] = cmd;
			} else {
				free(cmd);
			}
			if (*end == '\0')
				break;
		}
		if (fn->n_commands == 0)
			return manifest_bad(err, file, line, "give a command "
			    "or remove the line", "build is empty");
		if (fn->build == NULL)
			fn->build = xstrdup(fn->commands[0]);
		return 0;
	}
	if (strcmp(key, "pattern") == 0) {
		if (pack_filter_check(v, err) != 0)
			return manifest_bad(err, file, line, "write a PCRE2 regex "
			    "for the path inside the zip, ! first to leave files "
			    "out, e.g. pattern = !tests/.*", "pattern '%s': %s", v,
			    err != NULL ? err->message : "not a regex");
		fn->patterns = xreallocarray(fn->patterns, fn->n_patterns + 1,
		    sizeof *fn->patterns);
		fn->patterns[fn->n_patterns++] = xstrdup(v);
		return 0;
	}
	if (strcmp(key, "zip-root") == 0) {
		if (!manifest_inside(v))
			return manifest_bad(err, file, line, "name a folder "
			    "inside the staged function folder, e.g. zip-root = "
			    "package", "zip-root '%s' leaves the function's "
			    "folder", v);
		free(fn->zip_root);
		fn->zip_root = xstrdup(v);
		return 0;
	}
	if (strcmp(key, "isolate") == 0) {
		if (strcmp(v, "none") == 0)
			fn->isolate = MANIFEST_ISOLATE_NONE;
		else if (strcmp(v, "venv") == 0)
			fn->isolate = MANIFEST_ISOLATE_VENV;
		else
			return manifest_bad(err, file, line, "write isolate = "
			    "none or isolate = venv", "isolate '%s' is not none "
			    "or venv", v);
		return 0;
	}
	if (strcmp(key, "files") == 0) {
		first = fn->n_files;
		if (*v == '\0' || manifest_list(v, &fn->files, &fn->n_files) != 0)
			return manifest_bad(err, file, line, "write the files "
			    "separated by commas, e.g. files = lambda_function.py, "
			    "util.py", "an empty name in files '%s'", v);
		for (i = first; i < fn->n_files; i++) {
			if (!manifest_inside(fn->files[i]))
				return manifest_bad(err, file, line, "name files "
				    "inside the zip root", "'%s' in files leaves "
				    "the zip root", fn->files[i]);
		}
		return 0;
	}
	return 1;
}

static int
manifest_bool(const char *v, int *out)
{
	if (strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/*
 * scan-allow = RULE PATH-REGEX, one per line (indented lines continue the
 * value); each is checked now, so a bad entry stops the load, never a push.
 */
static int
manifest_scan_allow(struct local_function *fn, const char *v,
    const char *file, int line, struct dlc_err *err)
{
	const char *p = v, *end;
	struct dlc_err why;
	char *entry;
	size_t len;

	for (; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len == 0)
			continue;
		entry = xstrndup(p, len);
		dlc_err_clear(&why);
		if (scan_allow_check(entry, &why) != 0) {
			free(entry);
			return manifest_bad(err, file, line, why.fix, "%s",
			    why.message);
		}
		fn->scan_allow = xreallocarray(fn->scan_allow,
		    fn->n_scan_allow + 1, sizeof *fn->scan_allow);
		fn->scan_allow[fn->n_scan_allow++] = entry;
	}
	if (fn->n_scan_allow == 0)
		return manifest_bad(err, file, line, "give RULE PATH-REGEX, or "
		    "remove the line", "scan-allow is empty: it allows one "
		    "rule in some paths, and cannot turn the scan off");
	return 0;
}

static int
manifest_key(struct local_function *fn, const char *key, const char *v,
    const char *file, int line, struct dlc_err *err)
{
	char **slot = NULL;
	int rc;

	rc = manifest_build_key(fn, key, v, file, line, err);
	if (rc <= 0)
		return rc;
	if (strcmp(key, "kind") == 0) {
		if (strcmp(v, "function") == 0)
			fn->is_layer = 0;
		else if (strcmp(v, "layer") == 0)
			fn->is_layer = 1;
		else
			return manifest_bad(err, file, line, "write kind = "
			    "function or kind = layer", "kind '%s' is not "
			    "function or layer", v);
		return 0;
	}
	if (strcmp(key, "special") == 0) {
		if (manifest_bool(v, &fn->special) != 0)
			return manifest_bad(err, file, line, "write special = "
			    "true or special = false", "special '%s' is not "
			    "true or false", v);
		return 0;
	}
	if (strcmp(key, "layers") == 0)
		return manifest_layers(fn, v, file, line, err);
	if (strcmp(key, "scan-allow") == 0)
		return manifest_scan_allow(fn, v, file, line, err);
	if (strcmp(key, "name") == 0) {
		if (!manifest_name_ok(v))
			return manifest_bad(err, file, line, "use letters, "
			    "digits, '-' and '_' (at most 140)", "name '%s' is "
			    "not a valid Lambda name", v);
		slot = &fn->remote_base;
	} else if (strcmp(key, "description") == 0) {
		slot = &fn->description;
	} else if (strcmp(key, "trigger") == 0) {
		if (strcmp(v, "dynamodb") != 0 && strcmp(v, "kinesis") != 0 &&
		    strcmp(v, "schedule") != 0)
			return manifest_bad(err, file, line, "write trigger = "
			    "dynamodb, kinesis or schedule", "trigger '%s' is "
			    "not dynamodb, kinesis or schedule", v);
		slot = &fn->trigger;
	} else if (strcmp(key, "runtime") == 0) {
		slot = &fn->runtime;
	} else if (strcmp(key, "handler") == 0) {
		slot = &fn->handler;
	} else if (strcmp(key, "source") == 0) {
		if (v[0] == '/' || strstr(v, "..") != NULL)
			return manifest_bad(err, file, line, "name a folder "
			    "inside the function's folder, e.g. source = src",
			    "source '%s' leaves the function's folder", v);
		slot = &fn->source;
	} else {
		return manifest_bad(err, file, line, "[function] knows kind, "
		    "name, description, trigger, runtime, handler, special, build, "
		    "source, layers, pattern, zip-root, isolate, files and "
		    "scan-allow: "
		    "fix the spelling or remove the line",
		    "unknown key '%s'", key);
	}
	if (*v == '\0' && slot != &fn->description)
		return manifest_bad(err, file, line, "give it a value or "
		    "remove the line to use the default", "'%s' is empty", key);
	free(*slot);
	*slot = xstrdup(v);
	return 0;
}

/*
 * Only build, pattern and scan-allow repeat: a second runtime or special
 * would leave in doubt which one holds.
 */
static int
manifest_repeated(const struct ini_section *sec, size_t i, const char *path,
    struct dlc_err *err)
{
	const char *key = ini_key_at(sec, i, NULL);
	size_t j;

	if (strcmp(key, "build") == 0 || strcmp(key, "pattern") == 0 ||
	    strcmp(key, "scan-allow") == 0)
		return 0;
	for (j = 0; j < i; j++) {
		if (strcmp(ini_key_at(sec, j, NULL), key) == 0)
			return manifest_bad(err, path, ini_key_line_at(sec, i),
			    "keep one of the two lines", "%s is set again (first "
			    "at line %d); only build, pattern and scan-allow repeat", key,
			    ini_key_line_at(sec, j));
	}
	return 0;
}

int
manifest_load_one(const char *functions_dir, const char *name,
    struct local_function *fn, struct dlc_err *err)
{
	const struct ini_section *sec = NULL;
	struct ini *ini;
	const char *key, *raw;
	char *path, *v;
	size_t i;
	int rc = 0;

	memset(fn, 0, sizeof *fn);
	fn->dir = xasprintf("%s/%s", functions_dir, name);
	path = xasprintf("%s/function.ini", fn->dir);
	fn->name = xstrdup(name);
	if (!manifest_name_ok(name)) {
		manifest_bad(err, fn->dir, 0, "rename the folder with letters, "
		    "digits, '-' and '_'", "the folder name is not a valid "
		    "Lambda name");
		goto fail;
	}
	ini = ini_load_multi(path, err);
	if (ini == NULL) {
		if (err != NULL && strcmp(err->code, "ENOENT") == 0)
			manifest_bad(err, path, 0, "add a function.ini (see "
			    "dlc-function(5)), or move the folder out of the "
			    "functions folder", "missing: every folder under "
			    "%s needs one", functions_dir);
		goto fail;
	}
	for (i = 0; i < ini_section_count(ini); i++) {
		const struct ini_section *s = ini_section_at(ini, i);

		if (strcmp(ini_section_name(s), "function") != 0) {
			manifest_bad(err, path, ini_section_line(s), "a manifest "
			    "has one [function] section", "unknown section "
			    "[%s]", ini_section_name(s));
			rc = -1;
			break;
		}
		sec = s;
	}
	if (rc == 0 && sec == NULL) {
		manifest_bad(err, path, 0, "start the file with [function] "
		    "(see dlc-function(5))", "no [function] section");
		rc = -1;
	}
	for (i = 0; rc == 0 && i < ini_key_count(sec); i++) {
		key = ini_key_at(sec, i, &raw);
		if (manifest_repeated(sec, i, path, err) != 0) {
			rc = -1;
			break;
		}
		v = ini_unquote(raw);
		rc = manifest_key(fn, key, v, path, ini_key_line_at(sec, i),
		    err);
		free(v);
	}
	if (rc == 0 && fn->is_layer && (fn->special || fn->n_layers > 0 ||
	    fn->handler != NULL)) {
		manifest_bad(err, path, ini_section_line(sec), "remove handler, "
		    "layers and special from a layer's manifest", "a layer "
		    "has no handler, layers or special build");
		rc = -1;
	}
	ini_free(ini);
	if (rc != 0)
		goto fail;
	if (fn->remote_base == NULL)
		fn->remote_base = xstrdup(name);
	if (fn->description == NULL)
		fn->description = xstrdup("");
	if (fn->runtime == NULL)
		fn->runtime = xstrdup("python3.12");
	if (fn->handler == NULL && !fn->is_layer)
		fn->handler = xstrdup("lambda_function.lambda_handler");
	if (fn->source == NULL)
		fn->source = xstrdup(fn->is_layer ? "." : "src");
	free(path);
	return 0;
fail:
	free(path);
	manifest_free(fn);
	return -1;
}

static int
manifest_cmp(const void *a, const void *b)
{
	return strcmp(((const struct local_function *)a)->name,
	    ((const struct local_function *)b)->name);
}

const struct local_function *
manifest_find(const struct local_function *fns, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(fns[i].name, name) == 0)
			return &fns[i];
	}
	return NULL;
}

/* Every layers entry must be a layer folder of this checkout. */
static int
manifest_check_layers(const struct local_function *fns, size_t n,
    struct dlc_err *err)
{
	const struct local_function *l;
	char *path;
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < fns[i].n_layers; j++) {
			l = manifest_find(fns, n, fns[i].layers[j]);
			if (l != NULL && l->is_layer)
				continue;
			path = xasprintf("%s/function.ini", fns[i].dir);
			manifest_bad(err, path, 0, "name a folder whose "
			    "manifest says kind = layer", "layers names '%s', "
			    "which is %s", fns[i].layers[j], l == NULL ?
			    "not a folder under functions/" :
			    "a function, not a layer");
			free(path);
			return -1;
		}
	}
	return 0;
}

int
manifest_load_dir(const char *functions_dir, struct local_function **out,
    size_t *n, struct dlc_err *err)
{
	struct local_function *fns = NULL;
	struct dirent *de;
	struct stat st;
	size_t count = 0;
	char *path;
	DIR *d;
	int e;

	*out = NULL;
	*n = 0;
	d = opendir(functions_dir);
	if (d == NULL) {
		e = errno;
		dlc_err_what(err, "reading %s", functions_dir);
		dlc_err_set(err, e == ENOENT ? "ENOENT" : "EIO",
		    "cannot open the functions folder %s: %s", functions_dir,
		    strerror(e));
		dlc_err_fix(err, "set `functions = DIR` in dlc.ini's [dlc] "
		    "section to the folder holding one folder per function");
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || de->d_name[0] == '_')
			continue;
		path = xasprintf("%s/%s", functions_dir, de->d_name);
		e = stat(path, &st);
		free(path);
		if (e != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (count == MANIFEST_MAX_FUNCTIONS) {
			dlc_err_what(err, "reading %s", functions_dir);
			dlc_err_set(err, "EFBIG", "%s holds more than %d "
			    "folders", functions_dir, MANIFEST_MAX_FUNCTIONS);
			dlc_err_fix(err, "check that functions = in dlc.ini "
			    "names the functions folder");
			goto fail;
		}
		fns = xreallocarray(fns, count + 1, sizeof *fns);
		if (manifest_load_one(functions_dir, de->d_name, &fns[count],
		    err) != 0)
			goto fail;
		count++;
	}
	closedir(d);
	d = NULL;
	if (count > 0)
		qsort(fns, count, sizeof *fns, manifest_cmp);
	if (manifest_check_layers(fns, count, err) != 0)
		goto fail;
	*out = fns;
	*n = count;
	return 0;
fail:
	if (d != NULL)
		closedir(d);
	manifest_free_all(fns, count);
	return -1;
}

const struct local_function *
manifest_find_remote(const struct local_function *fns, size_t n,
    const struct dlc_env *env, const char *remote_name)
{
	const struct local_function *found = NULL;
	char *local;
	size_t i;

	local = dlc_env_local_name(env, remote_name);
	if (local == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (strcmp(fns[i].remote_base, local) == 0) {
			found = &fns[i];
			break;
		}
	}
	free(local);
	return found;
}
