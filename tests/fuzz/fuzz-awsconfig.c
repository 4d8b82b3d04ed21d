/*
 * libFuzzer target for src/awsconfig.c (and the SSO profile settings of
 * src/sso-cache.c read from it): the input is ~/.aws/config, then a NUL,
 * then ~/.aws/credentials. Either both load or the error names a file;
 * every profile listed can be read back through each accessor.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "awsconfig.h"
#include "fuzz-files.h"
#include "sso-cache.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_awsconfig_keys[] = {
	"region", "sso_session", "sso_start_url", "credential_process",
	"role_arn", "source_profile", "aws_access_key_id", "services",
	"endpoint_url", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *config, *credentials;
	const uint8_t *nul;
	struct aws_config *cfg;
	struct sso_cache_profile sp;
	struct dlc_err err;
	const char *name, *v;
	size_t i, k, cut;

	if (config == NULL) {
		config = fuzz_files_path("config");
		credentials = fuzz_files_path("credentials");
	}
	nul = memchr(data, '\0', size);
	cut = nul != NULL ? (size_t)(nul - data) : size;
	fuzz_files_write(config, data, cut);
	fuzz_files_write(credentials, nul != NULL ? nul + 1 : data,
	    nul != NULL ? size - cut - 1 : 0);

	dlc_err_clear(&err);
	cfg = aws_config_load(config, credentials, &err);
	if (cfg == NULL) {
		if (err.message[0] == '\0')
			abort();
		return 0;
	}
	(void)aws_config_file_path_used(cfg);
	(void)aws_config_credentials_path_used(cfg);
	for (i = 0; i < aws_config_profile_count(cfg); i++) {
		name = aws_config_profile_at(cfg, i);
		if (name == NULL || !aws_config_has_profile(cfg, name))
			abort();
		for (k = 0; fuzz_awsconfig_keys[k] != NULL; k++) {
			v = aws_config_get(cfg, name, fuzz_awsconfig_keys[k]);
			if (v != NULL)
				free(aws_config_where(cfg, name,
				    fuzz_awsconfig_keys[k]));
		}
		free(aws_config_region(cfg, name));
		v = aws_config_get(cfg, name, "sso_session");
		if (v != NULL) {
			(void)aws_config_sso_session_get(cfg, v, "sso_region");
			(void)aws_config_sso_session_get(cfg, v,
			    "sso_start_url");
		}
		v = aws_config_get(cfg, name, "services");
		if (v != NULL)
			free(aws_config_services_get(cfg, v, "lambda",
			    "endpoint_url"));
		memset(&sp, 0, sizeof sp);
		dlc_err_clear(&err);
		if (sso_cache_profile_load(cfg, name, (int)(i & 1), &sp,
		    &err) == 0) {
			if (sp.start_url == NULL || sp.region == NULL ||
			    sp.cache_key == NULL)
				abort();
			sso_cache_profile_clear(&sp);
		} else if (err.message[0] == '\0')
			abort();
	}
	free(aws_config_region(cfg, "default"));
	aws_config_free(cfg);
	return 0;
}
