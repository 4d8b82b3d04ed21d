/* Real files for unit tests (see testfs.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testfs.h"

static char testfs_dir[256];

int
testfs_init(const char *name)
{
	snprintf(testfs_dir, sizeof testfs_dir, "/tmp/dlc-test-%s-XXXXXX", name);
	return mkdtemp(testfs_dir) == NULL ? -1 : 0;
}

const char *
testfs_root(void)
{
	return testfs_dir;
}

char *
testfs_path(const char *fmt, ...)
{
	static char buf[8][1200];
	static int i;
	char rel[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof rel, fmt, ap);
	va_end(ap);
	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "%s/%s", testfs_dir, rel);
	return buf[i];
}

void
testfs_put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

int
testfs_cleanup(void)
{
	char cmd[400];

	if (testfs_dir[0] == '\0' || strchr(testfs_dir, '\'') != NULL)
		return -1;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", testfs_dir);
	return system(cmd) == 0 ? 0 : -1;
}
