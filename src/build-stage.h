/*
 * The file work of a build that may take long (copying a function's
 * folder with its vendored packages into the staging folder, removing a
 * staging folder that pip filled with thousands of files), done in a
 * child: dlc re-executes itself as `dlc __stage copy SRC DST` or
 * `dlc __stage remove DIR` through proc.c, so the loop never waits on
 * the disk. It answers with "error MESSAGE" on stdout and exit code 1.
 *
 * copy: regular files (bytes and execute bits; modes are otherwise
 * normalised by the packer), folders and symbolic links (as links: the
 * packer decides what a link may carry) under SRC, into DST, which must
 * exist. The manifest (function.ini) stays out: it is dlc's, not the
 * package's. A special file (fifo, socket, device) is refused.
 * remove: DIR and everything under it, never following a link.
 */
#ifndef DLC_BUILD_STAGE_H
#define DLC_BUILD_STAGE_H

#define BUILD_STAGE_COMMAND	"__stage"

/* argv: [program, BUILD_STAGE_COMMAND, "copy", SRC, DST] or [..., "remove", DIR]. */
int	build_stage_main(int argc, char **argv);

#endif
