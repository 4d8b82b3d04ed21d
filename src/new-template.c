/*
 * Rendering of dlc new's templates: @WORD@ placeholders replaced, nothing
 * else touched.
 */
#include "new-template.h"

#include <string.h>

const char *
new_template_find(const char *group, const char *path)
{
	const struct new_template_file *f;

	for (f = new_template_files; f->group != NULL; f++)
		if (strcmp(f->group, group) == 0 && strcmp(f->path, path) == 0)
			return f->text;
	return NULL;
}

/* Length of the WORD of "@WORD@" at s (s[0] == '@'), or 0 if it is none. */
static size_t
new_template_word(const char *s)
{
	size_t n = 1;

	if (!(s[n] >= 'A' && s[n] <= 'Z'))
		return 0;
	while ((s[n] >= 'A' && s[n] <= 'Z') || s[n] == '_' || (s[n] >= '0' && s[n] <= '9'))
		n++;
	return s[n] == '@' ? n - 1 : 0;
}

int
new_template_render(struct buf *out, const char *text,
    const struct new_var *vars, size_t n_vars, struct dlc_err *err)
{
	const char *p = text, *at;
	size_t len, i;

	while ((at = strchr(p, '@')) != NULL) {
		buf_append(out, p, (size_t)(at - p));
		len = new_template_word(at);
		if (len == 0) {
			buf_putc(out, '@');
			p = at + 1;
			continue;
		}
		for (i = 0; i < n_vars; i++)
			if (strlen(vars[i].name) == len && strncmp(vars[i].name, at + 1, len) == 0)
				break;
		if (i == n_vars)
			return dlc_err_set(err, "UnknownPlaceholder",
			    "the template uses @%.*s@, which dlc new does not fill",
			    (int)len, at + 1);
		buf_puts(out, vars[i].value);
		p = at + len + 2;
	}
	buf_puts(out, p);
	return 0;
}
