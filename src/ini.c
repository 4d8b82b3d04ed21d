/* The INI reader, RawConfigParser-compatible (see ini.h). */
#include "ini.h"
#include "buf.h"
#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

struct ini_entry {
	char		*key;
	struct buf	 value;
	int		 line;
};

struct ini_section {
	char		*name;
	int		 line;
	struct ini_entry *entries;
	size_t		 n, cap;
};

struct ini {
	char		*filename;
	struct ini_section **sections;
	size_t		 n, cap;
};

/* Python's str.strip() set, for ASCII: what RawConfigParser trims. */
static int
ini_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static void
ini_trim(const char **s, size_t *len)
{
	while (*len > 0 && ini_is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ini_is_space((*s)[*len - 1]))
		(*len)--;
}

void
ini_free(struct ini *ini)
{
	size_t i, j;

	if (ini == NULL)
		return;
	for (i = 0; i < ini->n; i++) {
		struct ini_section *sec = ini->sections[i];

		for (j = 0; j < sec->n; j++) {
			/* The credentials file's values are secrets. */
			if (sec->entries[j].value.data != NULL)
				OPENSSL_cleanse(sec->entries[j].value.data,
				    sec->entries[j].value.cap);
			buf_free(&sec->entries[j].value);
			free(sec->entries[j].key);
		}
		free(sec->entries);
		free(sec->name);
		free(sec);
	}
	free(ini->sections);
	free(ini->filename);
	free(ini);
}

static struct ini_section *
ini_section_find_n(const struct ini *ini, const char *name, size_t len)
{
	struct ini_section *sec;
	size_t i;

	for (i = 0; i < ini->n; i++) {
		sec = ini->sections[i];
		if (strlen(sec->name) == len && memcmp(sec->name, name, len) == 0)
			return sec;
	}
	return NULL;
}

static struct ini_section *
ini_section_get_or_add(struct ini *ini, const char *name, size_t len, int line)
{
	struct ini_section *sec = ini_section_find_n(ini, name, len);

	if (sec != NULL)
		return sec;
	if (ini->n == ini->cap) {
		ini->cap = ini->cap == 0 ? 8 : ini->cap * 2;
		ini->sections = xreallocarray(ini->sections, ini->cap,
		    sizeof *ini->sections);
	}
	sec = xcalloc(1, sizeof *sec);
	sec->name = xstrndup(name, len);
	sec->line = line;
	ini->sections[ini->n++] = sec;
	return sec;
}

static struct ini_entry *
ini_entry_find(const struct ini_section *sec, const char *key)
{
	size_t i;

	for (i = 0; i < sec->n; i++) {
		if (strcasecmp(sec->entries[i].key, key) == 0)
			return &sec->entries[i];
	}
	return NULL;
}

/* Keys are lower-cased, as RawConfigParser's optionxform does. Allocated. */
static char *
ini_key_dup(const char *key, size_t klen)
{
	char *k = xstrndup(key, klen);
	size_t i;

	for (i = 0; i < klen; i++) {
		if (k[i] >= 'A' && k[i] <= 'Z')
			k[i] = (char)(k[i] - 'A' + 'a');
	}
	return k;
}

/*
 * A repeated key keeps its first position and takes the later value;
 * with multi, it is another entry after the ones before it.
 */
static struct ini_entry *
ini_entry_set(struct ini_section *sec, const char *key, size_t klen,
    const char *value, size_t vlen, int line, int multi)
{
	struct ini_entry *e;
	char *k;

	k = ini_key_dup(key, klen);
	e = multi ? NULL : ini_entry_find(sec, k);
	if (e != NULL) {
		free(k);
		if (e->value.data != NULL)
			OPENSSL_cleanse(e->value.data, e->value.cap);
		buf_reset(&e->value);
	} else {
		if (sec->n == sec->cap) {
			sec->cap = sec->cap == 0 ? 8 : sec->cap * 2;
			sec->entries = xreallocarray(sec->entries, sec->cap,
			    sizeof *sec->entries);
		}
		e = &sec->entries[sec->n++];
		e->key = k;
		buf_init(&e->value, 0);
	}
	e->line = line;
	buf_append(&e->value, value, vlen);
	return e;
}

static int
ini_syntax_error(struct ini *ini, struct dlc_err *err, int line,
    const char *why)
{
	dlc_err_what(err, "reading %s", ini->filename);
	dlc_err_set(err, "ConfigParseError", "%s line %d: %s", ini->filename,
	    line, why);
	dlc_err_fix(err, "edit %s line %d so it reads 'key = value', "
	    "'[section]', a comment starting with ';' or '#', or an indented "
	    "continuation of the value above", ini->filename, line);
	ini_free(ini);
	return -1;
}

/*
 * dlc's own files refuse what the AWS files merge: both places are named,
 * so the user sees which of two settings was meant to be in force.
 */
static int
ini_duplicate_error(struct ini *ini, struct dlc_err *err, int line, int first,
    const char *section, const char *key)
{
	dlc_err_what(err, "reading %s", ini->filename);
	if (key == NULL) {
		dlc_err_set(err, "DuplicateSection", "%s line %d: section [%s] "
		    "again (first at line %d)", ini->filename, line, section,
		    first);
		dlc_err_fix(err, "merge lines %d and %d of %s into one [%s] "
		    "section: sections are not merged, so no later line can "
		    "silently override an earlier one", first, line,
		    ini->filename, section);
	} else {
		dlc_err_set(err, "DuplicateKey", "%s line %d: '%s' set again "
		    "in [%s] (first at line %d)", ini->filename, line, key,
		    section, first);
		dlc_err_fix(err, "keep one of lines %d and %d of %s: a key is "
		    "set once per section", first, line, ini->filename);
	}
	ini_free(ini);
	return -1;
}

static struct ini *
ini_parse_mode(const char *text, size_t len, const char *filename, int strict,
    struct dlc_err *err)
{
	struct ini *ini;
	struct ini_section *cur = NULL;
	struct ini_entry *opt = NULL;
	size_t pos = 0, indent_level = 0, i, j;
	int lineno = 0;

	if (filename == NULL)
		filename = "(config)";
	if (len > INI_MAX_SIZE) {
		dlc_err_what(err, "reading %s", filename);
		dlc_err_set(err, "EFBIG", "%s is %zu bytes, more than the %d "
		    "a configuration file may have", filename, len,
		    INI_MAX_SIZE);
		dlc_err_fix(err, "check that %s is the configuration file you "
		    "meant", filename);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL) {
		dlc_err_what(err, "reading %s", filename);
		dlc_err_set(err, "ConfigParseError", "%s holds a NUL byte, so "
		    "it is not a text file", filename);
		dlc_err_fix(err, "check that %s is the configuration file you "
		    "meant", filename);
		return NULL;
	}
	ini = xcalloc(1, sizeof *ini);
	ini->filename = xstrdup(filename);

	while (pos < len) {
		const char *line = text + pos, *s, *d;
		size_t llen = 0, slen, indent, klen;

		/* Universal newlines, as Python reads text files. */
		while (pos + llen < len && line[llen] != '\n' &&
		    line[llen] != '\r')
			llen++;
		pos += llen;
		if (pos < len && text[pos] == '\r') {
			pos++;
			if (pos < len && text[pos] == '\n')
				pos++;
		} else if (pos < len && text[pos] == '\n') {
			pos++;
		}
		lineno++;

		s = line;
		slen = llen;
		ini_trim(&s, &slen);
		if (slen > 0 && (s[0] == ';' || s[0] == '#'))
			continue;	/* a comment does not end a value */
		if (slen == 0) {
			/* Kept inside a value; trailing ones trimmed at the end. */
			if (opt != NULL)
				buf_putc(&opt->value, '\n');
			continue;
		}
		indent = (size_t)(s - line);
		if (cur != NULL && opt != NULL && indent > indent_level) {
			buf_putc(&opt->value, '\n');
			buf_append(&opt->value, s, slen);
			continue;
		}
		indent_level = indent;
		if (s[0] == '[') {
			/* "\[(.+)\]" matched at the start: up to the last ']'. */
			for (j = slen; j > 0 && s[j - 1] != ']'; j--)
				;
			if (j >= 3) {
				cur = ini_section_find_n(ini, s + 1, j - 2);
				if (strict == 1 && cur != NULL) {
					ini_duplicate_error(ini, err, lineno,
					    cur->line, cur->name, NULL);
					return NULL;
				}
				cur = ini_section_get_or_add(ini, s + 1, j - 2,
				    lineno);
				opt = NULL;
				continue;
			}
		}
		if (cur == NULL) {
			ini_syntax_error(ini, err, lineno,
			    "a line before the first '[section]' header");
			return NULL;
		}
		for (d = s; d < s + slen && *d != '=' && *d != ':'; d++)
			;
		klen = (size_t)(d - s);
		while (klen > 0 && ini_is_space(s[klen - 1]))
			klen--;
		if (d == s + slen || klen == 0) {
			ini_syntax_error(ini, err, lineno,
			    "expected 'key = value' or '[section]'");
			return NULL;
		}
		if (strict == 1) {
			char *k = ini_key_dup(s, klen);
			const struct ini_entry *prev = ini_entry_find(cur, k);

			if (prev != NULL) {
				ini_duplicate_error(ini, err, lineno,
				    prev->line, cur->name, k);
				free(k);
				return NULL;
			}
			free(k);
		}
		d++;
		while (d < s + slen && ini_is_space(*d))
			d++;
		opt = ini_entry_set(cur, s, klen, d, (size_t)(s + slen - d),
		    lineno, strict == 2);
	}

	/* RawConfigParser joins a value's lines and strips the end. */
	for (i = 0; i < ini->n; i++) {
		struct ini_section *sec = ini->sections[i];

		for (j = 0; j < sec->n; j++) {
			struct buf *v = &sec->entries[j].value;

			if (v->data == NULL)
				buf_puts(v, "");
			while (v->len > 0 && ini_is_space(v->data[v->len - 1]))
				v->data[--v->len] = '\0';
		}
	}
	return ini;
}

struct ini *
ini_parse(const char *text, size_t len, const char *filename,
    struct dlc_err *err)
{
	return ini_parse_mode(text, len, filename, 0, err);
}

struct ini *
ini_parse_strict(const char *text, size_t len, const char *filename,
    struct dlc_err *err)
{
	return ini_parse_mode(text, len, filename, 1, err);
}

static struct ini *
ini_load_mode(const char *path, const char *display, int strict,
    struct dlc_err *err)
{
	struct ini *ini;
	struct stat st;
	char *text;
	size_t len = 0;
	ssize_t r;
	int fd, e;

	if (display == NULL)
		display = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		e = errno;
		dlc_err_what(err, "reading %s", display);
		dlc_err_set(err, e == ENOENT ? "ENOENT" : "EIO",
		    "cannot open %s: %s", display, strerror(e));
		dlc_err_fix(err, "check that %s exists and is readable",
		    display);
		return NULL;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		dlc_err_what(err, "reading %s", display);
		dlc_err_set(err, "EIO", "%s is not a regular file", display);
		dlc_err_fix(err, "point dlc at a file, not a folder or device");
		return NULL;
	}
	text = xmalloc(INI_MAX_SIZE + 2);
	for (;;) {
		r = read(fd, text + len, INI_MAX_SIZE + 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len > INI_MAX_SIZE)
			break;
	}
	e = errno;
	close(fd);
	if (r == -1) {
		free(text);
		dlc_err_what(err, "reading %s", display);
		dlc_err_set(err, "EIO", "cannot read %s: %s", display,
		    strerror(e));
		dlc_err_fix(err, "check that %s is readable", display);
		return NULL;
	}
	ini = ini_parse_mode(text, len, display, strict, err);
	OPENSSL_cleanse(text, len);
	free(text);
	return ini;
}

struct ini *
ini_load_as(const char *path, const char *display, struct dlc_err *err)
{
	return ini_load_mode(path, display, 0, err);
}

struct ini *
ini_load_strict(const char *path, struct dlc_err *err)
{
	return ini_load_mode(path, NULL, 1, err);
}

struct ini *
ini_load_multi(const char *path, struct dlc_err *err)
{
	return ini_load_mode(path, NULL, 2, err);
}

struct ini *
ini_load(const char *path, struct dlc_err *err)
{
	return ini_load_as(path, NULL, err);
}

const char *
ini_filename(const struct ini *ini)
{
	return ini->filename;
}

size_t
ini_section_count(const struct ini *ini)
{
	return ini == NULL ? 0 : ini->n;
}

const struct ini_section *
ini_section_at(const struct ini *ini, size_t i)
{
	if (ini == NULL || i >= ini->n)
		return NULL;
	return ini->sections[i];
}

const struct ini_section *
ini_find_section(const struct ini *ini, const char *name)
{
	size_t i;

	if (ini == NULL)
		return NULL;
	for (i = 0; i < ini->n; i++) {
		if (strcmp(ini->sections[i]->name, name) == 0)
			return ini->sections[i];
	}
	return NULL;
}

const char *
ini_section_name(const struct ini_section *sec)
{
	return sec->name;
}

int
ini_section_line(const struct ini_section *sec)
{
	return sec->line;
}

const char *
ini_get(const struct ini_section *sec, const char *key)
{
	const struct ini_entry *e;

	if (sec == NULL)
		return NULL;
	e = ini_entry_find(sec, key);
	return e == NULL ? NULL : e->value.data;
}

int
ini_get_line(const struct ini_section *sec, const char *key)
{
	const struct ini_entry *e;

	if (sec == NULL)
		return 0;
	e = ini_entry_find(sec, key);
	return e == NULL ? 0 : e->line;
}

size_t
ini_key_count(const struct ini_section *sec)
{
	return sec == NULL ? 0 : sec->n;
}

const char *
ini_key_at(const struct ini_section *sec, size_t i, const char **value)
{
	if (sec == NULL || i >= sec->n)
		return NULL;
	if (value != NULL)
		*value = sec->entries[i].value.data;
	return sec->entries[i].key;
}

int
ini_key_line_at(const struct ini_section *sec, size_t i)
{
	if (sec == NULL || i >= sec->n)
		return 0;
	return sec->entries[i].line;
}

char *
ini_nested_get(const char *value, const char *subkey)
{
	const char *line, *end, *eq, *s;
	size_t slen, klen;
	char *found = NULL;

	if (value == NULL || subkey == NULL)
		return NULL;
	for (line = value; *line != '\0'; line = *end == '\0' ? end : end + 1) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		s = line;
		slen = (size_t)(end - line);
		ini_trim(&s, &slen);
		eq = memchr(s, '=', slen);
		if (eq == NULL)
			continue;	/* botocore would fail; dlc ignores it */
		klen = (size_t)(eq - s);
		while (klen > 0 && ini_is_space(s[klen - 1]))
			klen--;
		if (klen != strlen(subkey) || memcmp(s, subkey, klen) != 0)
			continue;
		eq++;
		slen = (size_t)(s + slen - eq);
		ini_trim(&eq, &slen);
		/* A dict built line by line: the last one wins. */
		free(found);
		found = xstrndup(eq, slen);
	}
	return found;
}

char *
ini_unquote(const char *value)
{
	size_t len, i;
	char *out, *o;

	if (value == NULL)
		return NULL;
	len = strlen(value);
	if (len < 2 || (value[0] != '"' && value[0] != '\'') ||
	    value[len - 1] != value[0])
		return xstrdup(value);
	if (value[0] == '\'')
		return xstrndup(value + 1, len - 2);
	out = o = xmalloc(len);
	for (i = 1; i < len - 1; i++) {
		if (value[i] == '\\' && i + 1 < len - 1 &&
		    (value[i + 1] == '"' || value[i + 1] == '\\'))
			i++;
		*o++ = value[i];
	}
	*o = '\0';
	return out;
}

void
ini_words_free(char **words)
{
	size_t i;

	if (words == NULL)
		return;
	for (i = 0; words[i] != NULL; i++)
		free(words[i]);
	free(words);
}

static void
ini_words_push(char ***words, size_t *n, size_t *cap, struct buf *w)
{
	if (*n + 2 > *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		*words = xreallocarray(*words, *cap, sizeof **words);
	}
	(*words)[(*n)++] = w->data != NULL ? buf_detach(w, NULL) : xstrdup("");
	(*words)[*n] = NULL;
}

int
ini_split_words(const char *s, char ***words, size_t *n, struct dlc_err *err)
{
	struct buf w;
	char **out = NULL;
	size_t count = 0, cap = 0;
	int in_word = 0;
	char quote = 0;

	buf_init(&w, 0);
	for (; *s != '\0'; s++) {
		char c = *s;

		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else
				buf_putc(&w, c);
		} else if (quote == '"') {
			if (c == '"')
				quote = 0;
			else if (c == '\\' && (s[1] == '"' || s[1] == '\\'))
				buf_putc(&w, *++s);
			else
				buf_putc(&w, c);
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (in_word)
				ini_words_push(&out, &count, &cap, &w);
			in_word = 0;
		} else if (c == '\'' || c == '"') {
			quote = c;
			in_word = 1;
		} else if (c == '\\') {
			if (s[1] == '\0') {
				quote = '\\';
				break;
			}
			buf_putc(&w, *++s);
			in_word = 1;
		} else {
			buf_putc(&w, c);
			in_word = 1;
		}
	}
	if (quote != 0) {
		buf_free(&w);
		ini_words_free(out);
		dlc_err_set(err, "EINVAL", quote == '\\' ?
		    "a backslash ends the text, with nothing to escape" :
		    "a %c quote is never closed", quote);
		dlc_err_fix(err, "close the quote, or escape it with a "
		    "backslash");
		return -1;
	}
	if (in_word)
		ini_words_push(&out, &count, &cap, &w);
	buf_free(&w);
	if (out == NULL) {
		out = xcalloc(1, sizeof *out);
	}
	*words = out;
	*n = count;
	return 0;
}
