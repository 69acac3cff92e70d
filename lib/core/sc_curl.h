/* sc_curl.h - libcurl, loaded on first use. Most runs (a Dockerfile, a lockfile, an image without
 * downloads) never touch the network, and linking libcurl loads ~30 libraries (TLS, Kerberos, LDAP,
 * IDN, …) into every process: about half of shipcheck's start-up. lib/ files include this instead
 * of <curl/curl.h>; the curl_* calls they write go through a table filled by dlopen("libcurl.so.4")
 * the first time curl_easy_init() is called (sc_curl_easy_init). */
#ifndef SHIPCHECK_SC_CURL_H
#define SHIPCHECK_SC_CURL_H

#define CURL_DISABLE_TYPECHECK 1 /* its checks are macros named like the functions */
#include <curl/curl.h>

#define SC_CURL_FUNCS(X)                                                                                 \
	X(curl_global_init) X(curl_easy_init) X(curl_easy_cleanup) X(curl_easy_escape)                  \
	X(curl_easy_getinfo) X(curl_easy_perform) X(curl_easy_reset) X(curl_easy_setopt)                 \
	X(curl_easy_strerror) X(curl_free) X(curl_slist_append) X(curl_slist_free_all)

struct sc_curl_api {
#define SC_CURL_MEMBER(f) __typeof__(f) *f;
	SC_CURL_FUNCS(SC_CURL_MEMBER)
#undef SC_CURL_MEMBER
};

/* Set once libcurl is loaded; every other curl_* call comes after a successful curl_easy_init. */
extern const struct sc_curl_api *sc_curl_api;
/* Loads libcurl once (thread-safe) and runs curl_global_init, then curl_easy_init(); NULL when
 * libcurl cannot be loaded (sc_curl_load_error() says why) or the handle cannot be made. */
CURL *sc_curl_easy_init(void);
const char *sc_curl_load_error(void);

#ifndef SC_LAZY_LOADER
#define curl_easy_init() sc_curl_easy_init()
#define curl_global_init(flags) ((void)(flags)) /* done by the loader */
#define curl_easy_cleanup sc_curl_api->curl_easy_cleanup
#define curl_easy_escape sc_curl_api->curl_easy_escape
#undef curl_easy_getinfo /* curl.h's pass-through macros */
#undef curl_easy_setopt
#define curl_easy_getinfo sc_curl_api->curl_easy_getinfo
#define curl_easy_perform sc_curl_api->curl_easy_perform
#define curl_easy_reset sc_curl_api->curl_easy_reset
#define curl_easy_setopt sc_curl_api->curl_easy_setopt
#define curl_easy_strerror sc_curl_api->curl_easy_strerror
#define curl_free sc_curl_api->curl_free
#define curl_slist_append sc_curl_api->curl_slist_append
#define curl_slist_free_all sc_curl_api->curl_slist_free_all
#endif

#endif
