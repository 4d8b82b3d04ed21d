/*
 * Splits a command line into words the way Python's shlex.split does (what
 * botocore uses for credential_process and what manifests' build commands
 * use): quotes and backslashes understood, no variable expansion, and no
 * shell ever runs it.
 */
#ifndef DLC_SHELLWORDS_H
#define DLC_SHELLWORDS_H

#include <stddef.h>

#include "err.h"

/* Returns an allocated NULL-terminated argv (free with shellwords_free) or NULL with err. */
char	**shellwords_split(const char *line, size_t *argc, struct dlc_err *err);
void	shellwords_free(char **argv);

#endif
