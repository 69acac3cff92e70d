/* testutil.h - helpers for the cmocka unit tests: temp dirs, files, shared data paths. */
#ifndef SC_TESTUTIL_H
#define SC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "shipcheck/sc_core.h"

/* A fresh temporary directory (removed by tu_rmtree). Caller frees the string. */
char *tu_mkdtemp(void);
void tu_rmtree(const char *dir);
/* Writes a file below dir (creating parent directories). */
void tu_write(const char *dir, const char *rel, const char *content);
/* $SHIPCHECK_SHARED/<rel> (../shared beside the checkout). Caller frees. */
char *tu_shared(const char *rel);
/* $SHIPCHECK_SOURCE_ROOT/<rel>. Caller frees. */
char *tu_source(const char *rel);
/* Runs a command with /bin/sh (test-only helper: builds fixtures such as git repositories). */
int tu_sh(const char *fmt, ...) SC_PRINTF(1, 2);
/* Reads a whole file; caller frees. */
char *tu_read(const char *path);

#endif
