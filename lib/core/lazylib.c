/* lazylib.c - loads libcurl, libgit2, libarchive and Vectorscan on first use (sc_curl.h,
 * sc_git2.h, sc_archive_dl.h, sc_hs.h): dlopen by the soname the build linked against (meson
 * reads it from the library), every function the code calls looked up once, under pthread_once.
 * A missing library or symbol is an error naming it, never a call through a NULL pointer. */
#define SC_LAZY_LOADER 1
#include "sc_archive_dl.h"
#include "sc_curl.h"
#include "sc_git2.h"
#include "sc_hs.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sc_config.h"

static bool lookup(void *h, const char *soname, const char *name, void **slot, char *why, size_t n)
{
	*slot = dlsym(h, name);
	if (!*slot)
		snprintf(why, n, "%s has no %s", soname, name);
	return *slot != NULL;
}

/* One library: its table, the public pointer set once every function is found, why it is not. */
#define SC_LAZY_LIB(lib, SONAME, FUNCS, after)                                                           \
	const struct sc_##lib##_api *sc_##lib##_api;                                                     \
	static struct sc_##lib##_api lib##_table;                                                        \
	static pthread_once_t lib##_once = PTHREAD_ONCE_INIT;                                            \
	static char lib##_why[512];                                                                      \
	static void lib##_load(void)                                                                     \
	{                                                                                                \
		void *h = dlopen(SONAME, RTLD_NOW | RTLD_LOCAL);                                         \
		if (!h) {                                                                                \
			snprintf(lib##_why, sizeof(lib##_why), "cannot load %s: %s", SONAME, dlerror()); \
			return;                                                                          \
		}                                                                                        \
		bool ok = true;                                                                          \
		FUNCS(SC_LAZY_LOOKUP_##lib)                                                              \
		if (ok && after)                                                                         \
			sc_##lib##_api = &lib##_table;                                                   \
	}
#define SC_LAZY_LOOKUP_curl(f) ok = ok && lookup(h, SC_CURL_SONAME, #f, (void **)&curl_table.f, curl_why, sizeof(curl_why));
#define SC_LAZY_LOOKUP_git2(f) ok = ok && lookup(h, SC_GIT2_SONAME, #f, (void **)&git2_table.f, git2_why, sizeof(git2_why));
#define SC_LAZY_LOOKUP_archive(f) ok = ok && lookup(h, SC_ARCHIVE_SONAME, #f, (void **)&archive_table.f, archive_why, sizeof(archive_why));
#define SC_LAZY_LOOKUP_hs(f) ok = ok && lookup(h, SC_HS_SONAME, #f, (void **)&hs_table.f, hs_why, sizeof(hs_why));

static bool curl_started(void);
SC_LAZY_LIB(curl, SC_CURL_SONAME, SC_CURL_FUNCS, curl_started())
SC_LAZY_LIB(git2, SC_GIT2_SONAME, SC_GIT2_FUNCS, true)
SC_LAZY_LIB(archive, SC_ARCHIVE_SONAME, SC_ARCHIVE_FUNCS, true)
SC_LAZY_LIB(hs, SC_HS_SONAME, SC_HS_FUNCS, true)

static bool curl_started(void)
{
	if (curl_table.curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
		return true;
	snprintf(curl_why, sizeof(curl_why), "curl_global_init failed");
	return false;
}

CURL *sc_curl_easy_init(void)
{
	pthread_once(&curl_once, curl_load);
	return sc_curl_api ? sc_curl_api->curl_easy_init() : NULL;
}

const char *sc_curl_load_error(void)
{
	return curl_why[0] ? curl_why : "curl_easy_init failed";
}

enum sc_status sc_git2_load(struct sc_error *err)
{
	/* fault injection for the tests of the fallback (docs/internals/README.md) */
	const char *fault = getenv("SHIPCHECK_FAULT");
	if (fault && !strcmp(fault, "no-libgit2"))
		return sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "libgit2 not loaded (SHIPCHECK_FAULT=no-libgit2)");
	pthread_once(&git2_once, git2_load);
	return sc_git2_api ? SC_OK : sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "%s", git2_why);
}

enum sc_status sc_hs_load(struct sc_error *err)
{
	pthread_once(&hs_once, hs_load);
	return sc_hs_api ? SC_OK : sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "%s", hs_why);
}

struct archive *sc_archive_read_new(void)
{
	pthread_once(&archive_once, archive_load);
	if (!sc_archive_api) { /* an installation error, like running out of memory */
		fprintf(stderr, "shipcheck: %s\n", archive_why);
		exit(3);
	}
	struct archive *a = sc_archive_api->archive_read_new();
	if (!a) {
		fprintf(stderr, "shipcheck: out of memory (archive_read_new)\n");
		abort();
	}
	return a;
}

int sc_archive_read_free(struct archive *a)
{
	return a && sc_archive_api ? sc_archive_api->archive_read_free(a) : ARCHIVE_OK;
}
