/* misc.c - tool version and default limits. */
#include "shipcheck/sc_scan.h"
#include "sc_config.h"

const char *sc_tool_version(void)
{
	return SC_VERSION;
}

void sc_limits_default(struct sc_limits *l)
{
	l->max_file_size = 64ull << 20;      /* 64 MiB read into memory for one file */
	l->max_total_bytes = 16ull << 30;    /* 16 GiB decompressed per image */
	l->max_files = 2000000;              /* entries per target */
	l->max_depth = 256;
}
