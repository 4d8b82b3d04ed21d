/* AWS Signature Version 4: canonical request, string to sign, signature. */
#include "sigv4.h"
#include "buf.h"
#include "hash.h"
#include "uri.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#define SIGV4_ALGORITHM	"AWS4-HMAC-SHA256"

/* One header of the canonical request: lower-case name, canonical value. */
struct sigv4_hdr {
	char	*name;
	char	*value;
	size_t	 order;		/* keeps duplicates in sending order */
};

struct sigv4_hdrs {
	struct sigv4_hdr *v;
	size_t	 n;
};

/* One query parameter, both halves already encoded for the canonical form. */
struct sigv4_param {
	char	*key;
	char	*value;
};

struct sigv4_params_list {
	struct sigv4_param *v;
	size_t	 n;
};

/*
 * Headers botocore never signs (SIGNED_HEADERS_BLACKLIST): proxies and
 * HTTP stacks add, drop or rewrite them on the way.
 */
static const char *const sigv4_unsigned_headers[] = {
	"connection", "expect", "keep-alive", "proxy-authenticate",
	"proxy-authorization", "te", "trailer", "transfer-encoding",
	"upgrade", "user-agent", "x-amzn-trace-id",
};

static int
sigv4_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

static char *
sigv4_lower(const char *s)
{
	char *l = xstrdup(s), *p;

	for (p = l; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return l;
}

/* Trimmed, every whitespace run (folded lines too) turned into one space. */
static char *
sigv4_header_value(const char *v)
{
	char *out = xmalloc(strlen(v) + 1), *o = out;
	int space = 0;

	while (sigv4_is_space(*v))
		v++;
	for (; *v != '\0'; v++) {
		if (sigv4_is_space(*v)) {
			space = 1;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *v;
	}
	*o = '\0';
	return out;
}

static void
sigv4_hdrs_add(struct sigv4_hdrs *h, char *lname, const char *value)
{
	h->v = xreallocarray(h->v, h->n + 1, sizeof(*h->v));
	h->v[h->n].name = lname;
	h->v[h->n].value = sigv4_header_value(value);
	h->v[h->n].order = h->n;
	h->n++;
}

static void
sigv4_hdrs_free(struct sigv4_hdrs *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->v[i].name);
		/* The session token may be among them. */
		OPENSSL_cleanse(h->v[i].value, strlen(h->v[i].value));
		free(h->v[i].value);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

static int
sigv4_hdr_cmp(const void *a, const void *b)
{
	const struct sigv4_hdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
sigv4_param_cmp(const void *a, const void *b)
{
	const struct sigv4_param *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : strcmp(x->value, y->value);
}

static void
sigv4_params_add(struct sigv4_params_list *l, const char *key,
    const char *value)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].key = uri_encode_str(key, 0);
	l->v[l->n].value = uri_encode_str(value, 0);
	l->n++;
}

static void
sigv4_params_free(struct sigv4_params_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		OPENSSL_cleanse(l->v[i].value, strlen(l->v[i].value));
		free(l->v[i].value);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Decodes one key or value of the query as sent, for encoding again. */
static int
sigv4_query_part(const char *s, size_t len, struct buf *b, const char *query,
    struct dlc_err *err)
{
	buf_reset(b);
	if (uri_decode(b, s, len) != 0)
		return dlc_err_set(err, "InvalidQuery",
		    "the query string \"%s\" has a malformed %%-escape or is "
		    "too long", query);
	/* A decoded NUL would cut the parameter short of what is sent. */
	if (b->data != NULL && strlen(b->data) != b->len)
		return dlc_err_set(err, "InvalidQuery",
		    "the query string \"%s\" encodes a NUL byte (%%00)", query);
	return 0;
}

static int
sigv4_query_parse(const char *query, struct sigv4_params_list *l,
    struct dlc_err *err)
{
	struct buf k, v;
	const char *p = query;
	int rc = -1;

	buf_init(&k, SIGV4_MAX_CANONICAL);
	buf_init(&v, SIGV4_MAX_CANONICAL);
	while (p != NULL && *p != '\0') {
		const char *amp = strchr(p, '&');
		size_t len = amp != NULL ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen = eq != NULL ? (size_t)(eq - p) : len;

		if (len > 0) {
			if (sigv4_query_part(p, klen, &k, query, err) != 0)
				goto out;
			if (eq != NULL) {
				if (sigv4_query_part(eq + 1, len - klen - 1, &v,
				    query, err) != 0)
					goto out;
			} else
				buf_reset(&v);
			sigv4_params_add(l, k.data != NULL ? k.data : "",
			    v.data != NULL ? v.data : "");
		}
		p = amp != NULL ? amp + 1 : NULL;
	}
	rc = 0;
out:
	buf_free(&k);
	if (v.data != NULL)
		OPENSSL_cleanse(v.data, v.cap);
	buf_free(&v);
	return rc;
}

static int
sigv4_query_join(struct sigv4_params_list *l, struct buf *out)
{
	size_t i;

	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), sigv4_param_cmp);
	for (i = 0; i < l->n; i++)
		if (buf_printf(out, "%s%s=%s", i ? "&" : "", l->v[i].key,
		    l->v[i].value) != 0)
			return -1;
	return 0;
}

int
sigv4_canonical_query(const char *query, char **out, struct dlc_err *err)
{
	struct sigv4_params_list l = { NULL, 0 };
	struct buf b;

	*out = NULL;
	buf_init(&b, SIGV4_MAX_CANONICAL);
	if (sigv4_query_parse(query, &l, err) != 0)
		goto fail;
	if (sigv4_query_join(&l, &b) != 0) {
		dlc_err_set(err, "RequestTooLarge", "the query string is longer "
		    "than the signer's %d-byte ceiling", SIGV4_MAX_CANONICAL);
		goto fail;
	}
	sigv4_params_free(&l);
	*out = buf_detach(&b, NULL);
	return 0;
fail:
	sigv4_params_free(&l);
	buf_free(&b);
	return -1;
}

/*
 * RFC 3986 dot-segment removal as botocore does it (remove_dot_segments):
 * empty segments go too, since AWS treats "//" as "/", and a trailing '/'
 * survives only when something is left before it.
 */
static int
sigv4_normalize(const char *path, struct buf *out)
{
	size_t n = 0, cap = 8, i;
	const char **seg = xreallocarray(NULL, cap, sizeof(*seg));
	size_t *seglen = xreallocarray(NULL, cap, sizeof(*seglen));
	size_t plen = strlen(path);
	const char *p = path;
	int rc = 0;

	while (*p != '\0') {
		const char *slash = strchr(p, '/');
		size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n > 0)
				n--;
		} else if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (n == cap) {
				cap *= 2;
				seg = xreallocarray(seg, cap, sizeof(*seg));
				seglen = xreallocarray(seglen, cap,
				    sizeof(*seglen));
			}
			seg[n] = p;
			seglen[n++] = len;
		}
		if (slash == NULL)
			break;
		p = slash + 1;
	}
	if (plen > 0 && path[0] == '/')
		rc |= buf_putc(out, '/');
	for (i = 0; i < n; i++) {
		if (i > 0)
			rc |= buf_putc(out, '/');
		rc |= buf_append(out, seg[i], seglen[i]);
	}
	if (n > 0 && plen > 0 && path[plen - 1] == '/')
		rc |= buf_putc(out, '/');
	free(seg);
	free(seglen);
	return rc != 0 ? -1 : 0;
}

char *
sigv4_canonical_uri(const char *path, int normalize, int encode)
{
	struct buf norm, b;
	const char *src = path != NULL ? path : "";
	char *ret = NULL;

	buf_init(&norm, SIGV4_MAX_CANONICAL);
	buf_init(&b, SIGV4_MAX_CANONICAL);
	if (normalize) {
		if (sigv4_normalize(src, &norm) != 0)
			goto out;
		src = norm.data != NULL ? norm.data : "";
	}
	if (*src == '\0')
		src = "/";
	if (encode || normalize) {
		if (uri_encode(&b, src, strlen(src), 1) != 0)
			goto out;
	} else if (buf_puts(&b, src) != 0)
		goto out;
	ret = buf_detach(&b, NULL);
out:
	buf_free(&norm);
	buf_free(&b);
	return ret;
}

char *
sigv4_string_to_sign(const char *amz_date, const char *scope,
    const char *canonical_request)
{
	char hex[65];

	hash_sha256_hex(canonical_request, strlen(canonical_request), hex);
	return xasprintf("%s\n%s\n%s\n%s", SIGV4_ALGORITHM, amz_date, scope,
	    hex);
}

void
sigv4_signing_key(const char *secret_access_key, const char *date,
    const char *region, const char *service, unsigned char key[32])
{
	char *k = xasprintf("AWS4%s", secret_access_key);
	unsigned char a[32], b[32];

	hash_hmac_sha256(k, strlen(k), date, strlen(date), a);
	hash_hmac_sha256(a, sizeof(a), region, strlen(region), b);
	hash_hmac_sha256(b, sizeof(b), service, strlen(service), a);
	hash_hmac_sha256(a, sizeof(a), "aws4_request", 12, key);
	OPENSSL_cleanse(k, strlen(k));
	free(k);
	OPENSSL_cleanse(a, sizeof(a));
	OPENSSL_cleanse(b, sizeof(b));
}

void
sigv4_signature(const unsigned char key[32], const char *string_to_sign,
    char out[65])
{
	unsigned char mac[32];

	hash_hmac_sha256(key, 32, string_to_sign, strlen(string_to_sign), mac);
	hash_hex(mac, sizeof(mac), out);
}

static int
sigv4_unsigned_header(const char *lname)
{
	size_t i;

	for (i = 0; i < sizeof(sigv4_unsigned_headers) /
	    sizeof(sigv4_unsigned_headers[0]); i++)
		if (strcmp(lname, sigv4_unsigned_headers[i]) == 0)
			return 1;
	return 0;
}

static int
sigv4_check_inputs(const struct sigv4_request *req,
    const struct sigv4_params *p, const struct sigv4_creds *c,
    enum sigv4_form form, struct dlc_err *err)
{
	if (req->method == NULL || *req->method == '\0' || req->path == NULL)
		return dlc_err_set(err, "InvalidRequest",
		    "the request has no method or path");
	if (p->region == NULL || *p->region == '\0' ||
	    strchr(p->region, '/') != NULL) {
		dlc_err_set(err, "NoRegion", "no valid region to sign for");
		dlc_err_fix(err, "set region in the profile, or AWS_REGION");
		return -1;
	}
	if (p->service == NULL || *p->service == '\0' ||
	    strchr(p->service, '/') != NULL)
		return dlc_err_set(err, "InvalidRequest",
		    "no valid signing name (service) given");
	if (c == NULL || c->access_key_id == NULL ||
	    *c->access_key_id == '\0' || c->secret_access_key == NULL ||
	    *c->secret_access_key == '\0') {
		dlc_err_set(err, "NoCredentials",
		    "no access key id or secret access key to sign with");
		dlc_err_fix(err, "check the profile's credentials "
		    "(aws configure list, or aws sso login)");
		return -1;
	}
	if (form == SIGV4_FORM_QUERY &&
	    (p->expires < 1 || p->expires > SIGV4_MAX_EXPIRES))
		return dlc_err_set(err, "InvalidRequest",
		    "a presigned URL must expire in 1 to %ld seconds, not %ld",
		    SIGV4_MAX_EXPIRES, p->expires);
	return 0;
}

/*
 * The request's headers, lower-cased, minus the ones never signed, plus
 * those the signer adds in the header form.
 */
static int
sigv4_collect_headers(const struct sigv4_request *req,
    const struct sigv4_params *p, const struct sigv4_creds *c,
    enum sigv4_form form, const char *amz_date, const char *payload,
    struct sigv4_hdrs *h, struct dlc_err *err)
{
	int token = c->session_token != NULL && *c->session_token != '\0';
	int host = 0;
	size_t i;

	for (i = 0; i < req->n_headers; i++) {
		const struct sigv4_header *rh = &req->headers[i];
		char *lname;

		if (rh->name == NULL || *rh->name == '\0' || rh->value == NULL)
			return dlc_err_set(err, "InvalidRequest",
			    "header %zu has no name or no value", i + 1);
		lname = sigv4_lower(rh->name);
		if (strcmp(lname, "authorization") == 0 ||
		    (form == SIGV4_FORM_HEADER &&
		    (strcmp(lname, "x-amz-date") == 0 ||
		    (token && strcmp(lname, "x-amz-security-token") == 0) ||
		    (p->sign_body_header &&
		    strcmp(lname, "x-amz-content-sha256") == 0)))) {
			dlc_err_set(err, "InvalidRequest", "the request already "
			    "has a %s header, which the signer adds", rh->name);
			free(lname);
			return -1;
		}
		if (strcmp(lname, "host") == 0)
			host = 1;
		if (sigv4_unsigned_header(lname)) {
			free(lname);
			continue;
		}
		sigv4_hdrs_add(h, lname, rh->value);
	}
	if (!host)
		return dlc_err_set(err, "InvalidRequest",
		    "the request has no Host header to sign");
	if (form == SIGV4_FORM_HEADER) {
		sigv4_hdrs_add(h, xstrdup("x-amz-date"), amz_date);
		if (token && !p->omit_session_token)
			sigv4_hdrs_add(h, xstrdup("x-amz-security-token"),
			    c->session_token);
		if (p->sign_body_header)
			sigv4_hdrs_add(h, xstrdup("x-amz-content-sha256"),
			    payload);
	}
	return 0;
}

/* Sorted "name:value\n" lines (duplicates joined by ','), and the list. */
static int
sigv4_headers_text(struct sigv4_hdrs *h, struct buf *lines, struct buf *names)
{
	size_t i;
	int rc = 0;

	if (h->n > 1)
		qsort(h->v, h->n, sizeof(*h->v), sigv4_hdr_cmp);
	for (i = 0; i < h->n; i++) {
		if (i > 0 && strcmp(h->v[i].name, h->v[i - 1].name) == 0) {
			rc |= buf_printf(lines, ",%s", h->v[i].value);
			continue;
		}
		if (i > 0)
			rc |= buf_putc(lines, '\n') | buf_putc(names, ';');
		rc |= buf_printf(lines, "%s:%s", h->v[i].name, h->v[i].value);
		rc |= buf_puts(names, h->v[i].name);
	}
	rc |= buf_putc(lines, '\n');
	return rc != 0 ? -1 : 0;
}

int
sigv4_canonical_request(const struct sigv4_request *req,
    const struct sigv4_params *p, const struct sigv4_creds *c,
    enum sigv4_form form, struct sigv4_result *out, struct dlc_err *err)
{
	struct sigv4_hdrs h = { NULL, 0 };
	struct sigv4_params_list q = { NULL, 0 };
	struct buf lines, names, query, cr, pq;
	char payload[65], *uri = NULL, *cred = NULL, num[32];
	const char *ph;
	int token, rc = -1;
	struct tm tm;

	memset(out, 0, sizeof(*out));
	buf_init(&lines, SIGV4_MAX_CANONICAL);
	buf_init(&names, SIGV4_MAX_CANONICAL);
	buf_init(&query, SIGV4_MAX_CANONICAL);
	buf_init(&cr, SIGV4_MAX_CANONICAL);
	buf_init(&pq, 0);
	if (sigv4_check_inputs(req, p, c, form, err) != 0)
		goto out;
	token = c->session_token != NULL && *c->session_token != '\0';
	if (gmtime_r(&p->when, &tm) == NULL || tm.tm_year + 1900 < 1000 ||
	    tm.tm_year + 1900 > 9999) {
		dlc_err_set(err, "InvalidRequest",
		    "the signing time %lld is out of range", (long long)p->when);
		goto out;
	}
	strftime(out->amz_date, sizeof(out->amz_date), "%Y%m%dT%H%M%SZ", &tm);
	out->scope = xasprintf("%.8s/%s/%s/aws4_request", out->amz_date,
	    p->region, p->service);
	if (p->payload_hash != NULL)
		ph = p->payload_hash;
	else {
		hash_sha256_hex(req->body != NULL ? req->body : "",
		    req->body != NULL ? req->body_len : 0, payload);
		ph = payload;
	}

	if (sigv4_collect_headers(req, p, c, form, out->amz_date, ph, &h,
	    err) != 0)
		goto out;
	if (sigv4_headers_text(&h, &lines, &names) != 0)
		goto toolarge;
	out->signed_headers = xstrdup(names.data);

	uri = sigv4_canonical_uri(req->path, p->normalize_path,
	    p->encode_unnormalized);
	if (uri == NULL)
		goto toolarge;

	if (sigv4_query_parse(req->query, &q, err) != 0)
		goto out;
	if (form == SIGV4_FORM_QUERY) {
		/* Sent in this order (as the conformance files show), but
		 * signed sorted with the request's own parameters. */
		cred = xasprintf("%s/%s", c->access_key_id, out->scope);
		snprintf(num, sizeof(num), "%ld", p->expires);
		if (req->query != NULL && *req->query != '\0')
			buf_printf(&pq, "%s&", req->query);
		buf_puts(&pq, "X-Amz-Algorithm=" SIGV4_ALGORITHM);
		sigv4_params_add(&q, "X-Amz-Algorithm", SIGV4_ALGORITHM);
		buf_puts(&pq, "&X-Amz-Credential=");
		uri_encode(&pq, cred, strlen(cred), 0);
		sigv4_params_add(&q, "X-Amz-Credential", cred);
		buf_printf(&pq, "&X-Amz-Date=%s", out->amz_date);
		sigv4_params_add(&q, "X-Amz-Date", out->amz_date);
		buf_puts(&pq, "&X-Amz-SignedHeaders=");
		uri_encode(&pq, out->signed_headers,
		    strlen(out->signed_headers), 0);
		sigv4_params_add(&q, "X-Amz-SignedHeaders",
		    out->signed_headers);
		buf_printf(&pq, "&X-Amz-Expires=%s", num);
		sigv4_params_add(&q, "X-Amz-Expires", num);
		if (token) {
			buf_puts(&pq, "&X-Amz-Security-Token=");
			uri_encode(&pq, c->session_token,
			    strlen(c->session_token), 0);
			if (!p->omit_session_token)
				sigv4_params_add(&q, "X-Amz-Security-Token",
				    c->session_token);
		}
	}
	if (sigv4_query_join(&q, &query) != 0)
		goto toolarge;

	if (buf_printf(&cr, "%s\n%s\n%s\n%s\n%s\n%s", req->method, uri,
	    query.data != NULL ? query.data : "", lines.data, names.data,
	    ph) != 0)
		goto toolarge;
	out->canonical_request = buf_detach(&cr, NULL);
	if (form == SIGV4_FORM_QUERY)
		out->presigned_query = buf_detach(&pq, NULL);
	rc = 0;
	goto out;
toolarge:
	dlc_err_set(err, "RequestTooLarge", "the canonical request would pass "
	    "the signer's %d-byte ceiling", SIGV4_MAX_CANONICAL);
out:
	if (rc != 0) {
		sigv4_result_free(out);
		/* Keep the caller's "ListFunctions in alpha" if it set one. */
		if (err != NULL && err->what[0] == '\0')
			dlc_err_what(err, "signing %s %s",
			    req->method != NULL ? req->method : "?",
			    req->path != NULL ? req->path : "?");
	}
	sigv4_hdrs_free(&h);
	sigv4_params_free(&q);
	free(uri);
	free(cred);
	buf_free(&lines);
	buf_free(&names);
	/* The canonical forms may hold the session token. */
	if (query.data != NULL)
		OPENSSL_cleanse(query.data, query.cap);
	buf_free(&query);
	if (cr.data != NULL)
		OPENSSL_cleanse(cr.data, cr.cap);
	buf_free(&cr);
	if (pq.data != NULL)
		OPENSSL_cleanse(pq.data, pq.cap);
	buf_free(&pq);
	return rc;
}

/* Stages 2 to 4, shared by both forms. */
static void
sigv4_finish(const struct sigv4_params *p, const struct sigv4_creds *c,
    struct sigv4_result *out)
{
	unsigned char key[32];
	char date[9];

	memcpy(date, out->amz_date, 8);
	date[8] = '\0';
	out->string_to_sign = sigv4_string_to_sign(out->amz_date, out->scope,
	    out->canonical_request);
	sigv4_signing_key(c->secret_access_key, date, p->region, p->service,
	    key);
	sigv4_signature(key, out->string_to_sign, out->signature);
	OPENSSL_cleanse(key, sizeof(key));
}

static void
sigv4_add(struct sigv4_result *out, const char *name, char *value)
{
	out->add = xreallocarray(out->add, out->n_add + 1, sizeof(*out->add));
	out->add[out->n_add].name = xstrdup(name);
	out->add[out->n_add].value = value;
	out->n_add++;
}

int
sigv4_sign_headers(const struct sigv4_request *req,
    const struct sigv4_params *p, const struct sigv4_creds *c,
    struct sigv4_result *out, struct dlc_err *err)
{
	char payload[65];
	const char *ph;

	if (sigv4_canonical_request(req, p, c, SIGV4_FORM_HEADER, out,
	    err) != 0)
		return -1;
	sigv4_finish(p, c, out);
	out->authorization = xasprintf("%s Credential=%s/%s, "
	    "SignedHeaders=%s, Signature=%s", SIGV4_ALGORITHM,
	    c->access_key_id, out->scope, out->signed_headers, out->signature);
	if (c->session_token != NULL && *c->session_token != '\0')
		sigv4_add(out, "X-Amz-Security-Token",
		    xstrdup(c->session_token));
	sigv4_add(out, "X-Amz-Date", xstrdup(out->amz_date));
	if (p->sign_body_header) {
		if (p->payload_hash != NULL)
			ph = p->payload_hash;
		else {
			hash_sha256_hex(req->body != NULL ? req->body : "",
			    req->body != NULL ? req->body_len : 0, payload);
			ph = payload;
		}
		sigv4_add(out, "x-amz-content-sha256", xstrdup(ph));
	}
	sigv4_add(out, "Authorization", xstrdup(out->authorization));
	return 0;
}

int
sigv4_presign(const struct sigv4_request *req, const struct sigv4_params *p,
    const struct sigv4_creds *c, struct sigv4_result *out,
    struct dlc_err *err)
{
	char *q;

	if (sigv4_canonical_request(req, p, c, SIGV4_FORM_QUERY, out,
	    err) != 0)
		return -1;
	sigv4_finish(p, c, out);
	q = xasprintf("%s&X-Amz-Signature=%s", out->presigned_query,
	    out->signature);
	OPENSSL_cleanse(out->presigned_query, strlen(out->presigned_query));
	free(out->presigned_query);
	out->presigned_query = q;
	return 0;
}

static void
sigv4_wipe_free(char *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

void
sigv4_result_free(struct sigv4_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	sigv4_wipe_free(r->canonical_request);
	free(r->string_to_sign);
	free(r->scope);
	free(r->signed_headers);
	sigv4_wipe_free(r->authorization);
	for (i = 0; i < r->n_add; i++) {
		free((char *)r->add[i].name);
		sigv4_wipe_free((char *)r->add[i].value);
	}
	free(r->add);
	sigv4_wipe_free(r->presigned_query);
	OPENSSL_cleanse(r, sizeof(*r));
}
