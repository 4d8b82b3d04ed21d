/*
 * What verifying an interrupted deploy job says: the CodeSha256 the job
 * sent or meant to send, compared with what the function runs now, and
 * the "verified" journal record that keeps the answer. `dlc queue verify`
 * and the console's v both ask AWS for the deployed CodeSha256 and then
 * come here, so the two cannot disagree on a verdict.
 */
#ifndef DLC_VERIFY_JOB_H
#define DLC_VERIFY_JOB_H

#include <cjson/cJSON.h>

struct jobstate;

/*
 * The CodeSha256 of js's package: its end record's, else the one its
 * package step reported ("N bytes, CodeSha256 X"); NULL when it never
 * made one. Allocated.
 */
char		*verify_job_package_sha(const struct jobstate *js);
/*
 * "deployed" when deployed (NULL: the function was not found) is want,
 * "not deployed" when it is not, or when want is NULL because the job
 * stopped in (or before) its build or package step, and "unknown" when
 * want is NULL past those. *matches is 1 only for "deployed".
 */
const char	*verify_job_verdict(const char *want, const char *step,
		    const char *deployed, int *matches);
/* The "verified" record of job id (for journal_append, which takes it). */
cJSON		*verify_job_record(const char *id, const char *deployed,
		    int matches);

#endif
