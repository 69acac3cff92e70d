/* fuzz_apt.c - libFuzzer target: the apt readers (Release/InRelease, Packages with and without the
 * wanted-names fast path, the streaming index scan plain and as a compressed file, sources.list
 * one-line and deb822, preferences) and the candidate policy. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct sc_error err = {0};
	struct sc_arena *a = sc_arena_new();

	struct sc_apt_release *rel = NULL;
	sc_apt_release_parse(a, "InRelease", s, size, &rel, &err);
	sc_error_clear(&err);
	if (rel)
		sc_apt_release_verify(rel, "main/binary-amd64/Packages", "P", s, size, &err);
	sc_error_clear(&err);

	struct sc_apt_cache *c = sc_apt_cache_new();
	struct sc_apt_index idx = {"Packages", rel, "main", "amd64", 0};
	sc_apt_packages_parse(c, &idx, s, size, &err);
	sc_error_clear(&err);
	struct sc_map *wanted = sc_map_new();
	sc_map_put(wanted, "libc6", (void *)1);
	sc_map_put(wanted, "a", (void *)1);
	c->wanted = wanted;
	sc_apt_packages_parse(c, &idx, s, size, &err);
	sc_error_clear(&err);
	/* the streaming scan: plain (checked against the Release this input parsed to, if any) and as
	 * a compressed index (libarchive decides what the bytes are) */
	/* the versions found point at their index: it lives as long as the cache */
	struct sc_apt_index sidx[3] = {{"Packages", NULL, "main", "amd64", 0},
				       {"Packages.gz", NULL, "main", "amd64", 0},
				       {"Packages.xz", NULL, "main", "amd64", 0}};
	for (size_t i = 0; i < 3; i++) {
		struct sc_bigbuf table;
		sc_bigbuf_init(&table, 1u << 24);
		struct sc_apt_table tab = {.mem = &table, .fd = -1, .ok = true};
		sc_apt_index_scan(c, &sidx[i], i ? NULL : rel, "main/binary-amd64/Packages", s, size, &tab, &err);
		sc_error_clear(&err);
		sc_bigbuf_free(&table);
	}

	/* differential: the 16-byte and the 32-byte line skipping agree on every input (status, error
	 * line, versions kept, table bytes) */
	{
		struct sc_bigbuf t[2];
		struct sc_apt_table tab[2];
		struct sc_apt_cache *cc[2];
		struct sc_error e[2] = {{0}, {0}};
		enum sc_status st[2];
		for (int k = 0; k < 2; k++) {
			sc_bigbuf_init(&t[k], 1u << 24);
			tab[k] = (struct sc_apt_table){.mem = &t[k], .fd = -1, .ok = true};
			cc[k] = sc_apt_cache_new();
			cc[k]->wanted = wanted;
			if (k == 0)
				setenv("SHIPCHECK_SIMD", "sse2", 1);
			st[k] = sc_apt_index_scan(cc[k], &sidx[0], NULL, NULL, s, size, &tab[k], &e[k]);
			unsetenv("SHIPCHECK_SIMD");
		}
		if (st[0] != st[1] || e[0].line != e[1].line || cc[0]->n_versions != cc[1]->n_versions ||
		    tab[0].ok != tab[1].ok || t[0].len != t[1].len || (t[0].len && memcmp(t[0].buf, t[1].buf, t[0].len)))
			abort();
		for (int k = 0; k < 2; k++) {
			sc_error_clear(&e[k]);
			sc_bigbuf_free(&t[k]);
			sc_apt_cache_free(cc[k]);
		}
	}

	size_t klen = 0;
	free(sc_apt_dearmor(s, size, &klen));

	struct sc_ptrvec src = {0};
	sc_apt_sources_parse(a, "sources.list", s, size, false, &src, &err);
	sc_error_clear(&err);
	sc_apt_sources_parse(a, "x.sources", s, size, true, &src, &err);
	sc_error_clear(&err);
	sc_ptrvec_free(&src);

	struct sc_apt_prefs *p = sc_apt_prefs_new();
	sc_apt_prefs_parse(p, "preferences", s, size, &err);
	sc_error_clear(&err);
	const struct sc_scheme *deb = sc_scheme_find("deb");
	static const char *const names[] = {"libc6", "a"};
	for (size_t i = 0; deb && i < 2; i++) {
		struct sc_apt_installed inst = {names[i], "1.0-1", "amd64", false, false};
		sc_apt_candidate(c, p, &inst, "amd64", deb->compare);
	}
	sc_apt_prefs_free(p);
	sc_map_free(wanted);
	sc_apt_cache_free(c);
	sc_arena_free(a);
	return 0;
}
