/*
 * HTTP for every AWS call: libcurl's multi interface driven by src/loop,
 * so requests run concurrently without blocking or threads, over one
 * multi handle whose connections are kept alive and reused. A request goes
 * out exactly as described (no headers added behind the caller's back,
 * which SigV4 depends on) and its outcome always arrives through the
 * callback, transport failures included.
 */
#ifndef DLC_HTTP_H
#define DLC_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

struct loop;

struct http_header {
	char	*name;
	char	*value;
};

/*
 * A request body read from a file while it is sent, so memory stays flat
 * whatever its size: len bytes from offset, read with pread (the fd's own
 * position is never used). The fd is borrowed: it must stay open until the
 * callback runs or the call is cancelled.
 */
struct http_body_file {
	int		 fd;
	uint64_t	 offset;
	uint64_t	 len;
};

/* Bytes of the request body sent so far and its total; sent never goes back. */
typedef void (*http_progress_cb)(uint64_t sent, uint64_t total, void *arg);

struct http_request {
	const char	*method;	/* "GET", "POST", "PUT", "DELETE", "HEAD" */
	const char	*url;
	/* Sent exactly as given; curl's default Expect: and Accept: are suppressed,
	 * and Content-Type is sent only when given here. */
	const struct http_header *headers;
	size_t		 n_headers;
	const void	*body;		/* copied by http_send */
	size_t		 body_len;
	/* Instead of body: the body streamed from a file (copied by http_send). */
	const struct http_body_file *body_file;
	/* Called from the loop as the body goes out; it may cancel the call. */
	http_progress_cb progress;
	void		*progress_arg;
	long		 connect_timeout_ms;	/* 0: 10 s */
	long		 timeout_ms;		/* 0: 60 s for the whole transfer; -1: none */
	long		 low_speed_ms;		/* abort when no byte moved this long (0: off; whole seconds) */
	const char	*ca_bundle;	/* NULL: the system store; https is always verified */
	size_t		 max_body;	/* 0: 64 MiB ceiling on the response body */
};

enum http_transport_error {
	HTTP_OK = 0,
	HTTP_ERR_CONNECT,	/* could not resolve or connect */
	HTTP_ERR_TIMEOUT,	/* connect, transfer or low-speed timeout */
	HTTP_ERR_RESET,		/* the connection broke (reset, nothing received) */
	HTTP_ERR_TRUNCATED,	/* the body ended before its declared length */
	HTTP_ERR_TOOBIG,	/* the body passed max_body */
	HTTP_ERR_TLS,		/* handshake or certificate verification failed */
	HTTP_ERR_OTHER
};

struct http_response {
	/* The status line received, 0 when none. When transport_error is set the
	 * response is incomplete whatever status says. */
	long		 status;
	struct http_header *headers;	/* of the final response, in order */
	size_t		 n_headers;
	struct buf	 body;
	enum http_transport_error transport_error;
	char		 error[256];	/* curl's text for a transport error */
	uint64_t	 elapsed_ms;
};

struct http;
struct http_call;

/* The first header with this name, case-insensitive; NULL if absent. */
const char	*http_response_header(const struct http_response *resp, const char *name);
/* The same over any list of headers. */
const char	*http_header_find(const struct http_header *headers, size_t n,
		    const char *name);
/* A short English name for a transport error ("connection refused or unreachable"...). */
const char	*http_transport_error_name(enum http_transport_error e);

/* resp is owned by http and freed after the callback returns; take what you keep
 * (buf_detach on resp->body is allowed). */
typedef void (*http_done_cb)(struct http_response *resp, void *arg);

struct http	*http_new(struct loop *loop);
/* Cancels pending requests without calling their callbacks. Not from a callback. */
void		 http_free(struct http *http);

/*
 * Queues a request; never NULL. cb runs exactly once, from the loop, never
 * from inside http_send, even when the request fails at once. The handle
 * is valid until cb starts or http_cancel.
 */
struct http_call *http_send(struct http *http, const struct http_request *req,
		    http_done_cb cb, void *arg);
/* Abandons a pending request; its callback is not called. */
void		 http_cancel(struct http_call *call);

/* The -v trace: each request and response, secrets redacted; NULL stops it. */
void		 http_set_trace(struct http *http, FILE *out);
/* Requests sent and not yet completed or cancelled. */
size_t		 http_pending(const struct http *http);

#endif
