/*
 * One build as a chain of children on the loop (see build.h): stage copy,
 * the optional venv, the commands one by one, the packer, then the
 * staging folder's removal. Each step starts from the previous one's done
 * callback; nothing here waits.
 */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build-hash.h"
#include "build-stage.h"
#include "dlcconfig.h"
#include "hash.h"
#include "ini.h"
#include "loop.h"
#include "manifest.h"
#include "pack.h"
#include "proc.h"
#include "xmalloc.h"

extern char **environ;

/* The failing command's last lines shown in the error. */
#define BUILD_TAIL_LINES	8
#define BUILD_TAIL_LINE_MAX	160
/* A build command may run this long (pip on a slow mirror): then it is killed. */
#define BUILD_COMMAND_TIMEOUT_MS	(30L * 60 * 1000)
#define BUILD_GRACE_MS		2000
/* Input bytes hashed per loop turn: a few milliseconds. */
#define BUILD_HASH_SLICE	(4u * 1024 * 1024)

enum build_step {
	BUILD_STEP_HASHING,	/* a large folder: hashed a slice per loop turn */
	BUILD_STEP_HASH,	/* hashed and staged: the copy is next */
	BUILD_STEP_STAGE,
	BUILD_STEP_VENV,
	BUILD_STEP_COMMAND,
	BUILD_STEP_PACK,
	BUILD_STEP_REMOVE,
	BUILD_STEP_DONE
};

struct build {
	struct loop		*loop;
	char			*name;
	char			*src_dir;
	char			*build_dir;
	char			*stage;		/* BUILD_DIR/.NAME.stage-XXXXXX */
	char			*work;		/* stage/src: the copy the commands run in */
	char			*zip_root;	/* inside work */
	char			*zip_path;
	char			*sha_path;
	char			*log_path;
	int			 log_fd;
	char			**commands;	/* copies of the manifest's */
	size_t			 n_commands;
	char			**patterns;
	size_t			 n_patterns;
	char			**files;
	size_t			 n_files;
	size_t			 cur;		/* the command running, 0-based */
	int			 venv;
	char			**env;		/* the commands' environment */
	char			*path_var;	/* its PATH, for finding argv[0] */
	char			*inputs_path;	/* BUILD_DIR/NAME.zip.inputs */
	struct build_hash	*hash;		/* the inputs' hash, while it is read */
	char			*root_rel;	/* zip-root, else source */
	int			 flags;
	char			 inputs_hex[65];
	struct loop_timer	*kick;		/* delivers a skip from the loop */
	enum build_step		 step;
	struct proc		*proc;
	struct pack		*pack;
	build_line_cb		 line;
	build_progress_cb	 progress;
	build_done_cb		 done;
	void			*arg;
	struct build_result	 res;
	int			 ok;
	struct dlc_err		 err;		/* the failure, kept until the stage is gone */
	char			 tail[BUILD_TAIL_LINES][BUILD_TAIL_LINE_MAX];
	size_t			 n_tail;	/* lines seen of the current step */
	char			 child_error[1024];	/* a dlc child's "error" line */
	char			 phase[48];	/* "command N/M" */
	int			 cancelled;
	int			 released;
	int			 in_done;
};

static void	build_next(struct build *b);
static void	build_fail(struct build *b);
static void	build_finish(struct build *b);

/* dlc.ini's build-dir; a dlc_config made by hand (tests) gets the default. */
static char *
build_dir_of(const struct dlc_config *cfg)
{
	if (cfg->build_dir != NULL)
		return xstrdup(cfg->build_dir);
	return xasprintf("%s/.dlc/build", cfg->dir != NULL ? cfg->dir : ".");
}

char *
build_zip_path(const struct dlc_config *cfg, const struct local_function *fn)
{
	char *dir = build_dir_of(cfg), *zip;

	zip = xasprintf("%s/%s.zip", dir, fn->name);
	free(dir);
	return zip;
}

static void
build_destroy(struct build *b)
{
	proc_free(b->proc);
	pack_free(b->pack);
	loop_timer_free(b->kick);
	build_hash_free(b->hash);
	free(b->root_rel);
	if (b->log_fd >= 0)
		close(b->log_fd);
	ini_words_free(b->commands);
	ini_words_free(b->patterns);
	ini_words_free(b->files);
	ini_words_free(b->env);
	free(b->path_var);
	free(b->name);
	free(b->src_dir);
	free(b->build_dir);
	free(b->stage);
	free(b->work);
	free(b->zip_root);
	free(b->zip_path);
	free(b->sha_path);
	free(b->log_path);
	free(b->inputs_path);
	free(b->res.zip_path);
	free(b);
}

static void
build_log(struct build *b, const char *text, size_t len)
{
	if (b->log_fd < 0)
		return;
	/* The log is a record, not the build: a full disk shows in the zip's write. */
	(void)!write(b->log_fd, text, len);
	(void)!write(b->log_fd, "\n", 1);
}

/* A note of dlc's own: in the log, and on stream 0 to the caller. */
static void
build_note(struct build *b, const char *text)
{
	build_log(b, text, strlen(text));
	if (b->line != NULL && !b->released)
		b->line(b->name, 0, text, strlen(text), b->arg);
}

static void
build_progress(struct build *b, const char *phase, uint64_t done, uint64_t total)
{
	struct build_progress pr;

	if (b->progress == NULL || b->released)
		return;
	memset(&pr, 0, sizeof pr);
	pr.name = b->name;
	pr.phase = phase;
	pr.commands = b->n_commands;
	if (b->step == BUILD_STEP_COMMAND && strcmp(phase, "command") == 0) {
		pr.command = b->cur + 1;
		pr.command_line = b->commands[b->cur];
		snprintf(b->phase, sizeof b->phase, "command %zu/%zu", pr.command, pr.commands);
		pr.phase = b->phase;
	}
	pr.done = done;
	pr.total = total;
	b->progress(&pr, b->arg);
}

static void
build_tail_add(struct build *b, const char *line, size_t len)
{
	char *slot = b->tail[b->n_tail % BUILD_TAIL_LINES];

	snprintf(slot, BUILD_TAIL_LINE_MAX, "%.*s", (int)len, line);
	b->n_tail++;
}

/* The last lines of the step that failed, oldest first, into the message. */
static void
build_tail_append(struct build *b, char *msg, size_t size)
{
	size_t first, i, used;

	if (b->n_tail == 0)
		return;
	first = b->n_tail > BUILD_TAIL_LINES ? b->n_tail - BUILD_TAIL_LINES : 0;
	for (i = first; i < b->n_tail; i++) {
		used = strlen(msg);
		if (used + 2 >= size)
			return;
		snprintf(msg + used, size - used, "\n  | %s", b->tail[i % BUILD_TAIL_LINES]);
	}
}

static void
build_proc_line(struct proc *proc, int stream, const char *line, size_t len,
    int flags, void *arg)
{
	struct build *b = arg;

	(void)proc;
	(void)flags;
	if (b->step == BUILD_STEP_STAGE || b->step == BUILD_STEP_REMOVE) {
		/* dlc's own child: only its error line matters. */
		if (stream == PROC_STDOUT && strncmp(line, "error ", 6) == 0)
			snprintf(b->child_error, sizeof b->child_error, "%s", line + 6);
		return;
	}
	build_tail_add(b, line, len);
	build_log(b, line, len);
	if (b->line != NULL && !b->released)
		b->line(b->name, stream, line, len, b->arg);
}

/* Where argv0 is on the build's PATH (the venv's first): exec looks at dlc's own. */
static char *
build_which(const struct build *b, const char *argv0)
{
	const char *p, *end;
	char *cand;

	if (strchr(argv0, '/') != NULL || b->path_var == NULL)
		return xstrdup(argv0);
	for (p = b->path_var; ; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p) {
			cand = xasprintf("%.*s/%s", (int)(end - p), p, argv0);
			if (access(cand, X_OK) == 0)
				return cand;
			free(cand);
		}
		if (*end == '\0')
			return xstrdup(argv0);
	}
}

static void build_proc_done(struct proc *proc, const struct proc_result *r, void *arg);

static int
build_spawn(struct build *b, char *const *argv, const char *cwd, int own_env)
{
	struct proc_spec spec;
	char **av;
	size_t n;
	int rc = 0;

	for (n = 0; argv[n] != NULL; n++)
		;
	/* The caller's argv stays as it was: only the program is looked up. */
	av = xcalloc(n + 1, sizeof *av);
	memcpy(av, argv, n * sizeof *av);
	av[0] = own_env ? build_which(b, argv[0]) : xstrdup(argv[0]);
	memset(&spec, 0, sizeof spec);
	spec.argv = av;
	spec.cwd = cwd;
	spec.env = own_env ? b->env : NULL;
	spec.grace_ms = BUILD_GRACE_MS;
	spec.timeout_ms = own_env ? BUILD_COMMAND_TIMEOUT_MS : 0;
	b->n_tail = 0;
	b->child_error[0] = '\0';
	b->proc = proc_spawn(b->loop, &spec, build_proc_line, build_proc_done, b, &b->err);
	if (b->proc == NULL)
		rc = -1;
	free(av[0]);
	free(av);
	return rc;
}

static const char *build_program = "/proc/self/exe";

static int
build_spawn_stage(struct build *b, const char *op, const char *a1, const char *a2)
{
	char *argv[6];

	argv[0] = (char *)build_program;
	argv[1] = (char *)BUILD_STAGE_COMMAND;
	argv[2] = (char *)op;
	argv[3] = (char *)a1;
	argv[4] = (char *)a2;
	argv[5] = NULL;
	return build_spawn(b, argv, NULL, 0);
}

int
build_may_start(const struct local_function *fn, size_t running,
    int special_running)
{
	if (running == 0)
		return 1;
	return running < BUILD_PARALLEL && !special_running && !fn->special;
}

void
build_set_program(const char *path)
{
	build_program = path != NULL ? path : "/proc/self/exe";
	pack_set_program(path);
}

/* The commands' environment: dlc's, with a home, temp and pip cache of the build's own. */
static void
build_make_env(struct build *b)
{
	static const char *const drop[] = {
		"HOME=", "TMPDIR=", "PIP_CACHE_DIR=", "PATH=", "VIRTUAL_ENV=",
		"PYTHONHOME=", "PWD=", "OLDPWD=", "PYTHONHASHSEED=", NULL
	};
	const char *path = getenv("PATH");
	size_t n = 0, i, j;
	int sde = getenv("SOURCE_DATE_EPOCH") != NULL;

	for (i = 0; environ[i] != NULL; i++)
		n++;
	b->env = xcalloc(n + 12, sizeof *b->env);
	n = 0;
	for (i = 0; environ[i] != NULL; i++) {
		for (j = 0; drop[j] != NULL; j++)
			if (strncmp(environ[i], drop[j], strlen(drop[j])) == 0)
				break;
		if (drop[j] == NULL)
			b->env[n++] = xstrdup(environ[i]);
	}
	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	if (b->venv) {
		b->path_var = xasprintf("%s/venv/bin:%s", b->stage, path);
		b->env[n++] = xasprintf("VIRTUAL_ENV=%s/venv", b->stage);
	} else {
		b->path_var = xstrdup(path);
	}
	b->env[n++] = xasprintf("PATH=%s", b->path_var);
	b->env[n++] = xasprintf("HOME=%s/home", b->stage);
	b->env[n++] = xasprintf("TMPDIR=%s/tmp", b->stage);
	b->env[n++] = xasprintf("PIP_CACHE_DIR=%s/pip-cache", b->stage);
	b->env[n++] = xasprintf("PWD=%s", b->work);
	/* The same .pyc bytes from every build: Python hashes instead of stamping mtimes. */
	if (!sde)
		b->env[n++] = xstrdup("SOURCE_DATE_EPOCH=315532800");
	b->env[n++] = xstrdup("PYTHONHASHSEED=0");
	b->env[n] = NULL;
}

static void
build_pack_progress(const struct pack_progress *pr, void *arg)
{
	struct build *b = arg;

	build_progress(b, "zip", pr->bytes_done, pr->bytes_total);
}

/* NAME.zip.sha256 (and the inputs' hash) beside the zip, each replaced whole. */
static int
build_write_beside(struct build *b, const char *path, const char *text)
{
	char *tmp = xasprintf("%s.%s.tmp", path, b->stage + strlen(b->stage) - 6);
	size_t len = strlen(text);
	int fd, rc = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 &&
		    close(fd) == 0)
			rc = rename(tmp, path);
		else
			close(fd);
	}
	if (rc != 0) {
		dlc_err_set(&b->err, "BuildFailed", "cannot write %s: %s", path, strerror(errno));
		dlc_err_fix(&b->err, "check that the build folder %s is writable", b->build_dir);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

static void
build_pack_done(const struct pack_result *r, const struct dlc_err *err, void *arg)
{
	struct build *b = arg;

	pack_free(b->pack);
	b->pack = NULL;
	if (r == NULL) {
		b->err = *err;
		build_fail(b);
		return;
	}
	b->res.size = r->size;
	memcpy(b->res.code_sha256, r->code_sha256, sizeof b->res.code_sha256);
	memcpy(b->res.sha256_hex, r->sha256_hex, sizeof b->res.sha256_hex);
	if (build_write_beside(b, b->sha_path, r->code_sha256) != 0 ||
	    (b->inputs_hex[0] != '\0' &&
	    build_write_beside(b, b->inputs_path, b->inputs_hex) != 0)) {
		build_fail(b);
		return;
	}
	b->ok = 1;
	build_next(b);
}

static void
build_start_command(struct build *b)
{
	char **words = NULL, *msg;
	size_t n = 0;

	msg = xasprintf("$ %s", b->commands[b->cur]);
	build_note(b, msg);
	free(msg);
	build_progress(b, "command", 0, 0);
	if (ini_split_words(b->commands[b->cur], &words, &n, &b->err) != 0 || n == 0) {
		/* The manifest refuses both; a hand-made local_function may not. */
		if (n == 0 && !dlc_err_isset(&b->err))
			dlc_err_set(&b->err, "BuildFailed", "build command %zu is empty", b->cur + 1);
		ini_words_free(words);
		build_fail(b);
		return;
	}
	if (build_spawn(b, words, b->work, 1) != 0) {
		ini_words_free(words);
		build_fail(b);
		return;
	}
	ini_words_free(words);
}

static void
build_start_pack(struct build *b)
{
	struct pack_opts opts;

	b->step = BUILD_STEP_PACK;
	build_progress(b, "zip", 0, 0);
	opts.patterns = b->patterns;
	opts.n_patterns = b->n_patterns;
	opts.files = b->files;
	opts.n_files = b->n_files;
	b->pack = pack_start_opts(b->loop, b->zip_root, b->zip_path, &opts,
	    build_pack_progress, build_pack_done, b, &b->err);
	if (b->pack == NULL)
		build_fail(b);
}

/* From one step to the next after a success. */
static void
build_next(struct build *b)
{
	char *argv[5];

	switch (b->step) {
	case BUILD_STEP_HASH:
		b->step = BUILD_STEP_STAGE;
		build_progress(b, "stage", 0, 0);
		if (build_spawn_stage(b, "copy", b->src_dir, b->work) != 0)
			build_fail(b);
		return;
	case BUILD_STEP_STAGE:
		if (b->venv) {
			b->step = BUILD_STEP_VENV;
			build_progress(b, "venv", 0, 0);
			argv[0] = (char *)"python3";
			argv[1] = (char *)"-m";
			argv[2] = (char *)"venv";
			argv[3] = xasprintf("%s/venv", b->stage);
			argv[4] = NULL;
			build_note(b, "$ python3 -m venv STAGE/venv");
			/* venv/bin does not exist yet: the python3 found is the system's. */
			if (build_spawn(b, argv, b->work, 1) != 0)
				build_fail(b);
			free(argv[3]);
			return;
		}
		/* FALLTHROUGH */
	case BUILD_STEP_VENV:
		b->step = BUILD_STEP_COMMAND;
		b->cur = 0;
		if (b->n_commands > 0)
			build_start_command(b);
		else
			build_start_pack(b);
		return;
	case BUILD_STEP_COMMAND:
		if (++b->cur < b->n_commands)
			build_start_command(b);
		else
			build_start_pack(b);
		return;
	case BUILD_STEP_PACK:
		b->step = BUILD_STEP_REMOVE;
		build_progress(b, "cleanup", 0, 0);
		if (build_spawn_stage(b, "remove", b->stage, NULL) != 0)
			build_finish(b);
		return;
	case BUILD_STEP_HASHING:	/* build_kick's own: never here */
	case BUILD_STEP_REMOVE:
	case BUILD_STEP_DONE:
		build_finish(b);
		return;
	}
}

/* err is set: the staging folder goes, then done reports err. */
static void
build_fail(struct build *b)
{
	b->ok = 0;
	if (b->cancelled && strcmp(b->err.code, "Cancelled") != 0) {
		dlc_err_clear(&b->err);
		dlc_err_set(&b->err, "Cancelled", "the build of %s was cancelled; "
		    "its zip was left as it was", b->name);
	}
	if (b->step == BUILD_STEP_REMOVE || b->stage == NULL) {
		build_finish(b);
		return;
	}
	b->step = BUILD_STEP_REMOVE;
	if (build_spawn_stage(b, "remove", b->stage, NULL) != 0)
		build_finish(b);
}

static void
build_finish(struct build *b)
{
	b->step = BUILD_STEP_DONE;
	if (b->log_fd >= 0) {
		close(b->log_fd);
		b->log_fd = -1;
	}
	if (b->released) {
		build_destroy(b);
		return;
	}
	if (b->ok && b->res.zip_path == NULL)
		b->res.zip_path = xstrdup(b->zip_path);
	if (!b->ok)
		dlc_err_what(&b->err, "building %s", b->name);
	build_progress(b, "done", 0, 0);
	b->in_done = 1;
	if (b->ok)
		b->done(&b->res, NULL, b->arg);
	else
		b->done(NULL, &b->err, b->arg);
	b->in_done = 0;
	if (b->released)
		build_destroy(b);
}

static void
build_proc_done(struct proc *proc, const struct proc_result *r, void *arg)
{
	struct build *b = arg;
	char msg[1024];

	(void)proc;
	proc_free(b->proc);
	b->proc = NULL;
	if (b->step == BUILD_STEP_REMOVE) {
		build_finish(b);	/* a leftover stage is no reason to lose the zip */
		return;
	}
	if (b->cancelled || r->cancelled) {
		build_fail(b);
		return;
	}
	if (r->exit_code == 0) {
		build_next(b);
		return;
	}
	if (b->step == BUILD_STEP_STAGE) {
		dlc_err_set(&b->err, "BuildFailed", "copying %s into the staging folder: %s",
		    b->src_dir, b->child_error[0] != '\0' ? b->child_error :
		    "the copy failed");
		dlc_err_fix(&b->err, "fix the file named above in the function's folder");
	} else {
		if (r->exit_code < 0)
			snprintf(msg, sizeof msg, "was killed by signal %d%s", r->signo,
			    r->timed_out ? " (it ran too long)" : "");
		else
			snprintf(msg, sizeof msg, "ended with code %d", r->exit_code);
		if (b->step == BUILD_STEP_VENV)
			dlc_err_set(&b->err, "BuildFailed", "python3 -m venv %s", msg);
		else
			dlc_err_set(&b->err, "BuildFailed", "build command %zu of %zu (%s) %s",
			    b->cur + 1, b->n_commands, b->commands[b->cur], msg);
		build_tail_append(b, b->err.message, sizeof b->err.message);
		if (b->step == BUILD_STEP_VENV)
			dlc_err_fix(&b->err, "install python3-venv, or remove isolate = venv "
			    "from the manifest");
		else
			dlc_err_fix(&b->err, "fix the command or the files it reads; the whole "
			    "output is in %s", b->log_path);
	}
	build_fail(b);
}

static int	build_prepare(struct build *b, struct dlc_err *err);

static void
build_kick(void *arg)
{
	struct build *b = arg;
	int r;

	if (b->step != BUILD_STEP_HASHING) {
		build_next(b);
		return;
	}
	r = build_hash_step(b->hash, BUILD_HASH_SLICE, b->inputs_hex, &b->err);
	if (r == 0) {
		loop_timer_start(b->kick, 0);	/* keys and transfers run between slices */
		return;
	}
	build_hash_free(b->hash);
	b->hash = NULL;
	if (r < 0 || build_prepare(b, &b->err) != 0) {
		build_fail(b);
		return;
	}
	if (b->step == BUILD_STEP_DONE)
		build_finish(b);	/* unchanged */
	else
		build_next(b);
}

/* A NULL-terminated copy: the manifest may be reloaded while the build runs. */
static char **
build_strv_dup(char *const *v, size_t n)
{
	char **out = xcalloc(n + 1, sizeof *out);
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

static int
build_mkdirs(const char *dir, struct dlc_err *err)
{
	char *p = xstrdup(dir), *s;
	int rc = 0;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*s = c;
		if (c == '\0')
			break;
	}
	if (rc != 0) {
		dlc_err_set(err, "BuildFailed", "cannot make the build folder %s: %s", dir,
		    strerror(errno));
		dlc_err_fix(err, "set build-dir in dlc.ini to a folder you can write");
	}
	free(p);
	return rc;
}

/*
 * The inputs are hashed: an unchanged build is done (step DONE, result
 * filled); else the staging folder, the log and the commands' environment
 * are made (step HASH). -1 with err, nothing left behind.
 */
static int
build_prepare(struct build *b, struct dlc_err *err)
{
	static const char *const subs[] = { "src", "home", "tmp", "pip-cache", NULL };
	char *sub;
	size_t i;

	if (!(b->flags & BUILD_FORCE) && build_hash_unchanged(b->inputs_path, b->inputs_hex,
	    b->zip_path, b->sha_path, &b->res)) {
		b->ok = 1;
		b->res.skipped = 1;
		b->res.zip_path = xstrdup(b->zip_path);
		b->step = BUILD_STEP_DONE;
		return 0;
	}
	b->stage = xasprintf("%s/.%s.stage-XXXXXX", b->build_dir, b->name);
	if (mkdtemp(b->stage) == NULL) {
		dlc_err_set(err, "BuildFailed", "cannot make a staging folder in %s: %s",
		    b->build_dir, strerror(errno));
		dlc_err_fix(err, "set build-dir in dlc.ini to a folder you can write");
		free(b->stage);
		b->stage = NULL;
		return -1;
	}
	b->work = xasprintf("%s/src", b->stage);
	b->zip_root = strcmp(b->root_rel, ".") == 0 ? xstrdup(b->work) :
	    xasprintf("%s/%s", b->work, b->root_rel);
	for (i = 0; subs[i] != NULL; i++) {
		sub = xasprintf("%s/%s", b->stage, subs[i]);
		if (mkdir(sub, 0700) != 0) {
			dlc_err_set(err, "BuildFailed", "cannot make %s: %s", sub, strerror(errno));
			free(sub);
			goto fail;
		}
		free(sub);
	}
	/* Written in place, beside the zip: NAME is this function's alone. */
	b->log_fd = open(b->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_APPEND, 0644);
	if (b->log_fd < 0) {
		dlc_err_set(err, "BuildFailed", "cannot write %s: %s", b->log_path, strerror(errno));
		dlc_err_fix(err, "set build-dir in dlc.ini to a folder you can write");
		goto fail;
	}
	build_make_env(b);
	b->step = BUILD_STEP_HASH;
	return 0;
fail:
	/* Nothing has run in it yet: a few empty folders. */
	for (i = 0; subs[i] != NULL; i++) {
		sub = xasprintf("%s/%s", b->stage, subs[i]);
		rmdir(sub);
		free(sub);
	}
	rmdir(b->stage);
	free(b->stage);
	b->stage = NULL;
	return -1;
}

struct build *
build_start(struct loop *loop, const struct dlc_config *cfg,
    const struct local_function *fn, int flags, build_line_cb line,
    build_progress_cb progress, build_done_cb done, void *arg,
    struct dlc_err *err)
{
	struct build *b;
	char *dir = NULL;
	int r;

	b = xcalloc(1, sizeof *b);
	b->loop = loop;
	b->log_fd = -1;
	b->name = xstrdup(fn->name);
	b->src_dir = xstrdup(fn->dir);
	b->line = line;
	b->progress = progress;
	b->done = done;
	b->arg = arg;
	b->venv = fn->isolate == MANIFEST_ISOLATE_VENV;
	dlc_err_clear(&b->err);
	b->commands = build_strv_dup(fn->commands, fn->n_commands);
	b->n_commands = fn->n_commands;
	b->patterns = build_strv_dup(fn->patterns, fn->n_patterns);
	b->n_patterns = fn->n_patterns;
	b->files = build_strv_dup(fn->files, fn->n_files);
	b->n_files = fn->n_files;
	b->kick = loop_timer_new(loop, build_kick, b);
	dir = build_dir_of(cfg);
	if (build_mkdirs(dir, err) != 0)
		goto fail;
	/* Absolute: the commands run elsewhere, and HOME or PATH must not move with them. */
	b->build_dir = realpath(dir, NULL);
	if (b->build_dir == NULL) {
		dlc_err_set(err, "BuildFailed", "cannot use the build folder %s: %s",
		    dir, strerror(errno));
		dlc_err_fix(err, "set build-dir in dlc.ini to a folder you can write");
		goto fail;
	}
	b->zip_path = xasprintf("%s/%s.zip", b->build_dir, fn->name);
	b->sha_path = xasprintf("%s.sha256", b->zip_path);
	b->inputs_path = xasprintf("%s.inputs", b->zip_path);
	b->log_path = xasprintf("%s/%s.build.log", b->build_dir, fn->name);
	b->flags = flags;
	b->root_rel = xstrdup(fn->zip_root != NULL ? fn->zip_root :
	    fn->source != NULL ? fn->source : ".");
	/* A function's folder is small: hashed here at once, else a slice per turn. */
	b->hash = build_hash_begin(fn, b->build_dir, err);
	if (b->hash == NULL)
		goto fail;
	r = build_hash_step(b->hash, BUILD_HASH_SLICE, b->inputs_hex, err);
	if (r < 0)
		goto fail;
	if (r == 0) {
		b->step = BUILD_STEP_HASHING;
		loop_timer_start(b->kick, 0);
		free(dir);
		return b;
	}
	build_hash_free(b->hash);
	b->hash = NULL;
	if (build_prepare(b, err) != 0)
		goto fail;
	/* Either way from the loop: callbacks never run before build_start returns. */
	loop_timer_start(b->kick, 0);
	free(dir);
	return b;
fail:
	free(dir);
	dlc_err_what(err, "building %s", fn->name);
	build_destroy(b);
	return NULL;
}

void
build_cancel(struct build *b)
{
	if (b == NULL || b->step == BUILD_STEP_DONE || b->step == BUILD_STEP_REMOVE)
		return;
	b->cancelled = 1;
	if (b->proc != NULL)
		proc_cancel(b->proc);
	else if (b->pack != NULL)
		pack_cancel(b->pack);
	else if (loop_timer_pending(b->kick)) {
		loop_timer_stop(b->kick);
		dlc_err_set(&b->err, "Cancelled", "the build of %s was cancelled", b->name);
		build_fail(b);
	}
}

void
build_free(struct build *b)
{
	if (b == NULL || b->released)
		return;
	b->released = 1;
	if (b->in_done)
		return;
	if (b->step == BUILD_STEP_DONE) {
		build_destroy(b);
		return;
	}
	/* Running: let the child die, then the staging folder goes (build_fail). */
	build_cancel(b);
}
