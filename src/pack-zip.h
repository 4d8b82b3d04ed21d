/*
 * The packer's child side: builds a reproducible zip of a folder. It runs
 * in a child process (dlc re-executes itself as `dlc __pack SRC OUT TMPDIR`,
 * see pack.h), never in the console's process, because deflating 50 MB
 * takes seconds of CPU. It talks to the parent only through lines on
 * stdout:
 *   total M BYTES           the files found and their bytes, once, first
 *   file N/M BYTES          N files done, BYTES read so far (monotone)
 *   done SIZE HEX BASE64    the zip is at OUT; its SHA-256 in hex and base64
 *   error MESSAGE           what failed, naming the file; exit code 1
 * The zip is the same bytes for the same folder contents: entries sorted
 * by path (bytes, '/' separated, files only: empty folders are not kept),
 * every mtime the zip minimum 1980-01-01 00:00 (or SOURCE_DATE_EPOCH, in
 * UTC), modes 0644, or 0755 for a file with any execute bit, no extra
 * fields, no uid/gid, every entry deflated at level 6 (on every core, see
 * pack-write.h; DLC_PACK_THREADS=N sets the threads, never the bytes).
 * With -p PATTERN and -f FILE after TMP_DIR, only the files pack-filter.h
 * keeps go in (a file left out is not even opened). A symbolic link to a
 * file inside the folder is stored as that file; any other link (outside the folder,
 * to a folder, dangling) and any special file is refused: a link must not
 * carry ~/.aws/credentials into a package sent to AWS.
 */
#ifndef DLC_PACK_ZIP_H
#define DLC_PACK_ZIP_H

/* The hidden command name; never shown in --help. */
#define PACK_ZIP_COMMAND	"__pack"

/*
 * argv: [program, PACK_ZIP_COMMAND, SRC_DIR, OUT_ZIP, TMP_DIR,
 * [-p PATTERN | -f FILE]...]. Writes the zip inside TMP_DIR (which the
 * parent made and removes) and renames it
 * to OUT_ZIP on success, so a killed packer leaves no half zip at OUT_ZIP.
 * Returns the exit code.
 */
int	pack_zip_main(int argc, char **argv);

#endif
