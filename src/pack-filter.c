/* The package's include and exclude patterns (see pack-filter.h). */
#include "pack-filter.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "xmalloc.h"

struct pack_filter_rule {
	pcre2_code	*re;
	int		 exclude;
};

struct pack_filter {
	struct pack_filter_rule	*rules;
	size_t			 n;
	pcre2_match_data	*md;
	char			**files;	/* sorted, for bsearch */
	unsigned char		*seen;
	size_t			 n_files;
};

/* re.fullmatch: the whole path or nothing; file names may be any bytes. */
static pcre2_code *
pack_filter_compile(const char *pattern, struct dlc_err *err)
{
	uint32_t opts = PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED;
	pcre2_code *re;
	PCRE2_SIZE off;
	int code;

#ifdef PCRE2_MATCH_INVALID_UTF
	opts |= PCRE2_MATCH_INVALID_UTF;
#endif
	if (pattern[0] == '!')
		pattern++;
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
	    &code, &off, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof msg);
		dlc_err_set(err, "BadPattern", "%s at offset %zu", (const char *)msg,
		    (size_t)off);
		return NULL;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

int
pack_filter_check(const char *pattern, struct dlc_err *err)
{
	pcre2_code *re = pack_filter_compile(pattern, err);

	if (re == NULL)
		return -1;
	pcre2_code_free(re);
	return 0;
}

static int
pack_filter_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct pack_filter *
pack_filter_new(char *const *patterns, size_t n_patterns, char *const *files,
    size_t n_files, struct dlc_err *err)
{
	struct pack_filter *f = xcalloc(1, sizeof *f);
	size_t i;

	f->rules = xcalloc(n_patterns + 1, sizeof *f->rules);
	for (i = 0; i < n_patterns; i++) {
		f->rules[i].re = pack_filter_compile(patterns[i], err);
		if (f->rules[i].re == NULL) {
			dlc_err_what(err, "pattern %s", patterns[i]);
			pack_filter_free(f);
			return NULL;
		}
		f->rules[i].exclude = patterns[i][0] == '!';
		f->n++;
	}
	f->md = pcre2_match_data_create(1, NULL);
	if (f->md == NULL)
		fatal("out of memory");
	if (n_files > 0) {
		f->files = xcalloc(n_files, sizeof *f->files);
		f->seen = xcalloc(n_files, 1);
		for (i = 0; i < n_files; i++)
			f->files[i] = xstrdup(files[i]);
		f->n_files = n_files;
		qsort(f->files, n_files, sizeof *f->files, pack_filter_cmp);
	}
	return f;
}

int
pack_filter_keep(struct pack_filter *f, const char *rel)
{
	char *const *hit;
	size_t i, len = strlen(rel);
	int keep = 1;

	if (f->n_files > 0) {
		hit = bsearch(&rel, f->files, f->n_files, sizeof *f->files, pack_filter_cmp);
		if (hit == NULL)
			return 0;
		f->seen[hit - f->files] = 1;
	}
	/* The last rule that matches decides: walk from the end, stop at the first. */
	for (i = f->n; i-- > 0;) {
		if (pcre2_match(f->rules[i].re, (PCRE2_SPTR)rel, len, 0, 0, f->md, NULL) >= 0) {
			keep = !f->rules[i].exclude;
			break;
		}
	}
	return keep;
}

const char *
pack_filter_missing(const struct pack_filter *f)
{
	size_t i;

	for (i = 0; i < f->n_files; i++)
		if (!f->seen[i])
			return f->files[i];
	return NULL;
}

void
pack_filter_free(struct pack_filter *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		pcre2_code_free(f->rules[i].re);
	free(f->rules);
	pcre2_match_data_free(f->md);
	for (i = 0; i < f->n_files; i++)
		free(f->files[i]);
	free(f->files);
	free(f->seen);
	free(f);
}
