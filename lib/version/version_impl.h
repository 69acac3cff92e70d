/* version_impl.h - helpers shared by the version schemes of lib/version/ (not public API). */
#ifndef SC_VERSION_IMPL_H
#define SC_VERSION_IMPL_H

#include "shipcheck/sc_version.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_SCHEME(n) extern const struct sc_scheme sc_scheme_##n;
#include "schemes.def"
#undef SC_SCHEME

static inline bool vi_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool vi_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline bool vi_alnum(int c) { return vi_digit(c) || vi_alpha(c); }
static inline int vi_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Sets an SC_EINPUT error "invalid <scheme> version '<v>': <why>" (v shown escaped and cut). */
enum sc_status sc_version_fail(struct sc_error *err, const char *scheme, const char *what, const char *v,
			       size_t len, const char *fmt, ...) SC_PRINTF(6, 7);

/* Compares two digit strings numerically (leading zeros ignored, any length). */
int sc_version_numcmp(const char *a, size_t alen, const char *b, size_t blen);

/* Common length check for validate(): empty or longer than SC_VERSION_MAX is an error. */
enum sc_status sc_version_check_len(const char *scheme, const char *v, size_t len, struct sc_error *err);

/* The operator-list range syntax of schemes without a native one (deb, rpm, apk): comparators
 * "OP VERSION" (OP one of < <= > >= = == != << >>; `<<`/`>>` are strict like dpkg's) joined by
 * commas or spaces (AND) and `||` (OR). */
enum sc_status sc_version_oprange(const struct sc_scheme *s, const char *version, const char *range,
				  bool *out, struct sc_error *err);

/* SemVer 2.0 (semver.c). NPM mode is node-semver's strict parse: optional leading `v`, surrounding
 * white space trimmed, at most 256 bytes, numbers at most 2^53-1, numeric prerelease identifiers
 * compared as JavaScript numbers. STRICT mode is SemVer 2.0 as written (crates.io): no prefix,
 * numbers fit in 64 bits, exact numeric comparison. */
enum sv_mode { SV_STRICT, SV_NPM };
struct sv {
	uint64_t major, minor, patch;
	const char *pre; /* without the '-'; NULL when none */
	size_t prelen;
	const char *build; /* without the '+'; NULL when none */
	size_t buildlen;
};
#define SV_MAX_SAFE 9007199254740991ULL
/* NULL on success, else the reason. */
const char *sc_sv_parse(const char *s, size_t len, enum sv_mode mode, struct sv *out);
/* Precedence: major.minor.patch, then prerelease (none > any); build ignored. */
int sc_sv_cmp(const struct sv *a, const struct sv *b, enum sv_mode mode);

/* node-semver ranges (npm_range.c). Parses `range` as node-semver 7 does (strict mode) and tests
 * `v`; SC_EINPUT when the range is invalid. normalized (optional) receives node's Range.range. */
enum sc_status sc_npm_range_test(const struct sv *v, const char *range, bool include_prerelease,
				 bool *out, struct sc_strbuf *normalized, struct sc_error *err);

/* node-semver's outside(): gtr (hilo '>') / ltr ('<'). */
enum sc_status sc_npm_outside(const struct sv *v, const char *range, char hilo, bool include_prerelease, bool *out,
			      struct sc_error *err);

/* str(packaging.version.Version(v)) (pep440.c). */
enum sc_status sc_pep440_normalize(const char *v, struct sc_strbuf *out, struct sc_error *err);

/* Composer\Semver\VersionParser::normalize (composer.c). */
enum sc_status sc_composer_normalize(const char *v, struct sc_strbuf *out, struct sc_error *err);

/* apk_version_validate and apk_version_match (apk.c); op is apk's operator text ("<", ">=", "~"). */
bool sc_apk_valid(const char *v, size_t len);
bool sc_apk_match(const char *a, const char *op, const char *b);

/* golang.org/x/mod/semver.Canonical (go.c); false when the version is invalid. */
bool sc_go_canonical(const char *v, struct sc_strbuf *out);

#endif
