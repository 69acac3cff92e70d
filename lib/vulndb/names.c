/* names.c - OSV ecosystems the DB knows, per-ecosystem package name normalisation (PyPI PEP 503,
 * Packagist and NuGet lower case, others exact) and source severity words. */
#include "shipcheck/sc_purl.h"
#include "vulndb.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* OSV ecosystem names (the part before ':' for versioned ones such as "Debian:12"). */
static const char *const ecosystems[] = {
	"AlmaLinux", "Alpine", "Android", "Azure Linux", "Bitnami", "Chainguard", "ConanCenter", "CRAN",
	"crates.io", "Debian", "GHC", "GitHub Actions", "Go", "Hackage", "Hex", "Linux", "Mageia", "Maven",
	"MinimOS", "npm", "NuGet", "openEuler", "openSUSE", "OSS-Fuzz", "Packagist", "Photon OS", "Pub", "PyPI",
	"Red Hat", "Rocky Linux", "RubyGems", "SUSE", "SwiftURL", "Ubuntu", "Wolfi", NULL,
};

const char *sc_vulndb_ecosystem_base(const char *ecosystem, char *buf, size_t size)
{
	if (!ecosystem || !*ecosystem)
		return NULL;
	size_t n = strcspn(ecosystem, ":");
	if (n >= size)
		return NULL;
	memcpy(buf, ecosystem, n);
	buf[n] = '\0';
	if (ecosystem[n] == ':' && !ecosystem[n + 1])
		return NULL; /* "Debian:" */
	for (size_t i = 0; ecosystems[i]; i++)
		if (!strcmp(ecosystems[i], buf))
			return ecosystems[i];
	return NULL;
}

bool sc_db_ecosystem_known(const char *ecosystem)
{
	char buf[64];
	return sc_vulndb_ecosystem_base(ecosystem, buf, sizeof(buf)) != NULL;
}

char *sc_db_normalize_name(struct sc_arena *a, const char *ecosystem, const char *name)
{
	if (!name)
		return NULL;
	char base[64];
	const char *eco = sc_vulndb_ecosystem_base(ecosystem, base, sizeof(base));
	if (!eco)
		return sc_arena_strdup(a, name);
	if (!strcmp(eco, "PyPI")) {
		return sc_pep503_name(a, name);
	}
	if (!strcmp(eco, "Packagist") || !strcmp(eco, "NuGet")) {
		char *out = sc_arena_strdup(a, name);
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		return out;
	}
	return sc_arena_strdup(a, name);
}

bool sc_vulndb_rating_word(const char *word, enum sc_severity *out)
{
	static const struct {
		const char *w;
		enum sc_severity s;
	} words[] = {
		{"critical", SC_SEV_CRITICAL}, {"high", SC_SEV_HIGH}, {"important", SC_SEV_HIGH},
		{"moderate", SC_SEV_MEDIUM},   {"medium", SC_SEV_MEDIUM}, {"low", SC_SEV_LOW},
		{"unimportant", SC_SEV_LOW},   {"negligible", SC_SEV_LOW},
	};
	if (!word)
		return false;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!strcasecmp(word, words[i].w)) {
			*out = words[i].s;
			return true;
		}
	}
	return false;
}
