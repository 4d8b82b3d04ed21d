/*
 * A growing byte buffer with a ceiling set at init, so a huge response or a
 * chatty log cannot eat the machine. Always NUL-terminated after data[len].
 */
#ifndef DLC_BUF_H
#define DLC_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 limit;		/* most bytes it may hold; 0 means no limit */
};

void	buf_init(struct buf *b, size_t limit);
void	buf_free(struct buf *b);
void	buf_reset(struct buf *b);
/* buf_reserve when the buffer must grow (or refuse): see below. */
int	buf_reserve_grow(struct buf *b, size_t extra);

/*
 * Makes room for extra more bytes (and a NUL); -1 past the ceiling.
 * Inline for the case where it fits: parsing and sanitising a page of logs
 * appends millions of short pieces, and a call each was a fifth of the work.
 */
static inline int
buf_reserve(struct buf *b, size_t extra)
{
	if (b->cap - b->len > extra && (b->limit == 0 || b->len + extra <= b->limit))
		return 0;
	return buf_reserve_grow(b, extra);
}

/* Returns -1 (and appends nothing) when the ceiling would be passed. */
static inline int
buf_append(struct buf *b, const void *data, size_t len)
{
	if (buf_reserve(b, len) != 0)
		return -1;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}
int	buf_puts(struct buf *b, const char *s);
int	buf_putc(struct buf *b, char c);
int	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (who frees them) and empties the buffer. */
char	*buf_detach(struct buf *b, size_t *len);

#endif
