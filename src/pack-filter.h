/*
 * Which files of a zip root go into the package, as terraform-aws-lambda
 * decides it for a source_path with patterns: each pattern is a PCRE2
 * regex, "!" first to leave out, matched against the whole path relative
 * to the zip root ('/' separated, as Python's re.fullmatch); the last
 * pattern that matches a path decides, and a path no pattern matches is
 * kept. So `!tests/.*` drops the tests folder, `!.*\.md` every Markdown
 * file, and a later `README\.md` takes one back. A files list, when
 * given, keeps only the paths it names (then the patterns apply).
 */
#ifndef DLC_PACK_FILTER_H
#define DLC_PACK_FILTER_H

#include <stddef.h>

#include "err.h"

struct pack_filter;

/* 0 when pattern ("!" and all) compiles; else -1 with err saying why. */
int		 pack_filter_check(const char *pattern, struct dlc_err *err);
/*
 * Compiles the patterns (NULL, 0: keep everything) and keeps the files
 * list (NULL, 0: every path). NULL with err on a bad pattern. Allocated.
 */
struct pack_filter *pack_filter_new(char *const *patterns, size_t n_patterns,
		    char *const *files, size_t n_files, struct dlc_err *err);
/* 1 when rel goes into the zip. */
int		 pack_filter_keep(struct pack_filter *f, const char *rel);
/* The files entry never kept (not in the tree), or NULL: call after the walk. */
const char	*pack_filter_missing(const struct pack_filter *f);
void		 pack_filter_free(struct pack_filter *f);

#endif
