/*
 * scan-allow: a reviewed false positive, allowed by rule and path (see
 * scan.h). The rule is always named, the path regex must match the whole
 * path and may not match every path: an entry narrows one rule for some
 * files, and nothing here can switch a rule or the scan off.
 */
#include "scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan-rules.h"
#include "scan-stream.h"
#include "xmalloc.h"

struct scan_allow_entry {
	const struct scan_rule	*rule;
	pcre2_code		*re;
};

struct scan_allow {
	struct scan_allow_entry	*v;
	size_t			 n;
	pcre2_match_data	*md;
};

/* Paths unlike each other: a regex matching them all matches anything. */
static const char *const scan_allow_probes[] = { "a", "x/y.z",
    "lambda_function.py", ".env", "vendor/pkg/__init__.py", NULL };

static int
scan_allow_bad(struct dlc_err *err, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
scan_allow_bad(struct dlc_err *err, const char *fix, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	dlc_err_set(err, "BadScanAllow", "%s", msg);
	dlc_err_fix(err, "%s", fix);
	return -1;
}

static int
scan_allow_matches(const pcre2_code *re, pcre2_match_data *md, const char *s)
{
	return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL) >= 0;
}

/* Parses and compiles one entry; *re is the caller's (pcre2_code_free). */
static int
scan_allow_parse(const char *entry, const struct scan_rule **rule,
    pcre2_code **re, struct dlc_err *err)
{
	const char *p = entry, *w, *rx;
	pcre2_match_data *md;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	char *id, *pat;
	size_t len, i;
	int code, all;

	*re = NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	w = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	id = xstrndup(w, (size_t)(p - w));
	while (*p == ' ' || *p == '\t')
		p++;
	rx = p;
	len = strlen(rx);
	while (len > 0 && (rx[len - 1] == ' ' || rx[len - 1] == '\t' ||
	    rx[len - 1] == '\r'))
		len--;
	if (id[0] == '\0' || strcmp(id, "*") == 0) {
		free(id);
		return scan_allow_bad(err, "name the rule that hit and the path "
		    "it hit in, e.g. scan-allow = generic-secret tests/fixtures/"
		    ".*\\.json; the scan itself cannot be turned off",
		    "scan-allow '%s' names no rule: it must say which rule (%s) "
		    "to allow, and where", entry, scan_rules_ids());
	}
	*rule = scan_rules_find(id);
	if (*rule == NULL) {
		scan_allow_bad(err, "use the rule id dlc scan printed",
		    "scan-allow names an unknown rule '%s' (the rules: %s)", id,
		    scan_rules_ids());
		free(id);
		return -1;
	}
	free(id);
	if (len == 0)
		return scan_allow_bad(err, "add the path regex after the rule, "
		    "e.g. scan-allow = generic-secret tests/fixtures/.*\\.json",
		    "scan-allow '%s' has a rule but no path", entry);
	pat = xstrndup(rx, len);
	/* Whole-path matches only: "config.py" must not also allow "myconfig.py.bak". */
	*re = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_ANCHORED |
	    PCRE2_ENDANCHORED, &code, &off, NULL);
	if (*re == NULL) {
		pcre2_get_error_message(code, msg, sizeof msg);
		scan_allow_bad(err, "write the path as a PCRE2 regex matching "
		    "the whole path inside the package, e.g. tests/.*\\.json",
		    "scan-allow path '%s' is not a regex: %s at offset %zu", pat,
		    (const char *)msg, (size_t)off);
		free(pat);
		return -1;
	}
	md = pcre2_match_data_create_from_pattern(*re, NULL);
	all = scan_allow_matches(*re, md, "");
	for (i = 0; !all && scan_allow_probes[i] != NULL; i++) {
		if (!scan_allow_matches(*re, md, scan_allow_probes[i]))
			break;
	}
	if (scan_allow_probes[i] == NULL)
		all = 1;
	pcre2_match_data_free(md);
	if (all) {
		scan_allow_bad(err, "name the files the reviewed hit is in, e.g. "
		    "tests/fixtures/.*\\.json; a rule cannot be allowed everywhere",
		    "scan-allow path '%s' matches every path", pat);
		free(pat);
		pcre2_code_free(*re);
		*re = NULL;
		return -1;
	}
	free(pat);
	return 0;
}

int
scan_allow_check(const char *entry, struct dlc_err *err)
{
	const struct scan_rule *rule;
	pcre2_code *re;

	if (scan_allow_parse(entry, &rule, &re, err) != 0)
		return -1;
	pcre2_code_free(re);
	return 0;
}

struct scan_allow *
scan_allow_new(const struct local_function *fn, struct dlc_err *err)
{
	struct scan_allow *a = xcalloc(1, sizeof *a);
	size_t i;

	if (fn == NULL)
		return a;
	a->v = xcalloc(fn->n_scan_allow + 1, sizeof *a->v);
	for (i = 0; i < fn->n_scan_allow; i++) {
		if (scan_allow_parse(fn->scan_allow[i], &a->v[i].rule,
		    &a->v[i].re, err) != 0) {
			dlc_err_what(err, "reading %s/function.ini", fn->dir);
			scan_allow_free(a);
			return NULL;
		}
		a->n++;
	}
	a->md = pcre2_match_data_create(1, NULL);
	return a;
}

void
scan_allow_free(struct scan_allow *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		pcre2_code_free(a->v[i].re);
	free(a->v);
	pcre2_match_data_free(a->md);
	free(a);
}

int
scan_allow_match(const struct scan_allow *a, const char *rule, const char *rel)
{
	size_t i;

	if (a == NULL)
		return 0;
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->v[i].rule->id, rule) == 0 &&
		    scan_allow_matches(a->v[i].re, a->md, rel))
			return 1;
	}
	return 0;
}
