/* main.c - the shipcheck command: dispatches to cli/cmd_<verb>.c (commands.def). */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct sc_cli_command commands[] = {
#define SC_COMMAND(n, s) {#n, s, cmd_##n},
#include "commands.def"
#undef SC_COMMAND
};

static void usage(FILE *out)
{
	fprintf(out, "usage: shipcheck [--version] [--help] COMMAND [ARGS]\n\n"
		     "Security checks for containerized services, for the build pipeline.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun `shipcheck COMMAND --help` for a command's options.\n" SC_CLI_EXIT_HELP);
}

int main(int argc, char **argv)
{
	sc_heap_use_huge_pages(); /* fresh 4 KiB pages fault expensively on VMs */
	if (argc < 2) {
		usage(stderr);
		return SC_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		if (argc > 2 && strcmp(cmd, "help") == 0) {
			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
				if (!strcmp(commands[i].name, argv[2])) {
					char *av[] = {argv[2], "--help", NULL};
					return commands[i].run(2, av);
				}
			}
		}
		usage(stdout);
		return SC_EXIT_PASS;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") || !strcmp(cmd, "version-info")) {
		printf("shipcheck %s\n", sc_tool_version());
		return SC_EXIT_PASS;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, cmd))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "shipcheck: unknown command `%s`\n", cmd);
	usage(stderr);
	return SC_EXIT_USAGE;
}
