/*
 * A file's SHA-256 across loop turns: each turn of a zero-delay timer
 * reads one slice with pread and feeds it to the digest, then yields.
 */
#include "filehash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "loop.h"
#include "xmalloc.h"

struct filehash {
	struct loop_timer	*timer;
	struct hash_sha256	*sha;
	int			 fd;
	uint64_t		 offset;
	uint64_t		 len;
	uint64_t		 done;
	char			*slice;
	filehash_cb		 cb;
	void			*arg;
};

static void
filehash_free(struct filehash *fh)
{
	loop_timer_free(fh->timer);
	hash_sha256_free(fh->sha);
	free(fh->slice);
	free(fh);
}

static void
filehash_turn(void *arg)
{
	struct filehash *fh = arg;
	unsigned char digest[32];
	struct dlc_err err;
	uint64_t left = fh->len - fh->done;
	size_t n = left < FILEHASH_SLICE ? (size_t)left : FILEHASH_SLICE;
	ssize_t got = 0;

	if (n > 0) {
		do
			got = pread(fh->fd, fh->slice, n, (off_t)(fh->offset + fh->done));
		while (got < 0 && errno == EINTR);
		if (got <= 0) {
			dlc_err_clear(&err);
			dlc_err_set(&err, "FileReadError", "could not read the file to hash at byte %llu: %s",
			    (unsigned long long)fh->done,
			    got < 0 ? strerror(errno) : "the file is shorter than expected");
			fh->cb(NULL, &err, fh->arg);
			filehash_free(fh);
			return;
		}
		hash_sha256_update(fh->sha, fh->slice, (size_t)got);
		fh->done += (uint64_t)got;
	}
	if (fh->done < fh->len) {
		loop_timer_start(fh->timer, 0);
		return;
	}
	hash_sha256_final(fh->sha, digest);
	fh->cb(digest, NULL, fh->arg);
	filehash_free(fh);
}

struct filehash *
filehash_start(struct loop *loop, int fd, uint64_t offset, uint64_t len,
    filehash_cb cb, void *arg)
{
	struct filehash *fh = xcalloc(1, sizeof *fh);

	fh->fd = fd;
	fh->offset = offset;
	fh->len = len;
	fh->cb = cb;
	fh->arg = arg;
	fh->sha = hash_sha256_new();
	fh->slice = xmalloc(FILEHASH_SLICE);
	fh->timer = loop_timer_new(loop, filehash_turn, fh);
	loop_timer_start(fh->timer, 0);
	return fh;
}

void
filehash_cancel(struct filehash *fh)
{
	if (fh != NULL)
		filehash_free(fh);
}
