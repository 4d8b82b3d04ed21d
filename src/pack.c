/*
 * The parent side of packing: make the temporary folder, run the packer
 * child through proc.c, turn its lines into progress and a result, and
 * remove the temporary folder once the child has been reaped, so nothing
 * can still be writing into it.
 */
#include "pack.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pack-zip.h"
#include "proc.h"
#include "xmalloc.h"

/* SIGTERM kills the packer at once (it catches nothing); this is a backstop. */
#define PACK_GRACE_MS	1000

struct pack {
	struct proc		*proc;
	char			*src;
	char			*tmpdir;
	pack_progress_cb	 progress;
	pack_done_cb		 done;
	void			*arg;
	struct pack_progress	 pr;
	struct pack_result	 res;
	int			 got_result;
	char			 error[1024];	/* the child's "error" line */
	char			 stderr_last[512];
	int			 in_done;
	int			 released;
};

static const char *pack_program = "/proc/self/exe";

void
pack_set_program(const char *path)
{
	pack_program = path != NULL ? path : "/proc/self/exe";
}

/* The child is gone: whatever it left in the folder goes, then the folder. */
static void
pack_remove_tmpdir(struct pack *p)
{
	struct dirent *de;
	DIR *d;

	if (p->tmpdir == NULL)
		return;
	d = opendir(p->tmpdir);
	if (d != NULL) {
		while ((de = readdir(d)) != NULL) {
			char *path;

			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			path = xasprintf("%s/%s", p->tmpdir, de->d_name);
			unlink(path);
			free(path);
		}
		closedir(d);
	}
	rmdir(p->tmpdir);
	free(p->tmpdir);
	p->tmpdir = NULL;
}

static void
pack_destroy(struct pack *p)
{
	proc_free(p->proc);
	pack_remove_tmpdir(p);
	free(p->src);
	free(p);
}

static void
pack_line(struct proc *proc, int stream, const char *line, size_t len,
    int flags, void *arg)
{
	struct pack *p = arg;
	unsigned long long a, b;
	size_t n, m;
	char hex[65], b64[45];

	(void)proc;
	(void)len;
	if (flags & PROC_LINE_PARTIAL)
		return;		/* no line of the packer's is that long */
	if (stream == PROC_STDERR) {
		snprintf(p->stderr_last, sizeof p->stderr_last, "%s", line);
		return;
	}
	if (sscanf(line, "total %zu %llu", &n, &a) == 2) {
		p->pr.files_total = n;
		p->pr.bytes_total = a;
	} else if (sscanf(line, "file %zu/%zu %llu", &n, &m, &a) == 3) {
		p->pr.files_done = n;
		p->pr.bytes_done = a;
	} else if (sscanf(line, "done %llu %64s %44s", &b, hex, b64) == 3 &&
	    strlen(hex) == 64 && strlen(b64) == 44) {
		p->res.size = b;
		p->res.files = p->pr.files_total;
		p->res.unzipped = p->pr.bytes_total;
		memcpy(p->res.sha256_hex, hex, sizeof hex);
		memcpy(p->res.code_sha256, b64, sizeof b64);
		p->got_result = 1;
		return;
	} else if (strncmp(line, "error ", 6) == 0) {
		snprintf(p->error, sizeof p->error, "%s", line + 6);
		return;
	} else {
		return;
	}
	if (p->progress != NULL && !p->released)
		p->progress(&p->pr, p->arg);
}

static void
pack_proc_done(struct proc *proc, const struct proc_result *r, void *arg)
{
	struct pack *p = arg;
	struct dlc_err err;
	int ok = 0;

	(void)proc;
	pack_remove_tmpdir(p);
	if (p->released) {
		pack_destroy(p);
		return;
	}
	dlc_err_clear(&err);
	if (r->cancelled) {
		dlc_err_set(&err, "Cancelled", "packing was cancelled; nothing was written");
	} else if (r->exit_code == 0 && p->got_result) {
		ok = 1;
	} else if (p->error[0] != '\0') {
		dlc_err_set(&err, "PackFailed", "%s", p->error);
		dlc_err_fix(&err, "fix the file named above in the folder and pack again");
	} else if (r->exit_code < 0) {
		dlc_err_set(&err, "PackFailed", "the packer was killed by signal %d%s",
		    r->signo, r->timed_out ? " (timed out)" : "");
		dlc_err_fix(&err, "pack again; if it recurs, check free memory and disk space");
	} else {
		dlc_err_set(&err, "PackFailed", "the packer ended with code %d%s%s",
		    r->exit_code, p->stderr_last[0] != '\0' ? ": " : "", p->stderr_last);
		dlc_err_fix(&err, "check that dlc's own binary can be run again (%s)", pack_program);
	}
	if (!ok)
		dlc_err_what(&err, "packing %s", p->src);
	p->in_done = 1;
	if (ok)
		p->done(&p->res, NULL, p->arg);
	else
		p->done(NULL, &err, p->arg);
	p->in_done = 0;
	if (p->released)
		pack_destroy(p);
}

struct pack *
pack_start(struct loop *loop, const char *src_dir, const char *out_zip,
    pack_progress_cb progress, pack_done_cb done, void *arg,
    struct dlc_err *err)
{
	return pack_start_opts(loop, src_dir, out_zip, NULL, progress, done,
	    arg, err);
}

struct pack *
pack_start_opts(struct loop *loop, const char *src_dir, const char *out_zip,
    const struct pack_opts *opts, pack_progress_cb progress,
    pack_done_cb done, void *arg, struct dlc_err *err)
{
	const char *slash = strrchr(out_zip, '/');
	struct proc_spec spec;
	struct pack *p;
	char **argv;
	size_t i, n = 5;

	p = xcalloc(1, sizeof *p);
	p->src = xstrdup(src_dir);
	p->progress = progress;
	p->done = done;
	p->arg = arg;
	/* Next to out_zip, so the child's final rename stays on one file system. */
	if (slash == NULL)
		p->tmpdir = xasprintf("./.%s.dlc-pack-XXXXXX", out_zip);
	else
		p->tmpdir = xasprintf("%.*s/.%s.dlc-pack-XXXXXX", (int)(slash - out_zip),
		    out_zip, slash + 1);
	if (slash != NULL && slash[1] == '\0') {
		dlc_err_set(err, "InvalidPath", "%s names a folder, not a zip file", out_zip);
		goto fail;
	}
	if (mkdtemp(p->tmpdir) == NULL) {
		dlc_err_set(err, "PackFailed", "cannot write next to %s: %s", out_zip, strerror(errno));
		dlc_err_fix(err, "check that the folder exists and is writable");
		free(p->tmpdir);
		p->tmpdir = NULL;
		goto fail;
	}
	argv = xcalloc(6 + (opts != NULL ? 2 * (opts->n_patterns + opts->n_files) : 0),
	    sizeof *argv);
	argv[0] = (char *)pack_program;
	argv[1] = (char *)PACK_ZIP_COMMAND;
	argv[2] = (char *)src_dir;
	argv[3] = (char *)out_zip;
	argv[4] = p->tmpdir;
	for (i = 0; opts != NULL && i < opts->n_patterns; i++) {
		argv[n++] = (char *)"-p";
		argv[n++] = opts->patterns[i];
	}
	for (i = 0; opts != NULL && i < opts->n_files; i++) {
		argv[n++] = (char *)"-f";
		argv[n++] = opts->files[i];
	}
	argv[n] = NULL;
	memset(&spec, 0, sizeof spec);
	spec.argv = argv;
	spec.grace_ms = PACK_GRACE_MS;
	p->proc = proc_spawn(loop, &spec, pack_line, pack_proc_done, p, err);
	free(argv);
	if (p->proc == NULL)
		goto fail;
	return p;
fail:
	dlc_err_what(err, "packing %s", src_dir);
	pack_destroy(p);
	return NULL;
}

void
pack_cancel(struct pack *p)
{
	if (p != NULL)
		proc_cancel(p->proc);
}

void
pack_free(struct pack *p)
{
	if (p == NULL || p->released)
		return;
	p->released = 1;
	if (p->in_done)
		return;		/* pack_proc_done frees it on the way out */
	if (p->tmpdir == NULL) {
		pack_destroy(p);	/* finished: the child is reaped */
		return;
	}
	/* Still running: let it die and be reaped, then clean up (pack_proc_done). */
	proc_cancel(p->proc);
}
