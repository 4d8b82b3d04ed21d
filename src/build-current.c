/* The CodeSha256 of a function's current build, without building. */
#include "build-current.h"

#include <stdlib.h>
#include <string.h>

#include "build-hash.h"
#include "build.h"
#include "dlcconfig.h"
#include "xmalloc.h"

int
build_current_sha(const struct dlc_config *cfg, const struct local_function *fn,
    char code_sha256[45], struct dlc_err *err)
{
	char hex[65];

	if (build_hash_inputs(fn, cfg->build_dir, hex, err) != 0)
		return -1;
	return build_current_sha_of(cfg, fn, hex, code_sha256);
}

int
build_current_sha_of(const struct dlc_config *cfg,
    const struct local_function *fn, const char hex[65], char code_sha256[45])
{
	struct build_result res;
	char *zip, *sha, *inputs;
	int rc;

	zip = build_zip_path(cfg, fn);
	sha = xasprintf("%s.sha256", zip);
	inputs = xasprintf("%s.inputs", zip);
	memset(&res, 0, sizeof res);
	rc = build_hash_unchanged(inputs, hex, zip, sha, &res);
	if (rc == 1)
		memcpy(code_sha256, res.code_sha256, 45);
	free(res.zip_path);
	free(inputs);
	free(sha);
	free(zip);
	return rc == 1 ? 1 : 0;
}
