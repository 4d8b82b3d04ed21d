/*
 * Packages kept for rollback (see package-keep.h). The copy is a fixed
 * /bin/sh script run through proc.c with the paths as its arguments,
 * never as part of the script.
 */
#include "package-keep.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "hash.h"
#include "jobstate.h"
#include "journal.h"
#include "loop.h"
#include "proc.h"
#include "statedir.h"
#include "xmalloc.h"

#define PACKAGE_KEEP_TIMEOUT_MS	(10 * 60 * 1000)

/*
 * A hard link shares the build's inode, which pack wrote to a temporary
 * name, synced and renamed, so a later build never rewrites it in place.
 * Across file systems, a copy. Either way the new name appears only once
 * its bytes are on disk.
 */
static const char package_keep_script[] =
    "set -e\n"
    "ln -f -- \"$1\" \"$3\" 2>/dev/null || cp -f -- \"$1\" \"$3\"\n"
    "sync -- \"$3\"\n"
    "mv -f -- \"$3\" \"$2\"\n"
    "sync -- \"$4\"\n";

struct package_keep {
	struct loop		*loop;
	struct proc		*proc;
	struct loop_timer	*timer;
	char			*dst, *tmp, *dir, *zip;
	struct buf		 errtext;
	package_keep_cb		 cb;
	void			*arg;
};

static int
package_keep_name_ok(const char *s)
{
	return s != NULL && s[0] != '\0' && strcmp(s, ".") != 0 &&
	    strcmp(s, "..") != 0 && strchr(s, '/') == NULL;
}

/* The SHA-256 as 64 lower-case hex digits, from hex or CodeSha256's base64; -1 if neither. */
static int
package_keep_hex(const char *sha, char out[65])
{
	struct buf raw;
	size_t i, len = sha != NULL ? strlen(sha) : 0;
	int rc = -1;

	if (len == 64) {
		for (i = 0; i < 64; i++) {
			if (!isxdigit((unsigned char)sha[i]))
				return -1;
			out[i] = (char)tolower((unsigned char)sha[i]);
		}
		out[64] = '\0';
		return 0;
	}
	if (len != 44)
		return -1;
	buf_init(&raw, 64);
	if (hash_base64_decode(sha, len, &raw) == 0 && raw.len == 32) {
		hash_hex((const unsigned char *)raw.data, 32, out);
		rc = 0;
	}
	buf_free(&raw);
	return rc;
}

static char *
package_keep_dir(const char *env, const char *name)
{
	char *rel, *dir;

	if (!package_keep_name_ok(env) || !package_keep_name_ok(name))
		return NULL;
	rel = xasprintf("packages/%s/%s", env, name);
	dir = state_dir_path(rel);
	free(rel);
	return dir;
}

char *
package_keep_path(const char *env, const char *name, const char *sha256)
{
	char hex[65], *dir, *path;

	if (package_keep_hex(sha256, hex) != 0)
		return NULL;
	dir = package_keep_dir(env, name);
	if (dir == NULL)
		return NULL;
	path = xasprintf("%s/%s.zip", dir, hex);
	free(dir);
	return path;
}

char *
package_keep_find(const char *env, const char *name, const char *sha256)
{
	char *path = package_keep_path(env, name, sha256);
	struct stat st;

	if (path != NULL && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
		free(path);
		path = NULL;
	}
	return path;
}

static void
package_keep_finish(struct package_keep *k, const struct dlc_err *err)
{
	package_keep_cb cb = k->cb;

	k->cb = NULL;
	/* Last: the caller may free k in cb. */
	if (cb != NULL)
		cb(err == NULL ? k->dst : NULL, err, k->arg);
}

static void
package_keep_kept_already(void *arg)
{
	package_keep_finish(arg, NULL);
}

static void
package_keep_line(struct proc *p, int stream, const char *line, size_t len,
    int flags, void *arg)
{
	struct package_keep *k = arg;

	(void)p;
	(void)flags;
	if (stream == PROC_STDERR && k->errtext.len == 0)
		buf_append(&k->errtext, line, len);
}

static void
package_keep_done(struct proc *p, const struct proc_result *r, void *arg)
{
	struct package_keep *k = arg;
	struct dlc_err err;
	int ok = r->exit_code == 0;

	proc_free(p);
	k->proc = NULL;
	if (ok) {
		package_keep_finish(k, NULL);
		return;
	}
	unlink(k->tmp);
	dlc_err_clear(&err);
	dlc_err_set(&err, "PackageKeepFailed", "keeping %s as %s: %s", k->zip,
	    k->dst, k->errtext.len > 0 ? k->errtext.data : "the copy failed");
	dlc_err_fix(&err, "free space under the state folder; rollback "
	    "to this deployment needs its package");
	package_keep_finish(k, &err);
}

struct package_keep *
package_keep_start(struct loop *loop, const char *env, const char *name,
    const char *zip, const char *sha256, package_keep_cb cb, void *arg,
    struct dlc_err *err)
{
	static unsigned counter;
	struct package_keep *k;
	struct proc_spec spec;
	struct stat st, zst;
	char *argv[9];

	k = xcalloc(1, sizeof(*k));
	k->loop = loop;
	k->cb = cb;
	k->arg = arg;
	k->zip = xstrdup(zip);
	buf_init(&k->errtext, 1024);
	k->dst = package_keep_path(env, name, sha256);
	if (k->dst == NULL) {
		dlc_err_set(err, "PackageKeepRefused", "cannot keep a package "
		    "for %s in %s with SHA-256 '%s'", name, env,
		    sha256 != NULL ? sha256 : "");
		dlc_err_fix(err, "this is a bug in dlc: the name, environment "
		    "or digest is not what a package path can hold");
		goto fail;
	}
	if (stat(zip, &zst) != 0) {
		dlc_err_set(err, "PackageKeepFailed", "keeping %s: %s", zip,
		    strerror(errno));
		dlc_err_fix(err, "build the function again");
		goto fail;
	}
	if (state_dir_make_parents(k->dst, err) != 0)
		goto fail;
	if (stat(k->dst, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == zst.st_size) {
		/* Same digest, same size: kept by an earlier deployment. */
		k->timer = loop_timer_new(loop, package_keep_kept_already, k);
		loop_timer_start(k->timer, 0);
		return k;
	}
	k->tmp = xasprintf("%s.tmp.%ld.%u", k->dst, (long)getpid(), counter++);
	k->dir = xstrdup(k->dst);
	*strrchr(k->dir, '/') = '\0';
	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = (char *)package_keep_script;
	argv[3] = "package-keep";	/* $0 */
	argv[4] = k->zip;
	argv[5] = k->dst;
	argv[6] = k->tmp;
	argv[7] = k->dir;
	argv[8] = NULL;
	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.timeout_ms = PACKAGE_KEEP_TIMEOUT_MS;
	spec.output_limit = 64 * 1024;
	k->proc = proc_spawn(loop, &spec, package_keep_line, package_keep_done,
	    k, err);
	if (k->proc == NULL)
		goto fail;
	return k;
fail:
	package_keep_free(k);
	return NULL;
}

void
package_keep_free(struct package_keep *k)
{
	if (k == NULL)
		return;
	proc_free(k->proc);
	loop_timer_free(k->timer);
	buf_free(&k->errtext);
	free(k->dst);
	free(k->tmp);
	free(k->dir);
	free(k->zip);
	free(k);
}

/* ---- pruning ---- */

struct package_keep_set {
	char	**paths;
	size_t	  n, cap;
};

static void
package_keep_set_add(struct package_keep_set *s, char *path)
{
	if (path == NULL)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->paths = xreallocarray(s->paths, s->cap, sizeof(*s->paths));
	}
	s->paths[s->n++] = path;
}

static int
package_keep_set_has(const struct package_keep_set *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->paths[i], path) == 0)
			return 1;
	return 0;
}

static int
package_keep_by_end_desc(const void *a, const void *b)
{
	const struct jobstate *x = *(const struct jobstate *const *)a;
	const struct jobstate *y = *(const struct jobstate *const *)b;

	if (x->ended_ms != y->ended_ms)
		return x->ended_ms > y->ended_ms ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
package_keep_is_of(const struct jobstate *j, const char *env, const char *name)
{
	return j->env != NULL && j->function != NULL &&
	    strcmp(j->env, env) == 0 && strcmp(j->function, name) == 0;
}

/* What must stay; -1 when the history is too short to say. */
static int
package_keep_wanted(const char *env, const char *name, size_t keep,
    const struct jobstate_set *jobs, struct package_keep_set *wanted)
{
	size_t i, n = jobstate_set_count(jobs), ndep = 0;
	const struct jobstate **dep = xcalloc(n + 1, sizeof(*dep));
	const struct jobstate *j;

	for (i = 0; i < n; i++) {
		j = jobstate_set_nth(jobs, i);
		if (j->state != JOBSTATE_ENDED) {
			/* A rollback waiting to send it, or a deployment not yet ended. */
			if (j->package != NULL)
				package_keep_set_add(wanted, xstrdup(j->package));
			continue;
		}
		if (package_keep_is_of(j, env, name) && j->outcome != NULL &&
		    strcmp(j->outcome, "deployed") == 0)
			dep[ndep++] = j;
	}
	if (ndep < keep) {
		free(dep);
		return -1;
	}
	qsort(dep, ndep, sizeof(*dep), package_keep_by_end_desc);
	for (i = 0; i < keep; i++) {
		if (dep[i]->package != NULL)
			package_keep_set_add(wanted, xstrdup(dep[i]->package));
		package_keep_set_add(wanted, package_keep_path(env, name,
		    dep[i]->code_sha256));
	}
	free(dep);
	return 0;
}

/* A temporary file whose copying process is gone: "X.zip.tmp.PID.N". */
static int
package_keep_stale_tmp(const char *file)
{
	const char *t = strstr(file, ".zip.tmp.");
	char *end;
	long pid;

	if (t == NULL)
		return 0;
	errno = 0;
	pid = strtol(t + 9, &end, 10);
	if (errno != 0 || end == t + 9 || *end != '.' || pid <= 0)
		return 0;
	return journal_pid_start((pid_t)pid) < 0;
}

int
package_keep_prune(const char *env, const char *name, size_t keep,
    const struct jobstate_set *jobs, const char *also_keep,
    struct dlc_err *err)
{
	struct package_keep_set wanted = { NULL, 0, 0 };
	char *dir = package_keep_dir(env, name), *path;
	struct dirent *de;
	size_t len, i;
	int removed = 0, known;
	DIR *d;

	if (dir == NULL)
		return dlc_err_set(err, "PackageKeepRefused", "no package "
		    "folder for '%s' in '%s'", name, env);
	known = package_keep_wanted(env, name, keep, jobs, &wanted);
	if (also_keep != NULL)
		package_keep_set_add(&wanted, xstrdup(also_keep));
	d = opendir(dir);
	if (d == NULL) {
		if (errno != ENOENT)
			removed = dlc_err_set(err, "PackageKeepFailed",
			    "reading %s: %s", dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		path = xasprintf("%s/%s", dir, de->d_name);
		if (package_keep_stale_tmp(de->d_name)) {
			unlink(path);
		} else if (known == 0 && len > 4 &&
		    strcmp(de->d_name + len - 4, ".zip") == 0 &&
		    !package_keep_set_has(&wanted, path)) {
			if (unlink(path) == 0)
				removed++;
		}
		free(path);
	}
	closedir(d);
out:
	for (i = 0; i < wanted.n; i++)
		free(wanted.paths[i]);
	free(wanted.paths);
	free(dir);
	return removed;
}
