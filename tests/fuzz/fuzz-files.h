/*
 * For the fuzz targets whose parser reads files (the AWS config files,
 * the SSO token cache): a private temporary folder, removed at exit, and
 * a way to write an input into it.
 */
#ifndef DLC_FUZZ_FILES_H
#define DLC_FUZZ_FILES_H

#include <stddef.h>

/* The folder (created on first use); also set as HOME. */
const char	*fuzz_files_dir(void);
/* Writes data[0..len) to path (made under the folder when relative). */
void		 fuzz_files_write(const char *path, const void *data, size_t len);
/* The allocated path of name under the folder. */
char		*fuzz_files_path(const char *name);

#endif
