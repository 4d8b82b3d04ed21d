/*
 * The one INI reader dlc has: ~/.aws/config, ~/.aws/credentials, dlc.ini,
 * function manifests and themes all go through it. It reads the way the
 * AWS CLI does (Python's RawConfigParser as botocore uses it), so a file
 * the CLI accepts means the same thing to dlc:
 *   - "[name]" headers (the name is kept verbatim, case and all);
 *   - "key = value" or "key: value", split at the first '=' or ':';
 *     keys are lower-cased, values trimmed and otherwise kept verbatim
 *     (no unquoting, no inline comments);
 *   - ';' and '#' start a comment only as a line's first non-blank;
 *   - a line indented deeper than its key line continues the value,
 *     joined with "\n" (how the AWS config writes nested sub-sections);
 *   - a repeated key: the later wins; a repeated section: merged
 *     (ini_parse / ini_load; the strict forms, for dlc's own files,
 *     refuse both, naming both lines).
 * Values are wiped when freed, since the credentials file holds secrets.
 */
#ifndef DLC_INI_H
#define DLC_INI_H

#include <stddef.h>

#include "err.h"

/* Files larger than this are refused: no config file is that big. */
#define INI_MAX_SIZE	(1024 * 1024)

struct ini;
struct ini_section;

/*
 * Parses text (len bytes; need not be NUL-terminated). filename is only
 * used in messages ("~/.aws/config line 12: ..."). Returns an allocated
 * struct ini, or NULL with err filled.
 */
struct ini	*ini_parse(const char *text, size_t len, const char *filename,
		    struct dlc_err *err);
/*
 * Reads and parses path. A missing file returns NULL with err->code
 * "ENOENT", so callers can treat it as empty. display (may be NULL: path)
 * is the name used in messages, e.g. "~/.aws/config".
 */
struct ini	*ini_load(const char *path, struct dlc_err *err);
/*
 * The same, refusing a second [section] of one name and a key set twice
 * in a section (codes DuplicateSection / DuplicateKey, naming both lines):
 * in dlc.ini a merged "deploy = allow" could silently override a "deny".
 */
struct ini	*ini_parse_strict(const char *text, size_t len,
		    const char *filename, struct dlc_err *err);
struct ini	*ini_load_strict(const char *path, struct dlc_err *err);
/*
 * For manifests, whose build and pattern lines repeat: a repeated key is
 * kept as another entry, in file order (ini_key_at sees each; ini_get
 * the first), and sections are merged.
 */
struct ini	*ini_load_multi(const char *path, struct dlc_err *err);
struct ini	*ini_load_as(const char *path, const char *display,
		    struct dlc_err *err);
void		 ini_free(struct ini *ini);

/* The name used in messages. */
const char	*ini_filename(const struct ini *ini);

/* Sections in the order they first appear. */
size_t		 ini_section_count(const struct ini *ini);
const struct ini_section *ini_section_at(const struct ini *ini, size_t i);
const struct ini_section *ini_find_section(const struct ini *ini,
		    const char *name);
const char	*ini_section_name(const struct ini_section *sec);
/* Line of the section's first header. */
int		 ini_section_line(const struct ini_section *sec);

/* key is matched case-insensitively; NULL / 0 when absent. */
const char	*ini_get(const struct ini_section *sec, const char *key);
/* Line where the value in effect was set. */
int		 ini_get_line(const struct ini_section *sec, const char *key);
/* Keys in the order they first appear; *value (may be NULL) gets the value. */
size_t		 ini_key_count(const struct ini_section *sec);
const char	*ini_key_at(const struct ini_section *sec, size_t i,
		    const char **value);
int		 ini_key_line_at(const struct ini_section *sec, size_t i);

/*
 * Reads "subkey = v" from a nested value (botocore's _parse_nested: one
 * "k = v" per line, split at the first '='). Returns an allocated copy of
 * v, or NULL when absent.
 */
char		*ini_nested_get(const char *value, const char *subkey);

/*
 * For dlc's own files: "like this" or 'like this' loses its quotes (and
 * \" \\ inside double quotes are unescaped); anything else is copied.
 * Returns an allocated string.
 */
char		*ini_unquote(const char *value);

/*
 * Splits s into words the way Python's shlex.split does (POSIX mode, no
 * comments): blanks separate, '...' is literal, "..." unescapes only \"
 * and \\, a backslash outside quotes escapes the next character. Used for AWS
 * section names and for commands that are run without a shell. On success
 * *words is an allocated NULL-terminated array (free with
 * ini_words_free) and *n its length; an unclosed quote returns -1 with err.
 */
int		 ini_split_words(const char *s, char ***words, size_t *n,
		    struct dlc_err *err);
void		 ini_words_free(char **words);

#endif
