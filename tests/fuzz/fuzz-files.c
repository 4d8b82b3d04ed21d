/* Temporary files for the fuzz targets that read files: see fuzz-files.h. */
#include "fuzz-files.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_files_root[] = "/tmp/dlc-fuzz-XXXXXX";
static int fuzz_files_made;

static int
fuzz_files_rm(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)remove(path);
	return 0;
}

static void
fuzz_files_cleanup(void)
{
	(void)nftw(fuzz_files_root, fuzz_files_rm, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fuzz_files_dir(void)
{
	if (!fuzz_files_made) {
		if (mkdtemp(fuzz_files_root) == NULL) {
			perror("mkdtemp");
			abort();
		}
		fuzz_files_made = 1;
		atexit(fuzz_files_cleanup);
		setenv("HOME", fuzz_files_root, 1);
		/* Only the files decide: no profile or region from outside. */
		unsetenv("AWS_PROFILE");
		unsetenv("AWS_DEFAULT_PROFILE");
		unsetenv("AWS_REGION");
		unsetenv("AWS_DEFAULT_REGION");
		unsetenv("AWS_CONFIG_FILE");
		unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	}
	return fuzz_files_root;
}

char *
fuzz_files_path(const char *name)
{
	const char *dir = fuzz_files_dir();
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p == NULL)
		abort();
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

void
fuzz_files_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len) ||
	    fclose(f) != 0) {
		perror(path);
		abort();
	}
}
