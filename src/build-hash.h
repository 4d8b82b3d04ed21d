/*
 * What a build's zip is made from, as one SHA-256: every file under the
 * function's folder by its path relative to that folder, its bytes and
 * its execute bit; every link by its target; every folder by its path
 * (the manifest, with its commands and patterns, is one of the files);
 * and SOURCE_DATE_EPOCH, which changes the zip's bytes. Never an absolute
 * path, an mtime, an owner or a tool's version: the same checkout hashes
 * the same in any folder on any machine (terraform-aws-lambda's hash took
 * in absolute paths and differed between machines, its issue #672). The
 * hash is kept beside the zip (NAME.zip.inputs); a build whose inputs
 * hash the same, with its zip and NAME.zip.sha256 still there, is skipped.
 */
#ifndef DLC_BUILD_HASH_H
#define DLC_BUILD_HASH_H

#include "err.h"

struct local_function;
struct build_result;

/*
 * Hashes fn's folder into hex (lower-case, NUL-terminated). skip_dir (may
 * be NULL) is left out when it lies inside the folder: the build folder
 * is not an input. -1 with err naming the file that could not be read.
 */
int	build_hash_inputs(const struct local_function *fn, const char *skip_dir,
	    char hex[65], struct dlc_err *err);
/*
 * 1 when inputs_path holds hex and zip_path and sha_path (its CodeSha256)
 * are there, with res's code_sha256, sha256_hex and size filled from them;
 * else 0.
 */
int	build_hash_unchanged(const char *inputs_path, const char *hex,
	    const char *zip_path, const char *sha_path, struct build_result *res);

#endif
