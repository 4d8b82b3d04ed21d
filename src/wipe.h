/*
 * Wiping secrets before their memory goes back to the allocator: tokens,
 * keys, client secrets and the request and response bodies that carry
 * them. OPENSSL_cleanse, which the compiler may not drop as a dead store.
 * (cJSON trees: proto_json_delete_wiped.)
 */
#ifndef DLC_WIPE_H
#define DLC_WIPE_H

#include <stddef.h>

#include "buf.h"

/* Zeroes the string's bytes (not its NUL); NULL is a no-op. */
void	wipe_str(char *s);
/* Wipes and frees *s, then sets it to NULL. */
void	wipe_free(char **s);
/* Wipes and frees *dst, then sets it to a copy of src (NULL stays NULL). */
void	wipe_replace(char **dst, const char *src);
/* Zeroes the whole allocation (cap bytes) and empties b; keeps the memory. */
void	wipe_buf(struct buf *b);
/* wipe_buf, then buf_free. */
void	wipe_buf_free(struct buf *b);

#endif
