/*
 * HTTP over curl multi, driven by src/loop the way curl's hiperfifo.c
 * example drives it with libevent: curl says which sockets to watch and
 * when to wake it; the loop reports readiness back with
 * curl_multi_socket_action, and finished transfers are collected with
 * curl_multi_info_read after every call.
 */
#include "http.h"
#include "loop.h"
#include "redact.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#define HTTP_CONNECT_TIMEOUT_MS	10000L
#define HTTP_TIMEOUT_MS		60000L
#define HTTP_MAX_BODY		(64u * 1024 * 1024)
#define HTTP_MAX_HEADERS	512
#define HTTP_READ_BUFFER	(256L * 1024)	/* libcurl caps it at 512 KiB */

struct http_sock {
	struct http		*http;
	curl_socket_t		 fd;
	struct loop_fd		*lfd;
	struct http_sock	*prev, *next;
};

struct http {
	struct loop		*loop;
	CURLM			*multi;
	struct loop_timer	*timer;
	FILE			*trace;
	struct http_call	*calls;
	struct http_sock	*socks;
	size_t			 pending;
	unsigned long		 next_id;
};

struct http_call {
	struct http		*http;
	struct http_call	*prev, *next;
	unsigned long		 id;
	CURL			*easy;
	int			 in_multi;
	struct curl_slist	*hdrs;
	char			*body;
	size_t			 body_len;
	/* A body streamed from a file: where, and how far curl has read. */
	struct http_body_file	 file;
	int			 has_file;
	uint64_t		 file_pos;
	char			 read_error[128];
	http_progress_cb	 progress;
	void			*progress_arg;
	uint64_t		 progress_sent;
	/* Inside the progress callback curl is on the stack: a cancel there
	 * only marks the call, which curl then aborts and http frees. */
	int			 in_progress;
	int			 cancelled;
	http_done_cb		 cb;
	void			*arg;
	struct http_response	 resp;
	int			 toobig;
	int			 delivering;
	/* A failure found before curl got the request, delivered from a timer. */
	struct loop_timer	*early;
	char			 early_error[256];
	uint64_t		 start;
	char			 errbuf[CURL_ERROR_SIZE];
};

static void	http_check_done(struct http *http);

const char *
http_header_find(const struct http_header *headers, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcasecmp(headers[i].name, name) == 0)
			return headers[i].value;
	}
	return NULL;
}

const char *
http_response_header(const struct http_response *resp, const char *name)
{
	return http_header_find(resp->headers, resp->n_headers, name);
}

const char *
http_transport_error_name(enum http_transport_error e)
{
	switch (e) {
	case HTTP_OK:
		return "no error";
	case HTTP_ERR_CONNECT:
		return "could not connect";
	case HTTP_ERR_TIMEOUT:
		return "timed out";
	case HTTP_ERR_RESET:
		return "connection reset";
	case HTTP_ERR_TRUNCATED:
		return "response cut short";
	case HTTP_ERR_TOOBIG:
		return "response too large";
	case HTTP_ERR_TLS:
		return "TLS failure";
	default:
		return "transfer failed";
	}
}

static void
http_headers_clear(struct http_response *resp)
{
	size_t i;

	for (i = 0; i < resp->n_headers; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	free(resp->headers);
	resp->headers = NULL;
	resp->n_headers = 0;
}

/* ---- curl's callbacks: sockets and the timer ---- */

static void
http_sock_ready(int fd, int events, void *arg)
{
	struct http_sock *sock = arg;
	struct http *http = sock->http;
	int action = 0, running;

	if (events & LOOP_READ)
		action |= CURL_CSELECT_IN;
	if (events & LOOP_WRITE)
		action |= CURL_CSELECT_OUT;
	/* sock may be freed inside this call (CURL_POLL_REMOVE). */
	curl_multi_socket_action(http->multi, fd, action, &running);
	http_check_done(http);
}

static void
http_sock_free(struct http_sock *sock)
{
	struct http *http = sock->http;

	if (sock->prev != NULL)
		sock->prev->next = sock->next;
	else
		http->socks = sock->next;
	if (sock->next != NULL)
		sock->next->prev = sock->prev;
	loop_fd_free(sock->lfd);
	free(sock);
}

static int
http_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct http *http = userp;
	struct http_sock *sock = socketp;
	int events = 0;

	if (what == CURL_POLL_REMOVE) {
		if (sock != NULL) {
			curl_multi_assign(http->multi, s, NULL);
			http_sock_free(sock);
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		events |= LOOP_READ;
	if (what & CURL_POLL_OUT)
		events |= LOOP_WRITE;
	if (sock == NULL) {
		sock = xcalloc(1, sizeof *sock);
		sock->http = http;
		sock->fd = s;
		sock->lfd = loop_fd_new(http->loop, s, events, http_sock_ready, sock);
		sock->next = http->socks;
		if (http->socks != NULL)
			http->socks->prev = sock;
		http->socks = sock;
		curl_multi_assign(http->multi, s, sock);
	} else
		loop_fd_set_events(sock->lfd, events);
	return 0;
}

static void
http_timer_fire(void *arg)
{
	struct http *http = arg;
	int running;

	curl_multi_socket_action(http->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check_done(http);
}

static int
http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *http = userp;

	/* Never act from inside curl: a zero timeout runs on the next turn. */
	if (timeout_ms < 0)
		loop_timer_stop(http->timer);
	else
		loop_timer_start(http->timer, timeout_ms);
	return 0;
}

/* ---- curl's callbacks: the response ---- */

static size_t
http_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_call *call = arg;
	size_t n = size * nmemb;

	/*
	 * A FilterLogEvents page is megabytes: make room for all the server
	 * announced at the first piece, instead of doubling (and copying) the
	 * buffer a dozen times. The ceiling still holds: a length past it is
	 * simply not reserved, and buf_append refuses what overflows; nor is
	 * one past HTTP_MAX_BODY, so a lying header cannot make dlc
	 * allocate what it never receives.
	 */
	if (call->resp.body.len == 0 && call->resp.body.cap == 0) {
		curl_off_t cl = -1;

		if (curl_easy_getinfo(call->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK &&
		    cl > 0 && cl <= (curl_off_t)HTTP_MAX_BODY &&
		    (call->resp.body.limit == 0 || (uint64_t)cl <= call->resp.body.limit))
			(void)buf_reserve(&call->resp.body, (size_t)cl);
	}
	if (buf_append(&call->resp.body, data, n) != 0) {
		call->toobig = 1;
		return 0;
	}
	return n;
}

static void
http_trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' ||
	    (*e)[-1] == '\r' || (*e)[-1] == '\n'))
		(*e)--;
}

static size_t
http_header_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_call *call = arg;
	struct http_response *resp = &call->resp;
	size_t n = size * nmemb;
	const char *s = data, *e = data + n, *colon;
	struct http_header *h;
	char *joined;

	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new status line (1xx, or a new response): start over. */
		http_headers_clear(resp);
		return n;
	}
	if ((*s == ' ' || *s == '\t') && resp->n_headers > 0) {
		/* An obsolete folded line continues the previous value. */
		http_trim(&s, &e);
		h = &resp->headers[resp->n_headers - 1];
		joined = xasprintf("%s %.*s", h->value, (int)(e - s), s);
		free(h->value);
		h->value = joined;
		return n;
	}
	http_trim(&s, &e);
	if (s == e)
		return n;
	colon = memchr(s, ':', (size_t)(e - s));
	if (colon == NULL)
		return n;
	if (resp->n_headers >= HTTP_MAX_HEADERS) {
		call->toobig = 1;
		return 0;
	}
	resp->headers = xreallocarray(resp->headers, resp->n_headers + 1,
	    sizeof *resp->headers);
	h = &resp->headers[resp->n_headers++];
	h->name = xstrndup(s, (size_t)(colon - s));
	s = colon + 1;
	http_trim(&s, &e);
	h->value = xstrndup(s, (size_t)(e - s));
	return n;
}

/* ---- curl's callbacks: the request body from a file, and progress ---- */

static size_t
http_read_cb(char *data, size_t size, size_t nitems, void *arg)
{
	struct http_call *call = arg;
	uint64_t left = call->file.len - call->file_pos;
	size_t n = size * nitems;
	ssize_t got;

	if (n > left)
		n = (size_t)left;
	if (n == 0)
		return 0;
	do
		got = pread(call->file.fd, data, n,
		    (off_t)(call->file.offset + call->file_pos));
	while (got < 0 && errno == EINTR);
	if (got <= 0) {
		snprintf(call->read_error, sizeof call->read_error,
		    "could not read the request body at byte %llu: %s",
		    (unsigned long long)call->file_pos,
		    got < 0 ? strerror(errno) : "the file is shorter than when the request began");
		return CURL_READFUNC_ABORT;
	}
	call->file_pos += (uint64_t)got;
	return (size_t)got;
}

/* curl rewinds the body itself when it must send it again on one transfer. */
static int
http_seek_cb(void *arg, curl_off_t offset, int origin)
{
	struct http_call *call = arg;

	if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > call->file.len)
		return CURL_SEEKFUNC_FAIL;
	call->file_pos = (uint64_t)offset;
	return CURL_SEEKFUNC_OK;
}

static int
http_xferinfo_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct http_call *call = arg;
	uint64_t total = call->has_file ? call->file.len : call->body_len;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	if (call->cancelled)
		return 1;
	/* curl reports often and repeats itself: pass on only progress. */
	if (call->progress == NULL || ulnow <= 0 ||
	    (uint64_t)ulnow <= call->progress_sent)
		return 0;
	call->progress_sent = (uint64_t)ulnow;
	call->in_progress = 1;
	call->progress(call->progress_sent, total, call->progress_arg);
	call->in_progress = 0;
	return call->cancelled ? 1 : 0;
}

/* ---- the trace ---- */

static void
http_trace_request(struct http_call *call, const struct http_request *req)
{
	FILE *out = call->http->trace;
	char *url, *v;
	size_t i;

	if (out == NULL)
		return;
	url = redact_url(req->url != NULL ? req->url : "");
	fprintf(out, "> [%lu] %s %s\n", call->id,
	    req->method != NULL ? req->method : "?", url);
	free(url);
	for (i = 0; i < req->n_headers; i++) {
		v = redact_header_value(req->headers[i].name, req->headers[i].value);
		url = redact_header_value("", req->headers[i].name);
		fprintf(out, "> [%lu] %s: %s\n", call->id, url, v);
		free(url);
		free(v);
	}
	if (req->body_file != NULL)
		fprintf(out, "> [%lu] body %llu bytes from a file\n", call->id,
		    (unsigned long long)req->body_file->len);
	else
		fprintf(out, "> [%lu] body %zu bytes\n", call->id, req->body_len);
	fflush(out);
}

static void
http_trace_response(struct http_call *call)
{
	FILE *out = call->http->trace;
	struct http_response *resp = &call->resp;
	char *name, *v;
	size_t i;

	if (out == NULL)
		return;
	if (resp->transport_error != HTTP_OK) {
		v = redact_header_value("", resp->error);
		fprintf(out, "< [%lu] %s: %s (after %llu ms)\n", call->id,
		    http_transport_error_name(resp->transport_error), v,
		    (unsigned long long)resp->elapsed_ms);
		free(v);
	}
	if (resp->status != 0)
		fprintf(out, "< [%lu] %ld (%llu ms)\n", call->id, resp->status,
		    (unsigned long long)resp->elapsed_ms);
	for (i = 0; i < resp->n_headers; i++) {
		v = redact_header_value(resp->headers[i].name, resp->headers[i].value);
		name = redact_header_value("", resp->headers[i].name);
		fprintf(out, "< [%lu] %s: %s\n", call->id, name, v);
		free(name);
		free(v);
	}
	fprintf(out, "< [%lu] body %zu bytes\n", call->id, resp->body.len);
	fflush(out);
}

/* ---- completion ---- */

static enum http_transport_error
http_map_error(CURLcode rc, int toobig)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return HTTP_ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_ERR_TIMEOUT;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return HTTP_ERR_RESET;
	case CURLE_PARTIAL_FILE:
		return HTTP_ERR_TRUNCATED;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_ERR_TOOBIG;
	case CURLE_WRITE_ERROR:
		return toobig ? HTTP_ERR_TOOBIG : HTTP_ERR_OTHER;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_ENGINE_NOTFOUND:
		return HTTP_ERR_TLS;
	default:
		return toobig ? HTTP_ERR_TOOBIG : HTTP_ERR_OTHER;
	}
}

static void
http_unlink(struct http_call *call)
{
	struct http *http = call->http;

	if (call->prev != NULL)
		call->prev->next = call->next;
	else
		http->calls = call->next;
	if (call->next != NULL)
		call->next->prev = call->prev;
	call->prev = call->next = NULL;
	http->pending--;
}

/*
 * Request headers carry session tokens, bodies carry client secrets and
 * credentials (SSO, STS): wipe our copies before the memory is reused.
 */
static void
http_call_free(struct http_call *call)
{
	struct curl_slist *l;

	if (call->in_multi)
		curl_multi_remove_handle(call->http->multi, call->easy);
	curl_easy_cleanup(call->easy);
	for (l = call->hdrs; l != NULL; l = l->next)
		OPENSSL_cleanse(l->data, strlen(l->data));
	curl_slist_free_all(call->hdrs);
	if (call->body != NULL)
		OPENSSL_cleanse(call->body, call->body_len);
	free(call->body);
	loop_timer_free(call->early);
	http_headers_clear(&call->resp);
	if (call->resp.body.data != NULL)
		OPENSSL_cleanse(call->resp.body.data, call->resp.body.len);
	buf_free(&call->resp.body);
	free(call);
}

static void
http_finish(struct http_call *call, CURLcode rc)
{
	struct http_response *resp = &call->resp;
	long status = 0;

	if (call->in_multi) {
		curl_multi_remove_handle(call->http->multi, call->easy);
		call->in_multi = 0;
	}
	http_unlink(call);
	if (call->cancelled) {
		/* Cancelled from its progress callback: no answer, as promised. */
		http_call_free(call);
		return;
	}
	resp->elapsed_ms = loop_now_ms() - call->start;
	if (call->early == NULL)
		curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &status);
	resp->status = status;
	resp->transport_error = http_map_error(rc, call->toobig);
	if (call->early != NULL)
		snprintf(resp->error, sizeof resp->error, "%s", call->early_error);
	else if (resp->transport_error == HTTP_ERR_TOOBIG && call->toobig)
		snprintf(resp->error, sizeof resp->error,
		    "the response passed the ceiling of %zu bytes", resp->body.limit);
	else if (rc != CURLE_OK && call->read_error[0] != '\0')
		snprintf(resp->error, sizeof resp->error, "%s", call->read_error);
	else if (rc != CURLE_OK)
		snprintf(resp->error, sizeof resp->error, "%s",
		    call->errbuf[0] != '\0' ? call->errbuf : curl_easy_strerror(rc));
	http_trace_response(call);
	call->delivering = 1;
	call->cb(resp, call->arg);
	http_call_free(call);
}

static void
http_check_done(struct http *http)
{
	struct http_call *call;
	CURLMsg *msg;
	int left;
	char *priv;

	/* curl drops a removed handle's message, so a callback that cancels
	 * another finished call cannot leave a dangling one here. */
	while ((msg = curl_multi_info_read(http->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		call = (struct http_call *)(void *)priv;
		if (call != NULL)
			http_finish(call, msg->data.result);
	}
}

static void
http_early_fire(void *arg)
{
	struct http_call *call = arg;

	http_finish(call, CURLE_FAILED_INIT);
}

/* ---- requests ---- */

static int
http_has_header(const struct http_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->n_headers; i++) {
		if (strcasecmp(req->headers[i].name, name) == 0)
			return 1;
	}
	return 0;
}

static int
http_bad_text(const char *s)
{
	return s == NULL || strpbrk(s, "\r\n") != NULL;
}

static int
http_build_headers(struct http_call *call, const struct http_request *req)
{
	const struct http_header *h;
	char *line;
	size_t i;

	for (i = 0; i < req->n_headers; i++) {
		h = &req->headers[i];
		if (http_bad_text(h->name) || h->name[0] == '\0' ||
		    strchr(h->name, ':') != NULL || http_bad_text(h->value)) {
			snprintf(call->early_error, sizeof call->early_error,
			    "request header %zu has an empty name or a line break", i + 1);
			return -1;
		}
		/* "Name;" is curl's way to send a header with an empty value. */
		if (h->value[0] == '\0')
			line = xasprintf("%s;", h->name);
		else
			line = xasprintf("%s: %s", h->name, h->value);
		call->hdrs = curl_slist_append(call->hdrs, line);
		free(line);
		if (call->hdrs == NULL)
			fatal("out of memory (curl_slist_append)");
	}
	/* "Name:" removes a header curl would add on its own. */
	if (!http_has_header(req, "Expect"))
		call->hdrs = curl_slist_append(call->hdrs, "Expect:");
	if (!http_has_header(req, "Accept"))
		call->hdrs = curl_slist_append(call->hdrs, "Accept:");
	if (!http_has_header(req, "Content-Type"))
		call->hdrs = curl_slist_append(call->hdrs, "Content-Type:");
	if (call->hdrs == NULL)
		fatal("out of memory (curl_slist_append)");
	return 0;
}

static int
http_setup(struct http_call *call, const struct http_request *req)
{
	CURL *e = call->easy;
	const char *m = req->method;
	long lowspeed;
	int rc = 0;

	if (m == NULL || *m == '\0' || http_bad_text(m) || strchr(m, ' ') != NULL) {
		snprintf(call->early_error, sizeof call->early_error,
		    "the request has no valid HTTP method");
		return -1;
	}
	if (req->url == NULL || *req->url == '\0' || http_bad_text(req->url)) {
		snprintf(call->early_error, sizeof call->early_error,
		    "the request has no valid URL");
		return -1;
	}
	if (http_build_headers(call, req) != 0)
		return -1;

	rc |= curl_easy_setopt(e, CURLOPT_URL, req->url);
	rc |= curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)call);
	rc |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, call->errbuf);
	rc |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	rc |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	rc |= curl_easy_setopt(e, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	rc |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	/* The path goes out as signed: curl would drop "./" and "../" (an S3 key may hold them). */
	rc |= curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
	rc |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	rc |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->ca_bundle != NULL)
		rc |= curl_easy_setopt(e, CURLOPT_CAINFO, req->ca_bundle);
	rc |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    req->connect_timeout_ms > 0 ? req->connect_timeout_ms : HTTP_CONNECT_TIMEOUT_MS);
	/* 0 in CURLOPT_TIMEOUT_MS is curl's "no limit". */
	rc |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
	    req->timeout_ms > 0 ? req->timeout_ms : req->timeout_ms < 0 ? 0L : HTTP_TIMEOUT_MS);
	if (req->low_speed_ms > 0) {
		/* curl counts stalls in whole seconds. */
		lowspeed = (req->low_speed_ms + 999) / 1000;
		rc |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
		rc |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, lowspeed);
	}
	rc |= curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	/*
	 * A page of log events is megabytes: read it in large pieces, not
	 * libcurl's 16 KiB (a recv and a write callback each).
	 */
	rc |= curl_easy_setopt(e, CURLOPT_BUFFERSIZE, HTTP_READ_BUFFER);
	rc |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, call->hdrs);
	rc |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	rc |= curl_easy_setopt(e, CURLOPT_WRITEDATA, call);
	rc |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_cb);
	rc |= curl_easy_setopt(e, CURLOPT_HEADERDATA, call);
	/* Refuse an announced oversize body before reading it; a HEAD has none. */
	if (strcmp(m, "HEAD") != 0)
		rc |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)call->resp.body.limit);

	if (req->progress != NULL) {
		call->progress = req->progress;
		call->progress_arg = req->progress_arg;
		rc |= curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, http_xferinfo_cb);
		rc |= curl_easy_setopt(e, CURLOPT_XFERINFODATA, call);
		rc |= curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	}
	if (req->body_file != NULL) {
		if (req->body_file->fd < 0) {
			snprintf(call->early_error, sizeof call->early_error,
			    "the request body file is not open");
			return -1;
		}
		call->file = *req->body_file;
		call->has_file = 1;
		/* UPLOAD is curl's PUT; another method keeps the streamed body. */
		rc |= curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
		rc |= curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE,
		    (curl_off_t)call->file.len);
		rc |= curl_easy_setopt(e, CURLOPT_READFUNCTION, http_read_cb);
		rc |= curl_easy_setopt(e, CURLOPT_READDATA, call);
		rc |= curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, http_seek_cb);
		rc |= curl_easy_setopt(e, CURLOPT_SEEKDATA, call);
		if (strcmp(m, "PUT") != 0)
			rc |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	} else if (req->body_len > 0 || strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 ||
	    strcmp(m, "PATCH") == 0) {
		call->body = xmalloc(req->body_len + 1);
		call->body_len = req->body_len;
		if (req->body_len > 0)
			memcpy(call->body, req->body, req->body_len);
		rc |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)req->body_len);
		rc |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, call->body);
		if (strcmp(m, "POST") != 0)
			rc |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	} else if (strcmp(m, "HEAD") == 0)
		rc |= curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(m, "GET") == 0)
		rc |= curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	else
		rc |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	if (rc != CURLE_OK) {
		snprintf(call->early_error, sizeof call->early_error,
		    "libcurl refused an option (built without http or https?)");
		return -1;
	}
	return 0;
}

struct http_call *
http_send(struct http *http, const struct http_request *req, http_done_cb cb,
    void *arg)
{
	struct http_call *call;

	call = xcalloc(1, sizeof *call);
	call->http = http;
	call->id = ++http->next_id;
	call->cb = cb;
	call->arg = arg;
	call->start = loop_now_ms();
	buf_init(&call->resp.body, req->max_body > 0 ? req->max_body : HTTP_MAX_BODY);
	call->easy = curl_easy_init();
	if (call->easy == NULL)
		fatal("out of memory (curl_easy_init)");

	call->next = http->calls;
	if (http->calls != NULL)
		http->calls->prev = call;
	http->calls = call;
	http->pending++;

	http_trace_request(call, req);
	if (http_setup(call, req) == 0) {
		if (curl_multi_add_handle(http->multi, call->easy) == CURLM_OK) {
			call->in_multi = 1;
			return call;
		}
		snprintf(call->early_error, sizeof call->early_error,
		    "libcurl would not queue the request");
	}
	call->early = loop_timer_new(http->loop, http_early_fire, call);
	loop_timer_start(call->early, 0);
	return call;
}

void
http_cancel(struct http_call *call)
{
	if (call == NULL || call->delivering || call->cancelled)
		return;
	if (call->in_progress) {
		call->cancelled = 1;
		return;
	}
	http_unlink(call);
	http_call_free(call);
}

struct http *
http_new(struct loop *loop)
{
	static int curl_ready;
	struct http *http;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			fatal("cannot initialise libcurl");
		curl_ready = 1;
	}
	http = xcalloc(1, sizeof *http);
	http->loop = loop;
	http->timer = loop_timer_new(loop, http_timer_fire, http);
	http->multi = curl_multi_init();
	if (http->multi == NULL)
		fatal("out of memory (curl_multi_init)");
	curl_multi_setopt(http->multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
	curl_multi_setopt(http->multi, CURLMOPT_SOCKETDATA, http);
	curl_multi_setopt(http->multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
	curl_multi_setopt(http->multi, CURLMOPT_TIMERDATA, http);
	return http;
}

void
http_free(struct http *http)
{
	struct http_call *call;

	if (http == NULL)
		return;
	while ((call = http->calls) != NULL) {
		http_unlink(call);
		http_call_free(call);
	}
	curl_multi_cleanup(http->multi);
	/* Whatever curl did not report removed during cleanup. */
	while (http->socks != NULL)
		http_sock_free(http->socks);
	loop_timer_free(http->timer);
	free(http);
}

void
http_set_trace(struct http *http, FILE *out)
{
	http->trace = out;
}

size_t
http_pending(const struct http *http)
{
	return http->pending;
}
