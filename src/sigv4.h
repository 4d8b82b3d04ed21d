/*
 * AWS Signature Version 4, in stages over one result struct, so each stage
 * can be checked against the conformance files: canonical request ->
 * string to sign -> signing key -> signature -> Authorization header (or
 * presigned query). Time and credentials are passed in, never read here.
 * SSO portal and OIDC calls are unsigned and never come here.
 */
#ifndef DLC_SIGV4_H
#define DLC_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "err.h"

/* Longest canonical request signed; a longer one is refused, not truncated. */
#define SIGV4_MAX_CANONICAL	(1024 * 1024)
/* Presigned URLs live at most a week (AWS refuses longer). */
#define SIGV4_MAX_EXPIRES	604800L

struct sigv4_header {
	const char	*name;
	const char	*value;
};

struct sigv4_request {			/* the request as it will be sent */
	const char	*method;	/* "GET" */
	/* As sent on the wire, already percent-encoded once:
	 * "/2015-03-31/functions/arn%3Aaws%3A..." */
	const char	*path;
	const char	*query;		/* as sent, without '?'; NULL or "" for none */
	/* Every header that will be sent, Host included, in sending order
	 * (duplicates are joined in this order). A value may hold folded
	 * continuation lines; whitespace runs are collapsed for signing. */
	const struct sigv4_header *headers;
	size_t		 n_headers;
	const void	*body;
	size_t		 body_len;
};

struct sigv4_params {
	const char	*region;
	const char	*service;	/* signing name: "lambda", "sts", "logs", "monitoring" */
	time_t		 when;		/* signing time, UTC epoch */
	/*
	 * 1 for every service but S3: drop "." and ".." segments and empty
	 * segments ("//"), then percent-encode the path again ("%3A" is signed
	 * as "%253A"). 0 (S3): the canonical URI is the path exactly as sent.
	 */
	int		 normalize_path;
	/*
	 * With normalize_path 0, still encode the path again without
	 * normalising it (aws-c-auth's use_double_uri_encode on its own). No
	 * AWS service dlc calls wants this; the conformance "*-unnormalized"
	 * cases do.
	 */
	int		 encode_unnormalized;
	/* Add and sign x-amz-content-sha256 (S3); header form only. */
	int		 sign_body_header;
	/* Send X-Amz-Security-Token but leave it out of the signature. */
	int		 omit_session_token;
	long		 expires;	/* presign only: X-Amz-Expires, 1..SIGV4_MAX_EXPIRES */
	/* NULL: the hex SHA-256 of body. Otherwise used as is: a hash computed
	 * while streaming a file, or "UNSIGNED-PAYLOAD". */
	const char	*payload_hash;
};

struct sigv4_creds {
	const char	*access_key_id;
	const char	*secret_access_key;
	const char	*session_token;	/* NULL if none */
};

enum sigv4_form {
	SIGV4_FORM_HEADER,		/* Authorization header */
	SIGV4_FORM_QUERY		/* presigned URL */
};

struct sigv4_result {			/* all allocated; sigv4_result_free() releases */
	char	*canonical_request;
	char	*string_to_sign;
	char	 signature[65];
	char	 amz_date[17];		/* 20150830T123600Z */
	char	*scope;			/* 20150830/us-east-1/lambda/aws4_request */
	char	*signed_headers;	/* "host;x-amz-date" */
	/* Header form: "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
	 * Signature=..."; NULL in the query form. */
	char	*authorization;
	/* Header form: headers the caller adds to the request, in this order:
	 * X-Amz-Security-Token (when there is a token), X-Amz-Date,
	 * x-amz-content-sha256 (sign_body_header), Authorization. Names and
	 * values allocated. None in the query form. */
	struct sigv4_header *add;
	size_t	 n_add;
	/* Query form: the complete query string to send (no '?'): the request's
	 * own query as sent, then the X-Amz-* parameters and X-Amz-Signature. */
	char	*presigned_query;
};

/*
 * Signs req for the Authorization header form. On success out holds every
 * stage and the headers to add; on failure (-1, err filled) out is empty.
 * A request that already carries Authorization, X-Amz-Date, or headers
 * the signer adds is refused: sign the unsigned request again instead.
 */
int	sigv4_sign_headers(const struct sigv4_request *req,
	    const struct sigv4_params *p, const struct sigv4_creds *c,
	    struct sigv4_result *out, struct dlc_err *err);
/* Signs req as a presigned URL (query form); see presigned_query. */
int	sigv4_presign(const struct sigv4_request *req,
	    const struct sigv4_params *p, const struct sigv4_creds *c,
	    struct sigv4_result *out, struct dlc_err *err);
/* Wipes (the token and signature are secrets) and frees; safe on a zeroed
 * or already freed struct and on NULL. */
void	sigv4_result_free(struct sigv4_result *r);

/*
 * Stage 1. Fills out->amz_date, scope, signed_headers, canonical_request
 * and, in the query form, presigned_query without the signature yet.
 * out is overwritten (not freed first); on failure it is left empty.
 */
int	sigv4_canonical_request(const struct sigv4_request *req,
	    const struct sigv4_params *p, const struct sigv4_creds *c,
	    enum sigv4_form form, struct sigv4_result *out, struct dlc_err *err);
/* Stage 2. Returns an allocated string to sign. */
char	*sigv4_string_to_sign(const char *amz_date, const char *scope,
	    const char *canonical_request);
/* Stage 3. date is the scope's YYYYMMDD. The key is a secret: wipe it. */
void	sigv4_signing_key(const char *secret_access_key, const char *date,
	    const char *region, const char *service, unsigned char key[32]);
/* Stage 4. Lower-case hex HMAC of the string to sign. */
void	sigv4_signature(const unsigned char key[32],
	    const char *string_to_sign, char out[65]);

/*
 * The path part of the canonical request (see normalize_path). Returns an
 * allocated string, or NULL when the ceiling is passed.
 */
char	*sigv4_canonical_uri(const char *path, int normalize, int encode);
/*
 * The canonical query string of query as sent: each key and value decoded
 * once and encoded again (RFC 3986), "k" taken as "k=", sorted by key then
 * value. Returns 0, or -1 on a malformed %-escape or the ceiling.
 */
int	sigv4_canonical_query(const char *query, char **out,
	    struct dlc_err *err);

#endif
