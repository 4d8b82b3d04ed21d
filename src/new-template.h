/*
 * The template files of `dlc new` (templates/new/GROUP/PATH, carried in
 * the program as a generated table) and their rendering: every @WORD@
 * (upper-case letters and '_') is replaced by its value, so a team edits
 * a template as the file it becomes. An '@' not starting such a word (an
 * e-mail address, a decorator) stays as it is.
 */
#ifndef DLC_NEW_TEMPLATE_H
#define DLC_NEW_TEMPLATE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

struct new_template_file {
	const char	*group;	/* "common", "dynamodb", ..., "terraform" */
	const char	*path;	/* inside the group: "src/config.py" */
	const char	*text;
};

/* Generated from templates/new by scripts/embed-templates.sh; NULL-ended. */
extern const struct new_template_file new_template_files[];

struct new_var {
	const char	*name;	/* "NAME" for @NAME@ */
	const char	*value;
};

/* The text of GROUP/PATH, or NULL. */
const char *new_template_find(const char *group, const char *path);
/*
 * Appends text to out with the placeholders replaced. An @WORD@ with no
 * value in vars returns -1 (code UnknownPlaceholder) naming it: a
 * template's typo must not reach a user's file.
 */
int	new_template_render(struct buf *out, const char *text,
	    const struct new_var *vars, size_t n_vars, struct dlc_err *err);

#endif
