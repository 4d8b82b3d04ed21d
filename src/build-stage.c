/*
 * The staging child (see build-stage.h). Everything here may block: it
 * runs in its own process, never on the console's loop.
 */
#include "build-stage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmalloc.h"

struct build_stage {
	dev_t	skip_dev[2];	/* DST and its parent (the build folder): */
	ino_t	skip_ino[2];	/* never copied into themselves */
	char	err[1024];
};

static void
build_stage_fail(struct build_stage *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
build_stage_fail(struct build_stage *s, const char *fmt, ...)
{
	va_list ap;

	if (s->err[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
}

static int
build_stage_file(struct build_stage *s, const char *from, const char *to,
    const struct stat *st)
{
	char chunk[65536];
	ssize_t n, w, off;
	int in, out, rc = -1;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		build_stage_fail(s, "cannot read %s: %s", from, strerror(errno));
		return -1;
	}
	/* Execute bits as the source has them; the rest is the packer's to normalise. */
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    (st->st_mode & 0111) ? 0755 : 0644);
	if (out < 0) {
		build_stage_fail(s, "cannot write %s: %s", to, strerror(errno));
		close(in);
		return -1;
	}
	for (;;) {
		n = read(in, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			build_stage_fail(s, "cannot read %s: %s", from, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		for (off = 0; off < n; off += w) {
			w = write(out, chunk + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				build_stage_fail(s, "cannot write %s: %s", to, strerror(errno));
				goto out;
			}
		}
	}
	/* A umask may have taken bits away: the copy's are the source's. */
	if (fchmod(out, (st->st_mode & 0111) ? 0755 : 0644) != 0) {
		build_stage_fail(s, "cannot write %s: %s", to, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(in);
	if (close(out) != 0 && rc == 0) {
		build_stage_fail(s, "cannot write %s: %s", to, strerror(errno));
		rc = -1;
	}
	return rc;
}

static int
build_stage_copy(struct build_stage *s, const char *from, const char *to,
    int top)
{
	struct dirent *de;
	DIR *d;
	int rc = 0;

	d = opendir(from);
	if (d == NULL) {
		build_stage_fail(s, "cannot read the folder %s: %s", from, strerror(errno));
		return -1;
	}
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		char *cf, *ct, link[PATH_MAX];
		struct stat st;
		ssize_t n;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (top && strcmp(de->d_name, "function.ini") == 0)
			continue;
		cf = xasprintf("%s/%s", from, de->d_name);
		ct = xasprintf("%s/%s", to, de->d_name);
		if (lstat(cf, &st) != 0) {
			build_stage_fail(s, "cannot read %s: %s", cf, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if ((st.st_dev == s->skip_dev[0] && st.st_ino == s->skip_ino[0]) ||
			    (st.st_dev == s->skip_dev[1] && st.st_ino == s->skip_ino[1])) {
				/* the build folder inside the function's: not an input */
			} else if (mkdir(ct, 0755) != 0) {
				build_stage_fail(s, "cannot write %s: %s", ct, strerror(errno));
				rc = -1;
			} else {
				rc = build_stage_copy(s, cf, ct, 0);
			}
		} else if (S_ISREG(st.st_mode)) {
			rc = build_stage_file(s, cf, ct, &st);
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(cf, link, sizeof link - 1);
			if (n < 0 || (link[n] = '\0', symlink(link, ct) != 0)) {
				build_stage_fail(s, "cannot copy the link %s: %s", cf, strerror(errno));
				rc = -1;
			}
		} else {
			build_stage_fail(s, "%s: not a regular file, folder or link; "
			    "remove it from the function's folder", cf);
			rc = -1;
		}
		free(cf);
		free(ct);
	}
	if (rc == 0 && errno != 0) {
		build_stage_fail(s, "cannot read the folder %s: %s", from, strerror(errno));
		rc = -1;
	}
	closedir(d);
	return rc;
}

static int
build_stage_remove(struct build_stage *s, const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : (build_stage_fail(s, "cannot remove %s: %s",
		    path, strerror(errno)), -1);
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) != 0 && errno != ENOENT) {
			build_stage_fail(s, "cannot remove %s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	/* A build command may have left a folder without write or search permission. */
	if ((st.st_mode & 0700) != 0700)
		chmod(path, 0700);
	d = opendir(path);
	if (d == NULL) {
		build_stage_fail(s, "cannot remove %s: %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char *c;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		c = xasprintf("%s/%s", path, de->d_name);
		if (build_stage_remove(s, c) != 0)
			rc = -1;
		free(c);
	}
	closedir(d);
	if (rmdir(path) != 0 && errno != ENOENT) {
		build_stage_fail(s, "cannot remove %s: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

static int
build_stage_skip(struct build_stage *s, const char *dst)
{
	struct stat st;
	char *parent;

	if (stat(dst, &st) != 0) {
		build_stage_fail(s, "cannot use %s: %s", dst, strerror(errno));
		return -1;
	}
	s->skip_dev[0] = st.st_dev;
	s->skip_ino[0] = st.st_ino;
	parent = xasprintf("%s/..", dst);
	if (stat(parent, &st) == 0) {
		s->skip_dev[1] = st.st_dev;
		s->skip_ino[1] = st.st_ino;
	} else {
		s->skip_dev[1] = s->skip_dev[0];
		s->skip_ino[1] = s->skip_ino[0];
	}
	free(parent);
	return 0;
}

int
build_stage_main(int argc, char **argv)
{
	struct build_stage s;
	size_t i;
	int rc = -1;

	memset(&s, 0, sizeof s);
	umask(022);
	if (argc == 5 && strcmp(argv[2], "copy") == 0) {
		if (build_stage_skip(&s, argv[4]) == 0)
			rc = build_stage_copy(&s, argv[3], argv[4], 1);
	} else if (argc == 4 && strcmp(argv[2], "remove") == 0) {
		rc = build_stage_remove(&s, argv[3]);
	} else {
		fprintf(stderr, "usage: %s %s copy SRC DST | remove DIR\n", argv[0],
		    BUILD_STAGE_COMMAND);
		return 2;
	}
	if (rc == 0)
		return 0;
	for (i = 0; s.err[i] != '\0'; i++)
		if (s.err[i] == '\n' || s.err[i] == '\r')
			s.err[i] = '?';
	printf("error %s\n", s.err[0] != '\0' ? s.err : "staging failed");
	fflush(stdout);
	return 1;
}
