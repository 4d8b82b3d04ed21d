/*
 * A set of AWS credentials, whichever provider produced it. The secret
 * parts are wiped when freed.
 */
#ifndef DLC_CREDENTIALS_H
#define DLC_CREDENTIALS_H

#include <time.h>

struct aws_credentials {
	char	*access_key_id;
	char	*secret_access_key;
	char	*session_token;		/* NULL for long-term keys */
	time_t	 expiration;		/* 0: does not expire */
	char	*account_id;		/* NULL when the source does not say */
	const char *source;		/* static string: "env", "profile", "process", "sso", "assume-role" */
};

/* Wipes and frees the members (not the struct); safe on a zeroed struct. */
void	aws_credentials_clear(struct aws_credentials *c);
/* Copies src into dst (deep); dst is overwritten, not cleared first. */
void	aws_credentials_copy(struct aws_credentials *dst, const struct aws_credentials *src);

#endif
