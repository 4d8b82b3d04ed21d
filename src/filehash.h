/*
 * The SHA-256 of a file, computed one slice per loop turn, so that hashing
 * a 100 MB upload for its SigV4 payload hash (or Lambda's CodeSha256)
 * never holds the console still: keys and other transfers run between the
 * slices, and memory stays one slice whatever the file's size.
 */
#ifndef DLC_FILEHASH_H
#define DLC_FILEHASH_H

#include <stdint.h>

#include "err.h"

struct loop;
struct filehash;

#define FILEHASH_SLICE	(1024 * 1024)	/* bytes read and hashed per loop turn */

/* digest is NULL exactly when err is set; both valid during the call only. */
typedef void (*filehash_cb)(const unsigned char *digest, const struct dlc_err *err,
    void *arg);

/*
 * Hashes len bytes of fd from offset (read with pread; fd is borrowed and
 * must stay open until cb runs or filehash_cancel). Never NULL; cb runs
 * exactly once from the loop, never from inside filehash_start, and the
 * handle is freed when cb returns.
 */
struct filehash	*filehash_start(struct loop *loop, int fd, uint64_t offset,
		    uint64_t len, filehash_cb cb, void *arg);
/* Stops and frees; cb is not called. NULL is a no-op. */
void		 filehash_cancel(struct filehash *fh);

#endif
