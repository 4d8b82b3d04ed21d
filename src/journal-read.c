/*
 * Reading the journal back (see journal.h): day files oldest first, a
 * line at a time; a torn or unparsable line is reported, never fatal.
 */
#include "journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* Every record starts so (journal_append puts "t" first); a string inside holds it escaped. */
static const char journal_record_start[] = "{\"t\":\"";

static cJSON *
journal_parse_whole(const char *s, size_t len)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(s, len, &end, 0);
	size_t rest;

	if (v == NULL)
		return NULL;
	rest = (size_t)(end - s);
	while (rest < len && (s[rest] == ' ' || s[rest] == '\t' || s[rest] == '\r'))
		rest++;
	if (!cJSON_IsObject(v) || rest != len) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

static const char *
journal_last_start(const char *s, size_t len)
{
	size_t n = sizeof(journal_record_start) - 1, i;

	for (i = len >= n ? len - n + 1 : 0; i-- > 1;)
		if (memcmp(s + i, journal_record_start, n) == 0)
			return s + i;
	return NULL;
}

cJSON *
journal_parse_line(const char *line, size_t len, const char **why,
    int *torn_prefix)
{
	const char *start;
	size_t i;
	cJSON *v;

	*torn_prefix = 0;
	*why = NULL;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t' ||
	    line[i] == '\r'); i++)
		;
	if (i == len)
		return NULL;	/* blank: nothing to say */
	if (len > JOURNAL_LINE_MAX) {
		*why = "line too long: skipped";
		return NULL;
	}
	v = journal_parse_whole(line, len);
	if (v != NULL)
		return v;
	/* A writer killed mid-line, then the next one's record glued on. */
	start = journal_last_start(line, len);
	if (start != NULL &&
	    (v = journal_parse_whole(start, len - (size_t)(start - line))) != NULL) {
		*torn_prefix = 1;
		*why = "torn record (skipped) before a whole one";
		return v;
	}
	*why = "not a JSON record (torn or garbage): skipped";
	return NULL;
}

static int
journal_read_file(const char *path, journal_each_cb each, journal_bad_cb bad,
    void *arg, struct dlc_err *err)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	const char *why;
	int torn;
	cJSON *rec;

	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		dlc_err_set(err, "JournalReadFailed", "reading %s: %s", path,
		    strerror(errno));
		dlc_err_fix(err, "check the state folder's permissions "
		    "(XDG_STATE_HOME)");
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] != '\n') {
			/* The last line, cut before its newline: a kill mid-write. */
			if (bad != NULL)
				bad(path, lineno, "torn last line (no newline): "
				    "skipped", arg);
			break;
		}
		rec = journal_parse_line(line, (size_t)n - 1, &why, &torn);
		if (why != NULL && bad != NULL)
			bad(path, lineno, why, arg);
		if (rec != NULL) {
			if (each != NULL)
				each(rec, arg);
			cJSON_Delete(rec);
		}
	}
	if (ferror(f)) {
		dlc_err_set(err, "JournalReadFailed", "reading %s: %s", path,
		    strerror(errno));
		free(line);
		fclose(f);
		return -1;
	}
	free(line);
	fclose(f);
	return 0;
}

int
journal_read(int days, journal_each_cb each, journal_bad_cb bad, void *arg,
    struct dlc_err *err)
{
	int64_t now = journal_now_ms() / 1000;
	char *path;
	int d, rc = 0;

	for (d = days - 1; d >= 0 && rc == 0; d--) {
		path = journal_day_path(now - (int64_t)d * 86400);
		rc = journal_read_file(path, each, bad, arg, err);
		free(path);
	}
	return rc;
}
