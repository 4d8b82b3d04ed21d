/* What verifying an interrupted deploy job says: see verify-job.h. */
#include "verify-job.h"

#include <string.h>

#include "jobstate.h"
#include "jsonout.h"
#include "xmalloc.h"

/* A CodeSha256: the base64 of 32 bytes. */
#define VERIFY_JOB_SHA_LEN	44

char *
verify_job_package_sha(const struct jobstate *js)
{
	const struct jobstate_step *st;
	const char *p;
	size_t len;

	if (js->code_sha256 != NULL && js->code_sha256[0] != '\0')
		return xstrdup(js->code_sha256);
	/* push's package step says "N bytes, CodeSha256 X". */
	st = jobstate_step(js, "package");
	if (st == NULL || st->detail == NULL ||
	    (p = strstr(st->detail, "CodeSha256 ")) == NULL)
		return NULL;
	p += strlen("CodeSha256 ");
	len = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/=");
	return len == VERIFY_JOB_SHA_LEN ? xstrndup(p, len) : NULL;
}

const char *
verify_job_verdict(const char *want, const char *step, const char *deployed,
    int *matches)
{
	*matches = 0;
	if (want == NULL || want[0] == '\0') {
		/* It never made its package: it cannot have sent one. */
		return step == NULL || step[0] == '\0' ||
		    strcmp(step, "build") == 0 || strcmp(step, "package") == 0 ?
		    "not deployed" : "unknown";
	}
	*matches = deployed != NULL && strcmp(deployed, want) == 0;
	return *matches ? "deployed" : "not deployed";
}

cJSON *
verify_job_record(const char *id, const char *deployed, int matches)
{
	cJSON *rec = cJSON_CreateObject();

	cJSON_AddStringToObject(rec, "job", id);
	cJSON_AddStringToObject(rec, "ev", "verified");
	cJSON_AddItemToObject(rec, "deployed_sha256",
	    jsonout_string_or_null(deployed));
	cJSON_AddBoolToObject(rec, "matches", matches);
	return rec;
}
