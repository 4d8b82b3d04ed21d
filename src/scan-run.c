/*
 * Both sides of the scan child (see scan-run.h): the child scans and
 * prints, the parent reads its lines into a report through the loop.
 */
#include "scan-run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "proc.h"
#include "scan-rules.h"
#include "xmalloc.h"

#define SCAN_RUN_GRACE_MS	1000
/* A hit's line stays far below proc.c's line limit. */
#define SCAN_RUN_PATH_MAX	4096
/* Children side by side: the machines this runs on have 2 cores and more. */
#define SCAN_RUN_MAX_PARTS	2
/* Below this a second child costs more (an exec) than it saves. */
#define SCAN_RUN_SPLIT_BYTES	(8 * 1024 * 1024)

/* One child, scanning one part of the entries. */
struct scan_run_kid {
	struct scan_run		*run;
	struct proc		*proc;
	int			 finished;
	int			 got_done;
	int			 bad_line;	/* a line that did not parse */
	struct proc_result	 result;
	struct dlc_err		 child_err;	/* its "error" line */
	char			 stderr_last[512];
};

struct scan_run {
	struct scan_run_kid	 kids[SCAN_RUN_MAX_PARTS];
	unsigned		 n_kids;
	char			*zip;
	scan_run_done_cb	 done;
	void			*arg;
	struct scan_report	 report;
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
	struct scan_allow *allow;
	struct scan_report r;
	struct dlc_err err;
	unsigned part = 0, parts = 1;
	int a = 2, rc = -1;
	size_t i;
	char end;

	if (argc > 3 && strcmp(argv[2], "--part") == 0) {
		if (sscanf(argv[3], "%u/%u%c", &part, &parts, &end) != 2 ||
		    parts == 0 || parts > SCAN_RUN_MAX_PARTS || part >= parts) {
			fprintf(stderr, "%s: bad --part %s\n", argv[0], argv[3]);
			return 2;
		}
		a = 4;
	}
	if (argc <= a) {
		fprintf(stderr, "usage: %s %s [--part K/N] ZIP [ALLOW...]\n",
		    argv[0], SCAN_CHILD_COMMAND);
		return 2;
	}
	memset(&fn, 0, sizeof fn);
	fn.dir = argv[a];
	fn.scan_allow = argv + a + 1;
	fn.n_scan_allow = (size_t)(argc - a - 1);
	scan_report_init(&r);
	dlc_err_clear(&err);
	allow = scan_allow_new(&fn, &err);
	if (allow != NULL)
		rc = scan_zip_part(argv[a], allow, part, parts, &r, &err);
	scan_allow_free(allow);
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
	unsigned i;

	for (i = 0; i < s->n_kids; i++)
		proc_free(s->kids[i].proc);
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
scan_run_hit(struct scan_run_kid *k, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	const cJSON *line, *rel;
	const struct scan_rule *rule;
	const char *path, *excerpt, *id;
	struct scan_report *r = &k->run->report;
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
		k->bad_line = 1;
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
scan_run_error(struct scan_run_kid *k, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	const char *what = scan_run_str(o, "What"), *code = scan_run_str(o, "Code");
	const char *msg = scan_run_str(o, "Message"), *fix = scan_run_str(o, "Fix");

	if (msg == NULL) {
		k->bad_line = 1;
	} else {
		dlc_err_set(&k->child_err, code != NULL && *code != '\0' ? code :
		    "ScanFailed", "%s", msg);
		if (what != NULL && *what != '\0')
			dlc_err_what(&k->child_err, "%s", what);
		if (fix != NULL && *fix != '\0')
			dlc_err_fix(&k->child_err, "%s", fix);
	}
	cJSON_Delete(o);
}

static void
scan_run_line(struct proc *proc, int stream, const char *line, size_t len,
    int flags, void *arg)
{
	struct scan_run_kid *k = arg;
	struct scan_report *r = &k->run->report;
	unsigned long long bytes;
	size_t files, allowed, dropped;

	(void)proc;
	(void)len;
	if (stream == PROC_STDERR) {
		snprintf(k->stderr_last, sizeof k->stderr_last, "%s", line);
		return;
	}
	if (flags & PROC_LINE_PARTIAL) {
		k->bad_line = 1;	/* no line of the child's is that long */
		return;
	}
	if (strncmp(line, "hit ", 4) == 0) {
		scan_run_hit(k, line + 4);
	} else if (strncmp(line, "error ", 6) == 0) {
		scan_run_error(k, line + 6);
	} else if (sscanf(line, "done %zu %llu %zu %zu", &files, &bytes,
	    &allowed, &dropped) == 4 && !k->got_done) {
		r->files += files;
		r->bytes += bytes;
		r->allowed += allowed;
		r->dropped += dropped;
		k->got_done = 1;
	} else {
		k->bad_line = 1;
	}
}

/* Why kid k did not deliver a whole report; 0 when it did. */
static int
scan_run_kid_err(const struct scan_run_kid *k, struct dlc_err *err)
{
	const struct proc_result *r = &k->result;

	if (r->cancelled) {
		dlc_err_set(err, "Cancelled", "the secret scan was cancelled");
	} else if (r->exit_code == 0 && k->got_done && !k->bad_line) {
		return 0;
	} else if (dlc_err_isset(&k->child_err)) {
		*err = k->child_err;
	} else if (r->exit_code < 0) {
		dlc_err_set(err, "ScanFailed", "the scanner was killed by signal "
		    "%d%s", r->signo, r->timed_out ? " (timed out)" : "");
		dlc_err_fix(err, "scan again; if it recurs, check free memory");
	} else {
		dlc_err_set(err, "ScanFailed", "the scanner ended with code "
		    "%d%s%s%s", r->exit_code, k->bad_line ? " and lines it "
		    "should not write" : "", k->stderr_last[0] != '\0' ? ": " : "",
		    k->stderr_last);
		dlc_err_fix(err, "check that dlc's own binary can be run again "
		    "(%s)", scan_run_program);
	}
	return -1;
}

/* Parts come back in any order; the report reads as one scan's, by path. */
static int
scan_run_hit_cmp(const void *a, const void *b)
{
	const struct scan_hit *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void
scan_run_proc_done(struct proc *proc, const struct proc_result *r, void *arg)
{
	struct scan_run_kid *k = arg;
	struct scan_run *s = k->run;
	struct dlc_err err;
	unsigned i;
	int ok = 1;

	(void)proc;
	k->finished = 1;
	k->result = *r;
	if (s->released)
		return;
	/* One part failing fails the scan: stop the others, then say so. */
	if (scan_run_kid_err(k, &err) != 0 && !r->cancelled) {
		for (i = 0; i < s->n_kids; i++) {
			if (!s->kids[i].finished)
				proc_cancel(s->kids[i].proc);
		}
	}
	for (i = 0; i < s->n_kids; i++) {
		if (!s->kids[i].finished)
			return;
	}
	dlc_err_clear(&err);
	/* The first part's own failure, not the cancel it caused in another. */
	for (i = 0; i < s->n_kids && ok; i++) {
		if (scan_run_kid_err(&s->kids[i], &err) != 0 &&
		    !s->kids[i].result.cancelled)
			ok = 0;
	}
	for (i = 0; i < s->n_kids && ok; i++) {
		if (scan_run_kid_err(&s->kids[i], &err) != 0)
			ok = 0;
	}
	if (!ok && err.what[0] == '\0')
		dlc_err_what(&err, "scanning %s for secrets", s->zip);
	if (ok && s->report.n > 1)
		qsort(s->report.hits, s->report.n, sizeof *s->report.hits,
		    scan_run_hit_cmp);
	s->in_done = 1;
	if (ok)
		s->done(&s->report, NULL, s->arg);
	else
		s->done(NULL, &err, s->arg);
	s->in_done = 0;
	if (s->released)
		scan_run_destroy(s);
}

/* Two parts for a package worth it (and a machine with two cores), else one. */
static unsigned
scan_run_parts(const char *zip_path)
{
	struct stat st;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (stat(zip_path, &st) != 0 || st.st_size < SCAN_RUN_SPLIT_BYTES ||
	    cpus < 2)
		return 1;
	return SCAN_RUN_MAX_PARTS;
}

struct scan_run *
scan_run_start(struct loop *loop, const char *zip_path,
    const struct local_function *fn, scan_run_done_cb done, void *arg,
    struct dlc_err *err)
{
	struct proc_spec spec;
	struct scan_run *s;
	struct scan_allow *allow;
	char **argv, part[32];
	size_t i, n = fn != NULL ? fn->n_scan_allow : 0;
	unsigned k, parts;

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
	parts = scan_run_parts(zip_path);
	argv = xcalloc(n + 6, sizeof *argv);
	argv[0] = (char *)scan_run_program;
	argv[1] = (char *)SCAN_CHILD_COMMAND;
	argv[2] = (char *)"--part";
	argv[3] = part;
	argv[4] = (char *)zip_path;
	for (i = 0; i < n; i++)
		argv[5 + i] = fn->scan_allow[i];
	memset(&spec, 0, sizeof spec);
	spec.argv = argv;
	spec.grace_ms = SCAN_RUN_GRACE_MS;
	for (k = 0; k < parts; k++) {
		struct scan_run_kid *kid = &s->kids[k];

		snprintf(part, sizeof part, "%u/%u", k, parts);
		kid->run = s;
		dlc_err_clear(&kid->child_err);
		kid->proc = proc_spawn(loop, &spec, scan_run_line,
		    scan_run_proc_done, kid, err);
		if (kid->proc == NULL)
			break;
		s->n_kids++;
	}
	free(argv);
	if (s->n_kids < parts) {
		dlc_err_what(err, "scanning %s for secrets", zip_path);
		scan_run_destroy(s);
		return NULL;
	}
	return s;
}

void
scan_run_cancel(struct scan_run *s)
{
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_kids; i++)
		proc_cancel(s->kids[i].proc);
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
