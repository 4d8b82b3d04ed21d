/*
 * dlc: the data lake console. The plain commands live in src/cli*.c; with
 * no command, the console (ui/) opens.
 */
#include "ui.h"
#include "build-stage.h"
#include "harden.h"
#include "pack-zip.h"

#include <malloc.h>
#include <string.h>

int
main(int argc, char **argv)
{
	/* dlc re-executed as its own packer (pack.c): hidden from --help. */
	if (argc > 1 && strcmp(argv[1], PACK_ZIP_COMMAND) == 0)
		return pack_zip_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], BUILD_STAGE_COMMAND) == 0)
		return build_stage_main(argc, argv);
#if defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
	/*
	 * A page of log events is megabytes (the answer, its strings, its
	 * events), read one after another. glibc handed each back to the
	 * kernel when it was freed and faulted the next one in again, page by
	 * page: a tenth of dlc logs' CPU. Freed memory now stays for the next.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
	/* Before any secret is read; a refusal (not Linux) is no reason to stop. */
	harden_process(NULL);
	cli_console = ui_main;
	return cli_main(argc, argv);
}
