/* The console's state file: see console-state.h. */
#include "console-state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "ini.h"
#include "statedir.h"
#include "xmalloc.h"

#define CONSOLE_STATE_SECTION	"console"

char *
console_state_path(void)
{
	return state_dir_path("console.ini");
}

char *
console_state_get(const char *path, const char *key)
{
	struct dlc_err err;
	struct ini *ini = ini_load(path, &err);
	const struct ini_section *sec;
	const char *v;
	char *out = NULL;

	if (ini == NULL)
		return NULL;
	sec = ini_find_section(ini, CONSOLE_STATE_SECTION);
	v = sec != NULL ? ini_get(sec, key) : NULL;
	if (v != NULL)
		out = xstrdup(v);
	ini_free(ini);
	return out;
}

static int
console_state_write(const char *path, const struct buf *text, struct dlc_err *err)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd, rc = -1;

	if (state_dir_make_parents(path, err) != 0)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		dlc_err_set(err, "StateWriteFailed", "creating %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write(fd, text->data, text->len) != (ssize_t)text->len || fsync(fd) != 0) {
		dlc_err_set(err, "StateWriteFailed", "writing %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	/* The old file stays whole until the new one is complete. */
	if (rename(tmp, path) != 0) {
		dlc_err_set(err, "StateWriteFailed", "renaming %s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

int
console_state_set(const char *path, const char *key, const char *value, struct dlc_err *err)
{
	struct dlc_err load_err;
	struct ini *ini;
	const struct ini_section *sec;
	struct buf text;
	size_t i;
	int rc;

	if (strpbrk(key, "=:[]\n\r") != NULL || strpbrk(value, "\n\r") != NULL) {
		dlc_err_set(err, "InvalidState", "%s: a state key and value are one line each", key);
		return -1;
	}
	/* A missing or unreadable file is replaced: it holds only preferences. */
	ini = ini_load(path, &load_err);
	sec = ini != NULL ? ini_find_section(ini, CONSOLE_STATE_SECTION) : NULL;
	buf_init(&text, 0);
	buf_puts(&text, "# dlc's console remembers its choices here; rewritten by the console.\n[console]\n");
	for (i = 0; sec != NULL && i < ini_key_count(sec); i++) {
		const char *v, *k = ini_key_at(sec, i, &v);

		if (strcmp(k, key) != 0 && v != NULL && strpbrk(v, "\n\r") == NULL)
			buf_printf(&text, "%s = %s\n", k, v);
	}
	buf_printf(&text, "%s = %s\n", key, value);
	ini_free(ini);
	rc = console_state_write(path, &text, err);
	buf_free(&text);
	return rc;
}
