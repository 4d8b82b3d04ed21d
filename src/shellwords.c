/* shlex.split for command lines from config files. */
#include "shellwords.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

static void
shellwords_push(char ***argv, size_t *n, struct buf *word)
{
	*argv = xreallocarray(*argv, *n + 2, sizeof **argv);
	(*argv)[(*n)++] = buf_detach(word, NULL);
	(*argv)[*n] = NULL;
}

char **
shellwords_split(const char *line, size_t *argc, struct dlc_err *err)
{
	char **argv = xcalloc(1, sizeof *argv);
	struct buf word;
	size_t n = 0;
	const char *p = line;
	int in_word = 0;
	char quote = 0;

	buf_init(&word, 0);
	for (; *p != '\0'; p++) {
		char c = *p;

		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else
				buf_putc(&word, c);
			continue;
		}
		if (quote == '"') {
			if (c == '"')
				quote = 0;
			else if (c == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`'))
				buf_putc(&word, *++p);
			else
				buf_putc(&word, c);
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (in_word)
				shellwords_push(&argv, &n, &word);
			in_word = 0;
			continue;
		}
		in_word = 1;
		if (c == '\'' || c == '"')
			quote = c;
		else if (c == '\\' && p[1] != '\0')
			buf_putc(&word, *++p);
		else
			buf_putc(&word, c);
	}
	if (quote != 0) {
		buf_free(&word);
		shellwords_free(argv);
		dlc_err_set(err, "InvalidCommand", "unbalanced %c quote in command: %s", quote, line);
		return NULL;
	}
	if (in_word)
		shellwords_push(&argv, &n, &word);
	buf_free(&word);
	if (argc != NULL)
		*argc = n;
	return argv;
}

void
shellwords_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}
