/* lazylib.c - loads libcurl and libgit2 on first use (sc_curl.h, sc_git2.h): dlopen by soname,
 * every function the code calls looked up once, under pthread_once. A missing library or symbol
 * is an error naming it, never a crash. */
#define SC_CURL_LOADER 1
#define SC_GIT2_LOADER 1
#include "sc_curl.h"
#include "sc_git2.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "sc_config.h"

const struct sc_curl_api *sc_curl_api;
const struct sc_git2_api *sc_git2_api;

static struct sc_curl_api curl_table;
static struct sc_git2_api git2_table;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT, git2_once = PTHREAD_ONCE_INIT;
static char curl_why[512], git2_why[512];

static void *open_lib(const char *soname, char *why, size_t n)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		snprintf(why, n, "cannot load %s: %s", soname, dlerror());
	return h;
}

static bool lookup(void *h, const char *soname, const char *name, void **slot, char *why, size_t n)
{
	*slot = dlsym(h, name);
	if (!*slot)
		snprintf(why, n, "%s has no %s", soname, name);
	return *slot != NULL;
}

static void load_curl(void)
{
	static const char soname[] = "libcurl.so.4";
	void *h = open_lib(soname, curl_why, sizeof(curl_why));
	if (!h)
		return;
	bool ok = true;
#define SC_CURL_LOOKUP(f) ok = ok && lookup(h, soname, #f, (void **)&curl_table.f, curl_why, sizeof(curl_why));
	SC_CURL_FUNCS(SC_CURL_LOOKUP)
#undef SC_CURL_LOOKUP
	if (!ok)
		return;
	if (curl_table.curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(curl_why, sizeof(curl_why), "curl_global_init failed");
		return;
	}
	sc_curl_api = &curl_table;
}

CURL *sc_curl_easy_init(void)
{
	pthread_once(&curl_once, load_curl);
	return sc_curl_api ? sc_curl_api->curl_easy_init() : NULL;
}

const char *sc_curl_load_error(void)
{
	return curl_why[0] ? curl_why : "curl_easy_init failed";
}

static void load_git2(void)
{
	static const char soname[] = SC_GIT2_SONAME; /* from the libgit2 built against (meson) */
	void *h = open_lib(soname, git2_why, sizeof(git2_why));
	if (!h)
		return;
	bool ok = true;
#define SC_GIT2_LOOKUP(f) ok = ok && lookup(h, soname, #f, (void **)&git2_table.f, git2_why, sizeof(git2_why));
	SC_GIT2_FUNCS(SC_GIT2_LOOKUP)
#undef SC_GIT2_LOOKUP
	if (ok)
		sc_git2_api = &git2_table;
}

enum sc_status sc_git2_load(struct sc_error *err)
{
	pthread_once(&git2_once, load_git2);
	if (!sc_git2_api)
		return sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "%s", git2_why);
	return SC_OK;
}
