/* dlc: the data lake console. The commands live in src/cli*.c. */
#include "cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
