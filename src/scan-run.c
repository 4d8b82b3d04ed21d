/*
 * Both sides of the scan child (see scan-run.h): the child scans and
 * prints, the parent reads its lines into a report through the loop.
 */
#include "scan-run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "proc.h"
#include "scan-rules.h"
#include "xmalloc.h"

#define SCAN_RUN_GRACE_MS	1000
/* A hit's line stays far below proc.c's line limit. */
#define SCAN_RUN_PATH_MAX	4096

struct scan_run {
	struct proc		*proc;
	char			*zip;
	scan_run_done_cb	 done;
	void			*arg;
	struct scan_report	 report;
	int			 got_done;
	int			 bad_line;	/* a line that did not parse */
	struct dlc_err		 child_err;	/* the child's "error" line */
	char			 stderr_last[512];
	int			 in_done;
	int			 released;
};

static const char *scan_run_program = "/proc/self/exe";

void
scan_run_set_program(const char *path)
{
	scan_run_program = path != NULL ? path : "/proc/self/exe";
}

/* The child side. */

/* One "TAG JSON" line; o is consumed. */
static void
scan_child_say(const char *tag, cJSON *o)
{
	char *text = cJSON_PrintUnformatted(o);

	printf("%s %s\n", tag, text);
	free(text);
	cJSON_Delete(o);
}

static void
scan_child_error(const struct dlc_err *err)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "What", err->what);
	cJSON_AddStringToObject(o, "Code", err->code);
	cJSON_AddStringToObject(o, "Message", err->message);
	cJSON_AddStringToObject(o, "Fix", err->fix);
	scan_child_say("error", o);
}

int
scan_child_main(int argc, char **argv)
{
	struct local_function fn;
	struct scan_report r;
	struct dlc_err err;
	size_t i;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: %s %s ZIP [ALLOW...]\n", argv[0],
		    SCAN_CHILD_COMMAND);
		return 2;
	}
	memset(&fn, 0, sizeof fn);
	fn.dir = argv[2];
	fn.scan_allow = argv + 3;
	fn.n_scan_allow = (size_t)(argc - 3);
	scan_report_init(&r);
	dlc_err_clear(&err);
	rc = scan_zip(argv[2], fn.n_scan_allow > 0 ? &fn : NULL, &r, &err);
	for (i = 0; i < r.n; i++) {
		const struct scan_hit *h = &r.hits[i];
		cJSON *o = cJSON_CreateObject();
		char *path = xstrndup(h->path, SCAN_RUN_PATH_MAX);

		cJSON_AddStringToObject(o, "Path", path);
		cJSON_AddNumberToObject(o, "Rel", (double)(h->rel < strlen(path) ?
		    h->rel : 0));
		cJSON_AddNumberToObject(o, "Line", (double)h->line);
		cJSON_AddStringToObject(o, "Rule", h->rule);
		cJSON_AddStringToObject(o, "Excerpt", h->excerpt);
		scan_child_say("hit", o);
		free(path);
	}
	if (rc == 0)
		printf("done %zu %llu %zu %zu\n", r.files,
		    (unsigned long long)r.bytes, r.allowed, r.dropped);
	else
		scan_child_error(&err);
	scan_report_free(&r);
	return fflush(stdout) == 0 && rc == 0 ? 0 : 1;
}

/* The parent side. */

static void
scan_run_destroy(struct scan_run *s)
{
	proc_free(s->proc);
	scan_report_free(&s->report);
	free(s->zip);
	free(s);
}

static const char *
scan_run_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
scan_run_hit(struct scan_run *s, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	const cJSON *line, *rel;
	const struct scan_rule *rule;
	const char *path, *excerpt, *id;
	struct scan_report *r = &s->report;
	struct scan_hit *h;

	path = scan_run_str(o, "Path");
	excerpt = scan_run_str(o, "Excerpt");
	id = scan_run_str(o, "Rule");
	line = cJSON_GetObjectItemCaseSensitive(o, "Line");
	rel = cJSON_GetObjectItemCaseSensitive(o, "Rel");
	rule = id != NULL ? scan_rules_find(id) : NULL;
	if (path == NULL || excerpt == NULL || rule == NULL ||
	    !cJSON_IsNumber(line) || !cJSON_IsNumber(rel) ||
	    rel->valuedouble < 0 || rel->valuedouble > (double)strlen(path)) {
		s->bad_line = 1;
	} else if (r->n >= SCAN_MAX_HITS) {
		r->dropped++;
	} else {
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 16;
			r->hits = xreallocarray(r->hits, r->cap, sizeof *r->hits);
		}
		h = &r->hits[r->n++];
		h->path = xstrdup(path);
		h->rel = (size_t)rel->valuedouble;
		h->line = (unsigned long)line->valuedouble;
		h->rule = rule->id;
		h->excerpt = xstrdup(excerpt);
	}
	cJSON_Delete(o);
}

static void
scan_run_error(struct scan_run *s, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	const char *what = scan_run_str(o, "What"), *code = scan_run_str(o, "Code");
	const char *msg = scan_run_str(o, "Message"), *fix = scan_run_str(o, "Fix");

	if (msg == NULL) {
		s->bad_line = 1;
	} else {
		dlc_err_set(&s->child_err, code != NULL && *code != '\0' ? code :
		    "ScanFailed", "%s", msg);
		if (what != NULL && *what != '\0')
			dlc_err_what(&s->child_err, "%s", what);
		if (fix != NULL && *fix != '\0')
			dlc_err_fix(&s->child_err, "%s", fix);
	}
	cJSON_Delete(o);
}

static void
scan_run_line(struct proc *proc, int stream, const char *line, size_t len,
    int flags, void *arg)
{
	struct scan_run *s = arg;
	unsigned long long bytes;
	size_t files, allowed, dropped;

	(void)proc;
	(void)len;
	if (stream == PROC_STDERR) {
		snprintf(s->stderr_last, sizeof s->stderr_last, "%s", line);
		return;
	}
	if (flags & PROC_LINE_PARTIAL) {
		s->bad_line = 1;	/* no line of the child's is that long */
		return;
	}
	if (strncmp(line, "hit ", 4) == 0) {
		scan_run_hit(s, line + 4);
	} else if (strncmp(line, "error ", 6) == 0) {
		scan_run_error(s, line + 6);
	} else if (sscanf(line, "done %zu %llu %zu %zu", &files, &bytes,
	    &allowed, &dropped) == 4) {
		s->report.files = files;
		s->report.bytes = bytes;
		s->report.allowed = allowed;
		s->report.dropped += dropped;
		s->got_done = 1;
	} else {
		s->bad_line = 1;
	}
}

static void
scan_run_proc_done(struct proc *proc, const struct proc_result *r, void *arg)
{
	struct scan_run *s = arg;
	struct dlc_err err;
	int ok = 0;

	(void)proc;
	if (s->released) {
		scan_run_destroy(s);
		return;
	}
	dlc_err_clear(&err);
	if (r->cancelled) {
		dlc_err_set(&err, "Cancelled", "the secret scan was cancelled");
	} else if (r->exit_code == 0 && s->got_done && !s->bad_line) {
		ok = 1;
	} else if (dlc_err_isset(&s->child_err)) {
		err = s->child_err;
	} else if (r->exit_code < 0) {
		dlc_err_set(&err, "ScanFailed", "the scanner was killed by signal "
		    "%d%s", r->signo, r->timed_out ? " (timed out)" : "");
		dlc_err_fix(&err, "scan again; if it recurs, check free memory");
	} else {
		dlc_err_set(&err, "ScanFailed", "the scanner ended with code "
		    "%d%s%s%s", r->exit_code, s->bad_line ? " and lines it "
		    "should not write" : "", s->stderr_last[0] != '\0' ? ": " : "",
		    s->stderr_last);
		dlc_err_fix(&err, "check that dlc's own binary can be run again "
		    "(%s)", scan_run_program);
	}
	if (!ok && err.what[0] == '\0')
		dlc_err_what(&err, "scanning %s for secrets", s->zip);
	s->in_done = 1;
	if (ok)
		s->done(&s->report, NULL, s->arg);
	else
		s->done(NULL, &err, s->arg);
	s->in_done = 0;
	if (s->released)
		scan_run_destroy(s);
}

struct scan_run *
scan_run_start(struct loop *loop, const char *zip_path,
    const struct local_function *fn, scan_run_done_cb done, void *arg,
    struct dlc_err *err)
{
	struct proc_spec spec;
	struct scan_run *s;
	struct scan_allow *allow;
	char **argv;
	size_t i, n = fn != NULL ? fn->n_scan_allow : 0;

	/* A bad entry is refused here, where the manifest can be named. */
	allow = scan_allow_new(fn, err);
	if (allow == NULL)
		return NULL;
	scan_allow_free(allow);
	s = xcalloc(1, sizeof *s);
	s->zip = xstrdup(zip_path);
	s->done = done;
	s->arg = arg;
	scan_report_init(&s->report);
	dlc_err_clear(&s->child_err);
	argv = xcalloc(n + 4, sizeof *argv);
	argv[0] = (char *)scan_run_program;
	argv[1] = (char *)SCAN_CHILD_COMMAND;
	argv[2] = (char *)zip_path;
	for (i = 0; i < n; i++)
		argv[3 + i] = fn->scan_allow[i];
	memset(&spec, 0, sizeof spec);
	spec.argv = argv;
	spec.grace_ms = SCAN_RUN_GRACE_MS;
	s->proc = proc_spawn(loop, &spec, scan_run_line, scan_run_proc_done, s,
	    err);
	free(argv);
	if (s->proc == NULL) {
		dlc_err_what(err, "scanning %s for secrets", zip_path);
		scan_run_destroy(s);
		return NULL;
	}
	return s;
}

void
scan_run_cancel(struct scan_run *s)
{
	if (s != NULL)
		proc_cancel(s->proc);
}

void
scan_run_free(struct scan_run *s)
{
	if (s == NULL || s->released)
		return;
	s->released = 1;
	if (s->in_done)
		return;		/* scan_run_proc_done frees it on the way out */
	/*
	 * proc_free kills a running child and reaps it later; no callback
	 * comes after it, so the run goes now either way.
	 */
	scan_run_destroy(s);
}
