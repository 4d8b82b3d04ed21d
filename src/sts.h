/*
 * STS (query protocol, Version 2011-06-15): the GetCallerIdentity and
 * AssumeRole operations, their form bodies and their XML answers' parsers.
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

/* ---- operations (see aws-op.h: cb runs once, its result is cleared after) ---- */

struct aws_env;
struct aws_call;
struct aws_reply;

struct sts_assume_role_args {
	const char	*role_arn;
	const char	*session_name;
	int		 duration_seconds;	/* 0: STS's default */
	const char	*external_id;		/* NULL: none */
};

/* The typed result is NULL when reply->ok != 0. */
typedef void (*sts_get_caller_identity_cb)(struct aws_reply *reply,
	    struct sts_identity *id, void *arg);
/* The credentials are wiped after the callback: copy what is kept. */
typedef void (*sts_assume_role_cb)(struct aws_reply *reply,
	    struct aws_credentials *creds, void *arg);

struct aws_call *sts_get_caller_identity(struct aws_env *env,
	    sts_get_caller_identity_cb cb, void *arg);
/* args is read only during the call. */
struct aws_call *sts_assume_role(struct aws_env *env,
	    const struct sts_assume_role_args *args, sts_assume_role_cb cb,
	    void *arg);

extern const struct aws_op sts_op_get_caller_identity;	/* args NULL */
extern const struct aws_op sts_op_assume_role;

#endif
