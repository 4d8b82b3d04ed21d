/*
 * dlc: the data lake console. The plain commands live in src/cli*.c; with
 * no command, the console (ui/) opens.
 */
#include "ui.h"

int
main(int argc, char **argv)
{
	cli_console = ui_main;
	return cli_main(argc, argv);
}
