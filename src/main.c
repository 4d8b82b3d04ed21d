/* dlc: the data lake console. Entry point; commands live in src/cli-*.c. */
#include "config.h"

#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("dlc %s\n", PACKAGE_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: dlc [--version] COMMAND [ARGS]\n");
	return 2;
}
