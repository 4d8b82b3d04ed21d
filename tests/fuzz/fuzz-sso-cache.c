/*
 * libFuzzer target for src/sso-cache.c's reader of the token cache the
 * aws CLI writes (~/.aws/sso/cache/SHA1.json): any file is a token with
 * its access token and expiry, or refused as "InvalidCache".
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz-files.h"
#include "sso-cache.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *path;
	struct sso_cache_token t;
	struct dlc_err err;
	char *dir;

	if (path == NULL) {
		dir = fuzz_files_path(".aws");
		(void)mkdir(dir, 0700);
		free(dir);
		dir = fuzz_files_path(".aws/sso");
		(void)mkdir(dir, 0700);
		free(dir);
		dir = fuzz_files_path(".aws/sso/cache");
		(void)mkdir(dir, 0700);
		free(dir);
		path = sso_cache_path("fuzz");
		if (path == NULL)
			abort();
	}
	fuzz_files_write(path, data, size);
	dlc_err_clear(&err);
	if (sso_cache_read("fuzz", &t, &err) == 0) {
		if (t.access_token == NULL || t.expires_at == 0)
			abort();
		sso_cache_token_clear(&t);
	} else if (strcmp(err.code, "InvalidCache") != 0)
		abort();
	return 0;
}
