/*
 * STS's wire format (query protocol, Version 2011-06-15): the form bodies of
 * GetCallerIdentity and AssumeRole, and parsers for their XML answers.
 */
#ifndef DLC_STS_H
#define DLC_STS_H

#include <stddef.h>

#include "credentials.h"
#include "err.h"

#define STS_API_VERSION	"2011-06-15"

struct sts_identity {
	char	*account;
	char	*arn;
	char	*user_id;
};

/* Returns the allocated form body "Action=GetCallerIdentity&Version=...". */
char	*sts_get_caller_identity_body(void);
/* Fills out (zeroed by the caller) from a GetCallerIdentity answer. */
int	sts_parse_get_caller_identity(const char *body, size_t len,
	    struct sts_identity *out, struct dlc_err *err);
/* Frees the members and zeroes the struct; safe on a zeroed one. */
void	sts_identity_clear(struct sts_identity *id);

/*
 * Returns the allocated AssumeRole form body. duration_seconds 0 and
 * external_id NULL leave those members out.
 */
char	*sts_assume_role_body(const char *role_arn, const char *session_name,
	    int duration_seconds, const char *external_id);
/*
 * Fills out (zeroed by the caller) from an AssumeRole answer: the three
 * keys, expiration from the ISO 8601 Expiration, account_id from
 * AssumedRoleUser.Arn when it has one, source "assume-role". On failure out
 * stays cleared. The body holds secrets: the caller wipes it.
 */
int	sts_parse_assume_role(const char *body, size_t len,
	    struct aws_credentials *out, struct dlc_err *err);

#endif
