/* sc_hs.h - Vectorscan (libhs), loaded on first use (see sc_curl.h for why: it brings libstdc++;
 * only the secrets engine uses it). lib/ files include this instead of <hs/hs.h> and call
 * sc_hs_load() before the first hs_* call. */
#ifndef SHIPCHECK_SC_HS_H
#define SHIPCHECK_SC_HS_H

#include <hs/hs.h>

#include "shipcheck/sc_core.h"

#define SC_HS_FUNCS(X)                                                                                   \
	X(hs_alloc_scratch) X(hs_compile_multi) X(hs_free_compile_error) X(hs_free_database)           \
	X(hs_free_scratch) X(hs_scan) X(hs_version) X(hs_populate_platform) X(hs_serialize_database)   \
	X(hs_deserialize_database)

struct sc_hs_api {
#define SC_HS_MEMBER(f) __typeof__(f) *f;
	SC_HS_FUNCS(SC_HS_MEMBER)
#undef SC_HS_MEMBER
};

extern const struct sc_hs_api *sc_hs_api;
/* Loads libhs once (thread-safe); SC_EINTERNAL with the loader's message when it cannot. */
enum sc_status sc_hs_load(struct sc_error *err);

#ifndef SC_LAZY_LOADER
#define hs_alloc_scratch sc_hs_api->hs_alloc_scratch
#define hs_compile_multi sc_hs_api->hs_compile_multi
#define hs_free_compile_error sc_hs_api->hs_free_compile_error
#define hs_free_database sc_hs_api->hs_free_database
#define hs_free_scratch sc_hs_api->hs_free_scratch
#define hs_scan sc_hs_api->hs_scan
#define hs_version sc_hs_api->hs_version
#define hs_populate_platform sc_hs_api->hs_populate_platform
#define hs_serialize_database sc_hs_api->hs_serialize_database
#define hs_deserialize_database sc_hs_api->hs_deserialize_database
#endif

#endif
