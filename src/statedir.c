/* dlc's state folder: see statedir.h. */
#include "statedir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xmalloc.h"

char *
state_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	/* The XDG spec: a relative XDG_STATE_HOME is invalid and ignored. */
	if (state != NULL && state[0] == '/')
		return xasprintf("%s/dlc", state);
	return xasprintf("%s/.local/state/dlc", home != NULL ? home : ".");
}

char *
state_dir_path(const char *rel)
{
	char *dir = state_dir();
	char *path = xasprintf("%s/%s", dir, rel);

	free(dir);
	return path;
}

int
state_dir_make_parents(const char *path, struct dlc_err *err)
{
	char *dir = xstrdup(path);
	size_t i;
	int rc = 0;

	for (i = 1; dir[0] != '\0' && dir[i] != '\0'; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			dlc_err_set(err, "StateWriteFailed", "creating %s: %s",
			    dir, strerror(errno));
			dlc_err_fix(err, "check that HOME or XDG_STATE_HOME "
			    "names a folder you can write");
			rc = -1;
			break;
		}
		dir[i] = '/';
	}
	free(dir);
	return rc;
}
