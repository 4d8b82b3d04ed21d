/*
 * Writing the packer's zip (pack-zip.h says what is in it): entries are
 * deflated independently, so worker threads (one per core, at most
 * PACK_WRITE_MAX_THREADS) each compress whole files with raw zlib while
 * the calling thread writes the finished ones in order, the same bytes
 * whatever the number of threads or the order they finish in. Memory is
 * bounded: workers run at most PACK_WRITE_WINDOW bytes of input ahead of
 * the writer (a larger file is still taken when it is the writer's next).
 * The format is plain PKZIP 2.0 (no zip64, no data descriptors, no extra
 * fields), which Lambda, Python's zipfile and unzip read; a zip that
 * would need zip64 (65,535 entries, 4 GiB) is refused, far past Lambda's
 * 250 MB unzipped limit. Runs in the packer child only: it blocks.
 */
#ifndef DLC_PACK_WRITE_H
#define DLC_PACK_WRITE_H

#include <stddef.h>
#include <stdint.h>

#define PACK_WRITE_MAX_THREADS	8
#define PACK_WRITE_WINDOW	(64u * 1024 * 1024)

struct pack_write_file {
	char		*rel;		/* path in the zip */
	char		*path;		/* path to read (a link's target) */
	uint64_t	 size;
	int		 exec;		/* 0755 rather than 0644 */
};

struct pack_write_opts {
	int		 threads;	/* workers; 0: one per online core */
	int		 level;		/* zlib level */
	uint16_t	 dos_time;	/* every entry's MS-DOS time and date */
	uint16_t	 dos_date;
	/* After each entry is written, in order (may be NULL). */
	void		(*progress)(size_t files_done, uint64_t bytes_done, void *arg);
	void		*arg;
};

/*
 * Writes files[0..n) (sorted by the caller) into a new zip at out (which
 * must not exist), fsyncs it and puts its SHA-256 into md and its size
 * into *size. -1 with err (naming the file) on any failure; out may then
 * hold a partial file for the caller to remove.
 */
int	pack_write_zip(const char *out, const struct pack_write_file *files,
	    size_t n, const struct pack_write_opts *opts, unsigned char md[32],
	    uint64_t *size, char *err, size_t errlen);

#endif
