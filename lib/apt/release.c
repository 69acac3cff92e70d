/* release.c - apt Release and clearsigned InRelease files: suite facts and SHA256 index hashes. */
#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_deb822.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char begin_signed[] = "-----BEGIN PGP SIGNED MESSAGE-----";
static const char begin_sig[] = "-----BEGIN PGP SIGNATURE-----";

/* Line [s, *next) without its terminator in *n. */
static const char *line_at(const char *data, size_t len, size_t *pos, size_t *n)
{
	if (*pos >= len)
		return NULL;
	const char *s = data + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	size_t k = nl ? (size_t)(nl - s) : len - *pos;
	*pos += k + (nl ? 1 : 0);
	if (k && s[k - 1] == '\r')
		k--;
	*n = k;
	return s;
}

enum sc_status sc_apt_clearsign_body(const char *path, const char *data, size_t len, char **body,
				     size_t *body_len, struct sc_error *err)
{
	*body = NULL;
	*body_len = 0;
	size_t pos = 0, n = 0;
	const char *s;
	/* skip leading blank lines */
	size_t start = 0;
	while (start < len && (data[start] == '\n' || data[start] == '\r'))
		start++;
	if (len - start < sizeof(begin_signed) - 1 ||
	    memcmp(data + start, begin_signed, sizeof(begin_signed) - 1)) {
		*body = sc_xmalloc(len + 1);
		memcpy(*body, data, len);
		(*body)[len] = '\0';
		*body_len = len;
		return SC_OK;
	}
	pos = start;
	unsigned line = 0;
	s = line_at(data, len, &pos, &n);
	line++;
	/* armour headers ("Hash: SHA256") up to the first empty line */
	for (;;) {
		s = line_at(data, len, &pos, &n);
		line++;
		if (!s)
			return sc_error_set(err, SC_EINPUT, path, line, 1,
					    "clearsigned message ends in its armour headers");
		if (!n)
			break;
		if (!memchr(s, ':', n))
			return sc_error_set(err, SC_EINPUT, path, line, 1, "bad armour header line");
	}
	/* the body is never longer than the message: written in place into one buffer of that size
	 * (a growing buffer faulted in fresh pages at every doubling) */
	char *out = sc_xmalloc(len + 2);
	size_t k = 0;
	bool ended = false;
	bool first = true;
	while ((s = line_at(data, len, &pos, &n))) {
		line++;
		if (n >= sizeof(begin_sig) - 1 && !memcmp(s, begin_sig, sizeof(begin_sig) - 1)) {
			ended = true;
			break;
		}
		if (n >= 2 && s[0] == '-' && s[1] == ' ') {
			s += 2;
			n -= 2;
		} else if (n && s[0] == '-') {
			free(out);
			return sc_error_set(err, SC_EINPUT, path, line, 1,
					    "unescaped '-' line inside a clearsigned message");
		}
		/* the line break before the signature belongs to the signature */
		if (!first)
			out[k++] = '\n';
		memcpy(out + k, s, n);
		k += n;
		first = false;
	}
	if (!ended) {
		free(out);
		return sc_error_set(err, SC_EINPUT, path, line, 1, "clearsigned message has no signature");
	}
	out[k++] = '\n';
	out[k] = '\0';
	*body_len = k;
	*body = out;
	return SC_OK;
}

static bool is_yes(const struct sc_deb822_stanza *st, const char *name)
{
	const struct sc_deb822_field *f = sc_deb822_get(st, name);
	return f && f->value_len == 3 && !strncasecmp(f->value, "yes", 3);
}

/* Parses the SHA256 field: lines " HASH SIZE NAME". */
static enum sc_status parse_hashes(struct sc_arena *a, const char *path, const struct sc_deb822_field *f,
				   struct sc_apt_release *rel, struct sc_error *err)
{
	size_t cap = 0, pos = 0, n = 0;
	unsigned line = f->line;
	const char *s;
	struct sc_ptrvec tmp = {0};
	enum sc_status st = SC_OK;
	/* the first "line" is the (empty) remainder of the field's own line */
	size_t lines = 0;
	while ((s = line_at(f->value, f->value_len, &pos, &n))) {
		if (lines++)
			line++;
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (!n)
			continue;
		char hex[65] = {0};
		size_t i = 0;
		while (i < n && i < 64 && strchr("0123456789abcdefABCDEF", s[i]) && s[i])
			i++;
		if (i != 64 || (n > 64 && s[64] != ' ' && s[64] != '\t')) {
			st = sc_error_set(err, SC_EINPUT, path, line, 2, "SHA256: expected a 64-digit hash");
			goto out;
		}
		memcpy(hex, s, 64);
		for (int k = 0; k < 64; k++)
			if (hex[k] >= 'A' && hex[k] <= 'F')
				hex[k] = (char)(hex[k] - 'A' + 'a');
		const char *p = s + 64, *e = s + n;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		uint64_t size = 0;
		const char *digits = p;
		while (p < e && *p >= '0' && *p <= '9') {
			if (size > (UINT64_MAX - 9) / 10) {
				st = sc_error_set(err, SC_EINPUT, path, line, 2, "SHA256: size out of range");
				goto out;
			}
			size = size * 10 + (uint64_t)(*p - '0');
			p++;
		}
		if (p == digits || p == e || (*p != ' ' && *p != '\t')) {
			st = sc_error_set(err, SC_EINPUT, path, line, 2, "SHA256: expected `HASH SIZE NAME`");
			goto out;
		}
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p == e) {
			st = sc_error_set(err, SC_EINPUT, path, line, 2, "SHA256: missing file name");
			goto out;
		}
		if (tmp.len >= SC_APT_MAX_HASHES) {
			st = sc_error_set(err, SC_ELIMIT, path, line, 1, "more than %d index hashes",
					  SC_APT_MAX_HASHES);
			goto out;
		}
		struct sc_apt_hash *h = sc_arena_alloc(a, sizeof(*h));
		h->name = sc_arena_strndup(a, p, (size_t)(e - p));
		h->size = size;
		memcpy(h->sha256, hex, 65);
		sc_ptrvec_push(&tmp, h);
	}
	(void)cap;
	rel->n_hashes = tmp.len;
	rel->hashes = sc_arena_alloc(a, (tmp.len ? tmp.len : 1) * sizeof(*rel->hashes));
	for (size_t i = 0; i < tmp.len; i++)
		rel->hashes[i] = *(struct sc_apt_hash *)tmp.items[i];
out:
	sc_ptrvec_free(&tmp);
	return st;
}

enum sc_status sc_apt_release_parse(struct sc_arena *a, const char *path, const char *data, size_t len,
				    struct sc_apt_release **out, struct sc_error *err)
{
	*out = NULL;
	if (len > SC_APT_MAX_RELEASE)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "Release file larger than %llu bytes",
				    (unsigned long long)SC_APT_MAX_RELEASE);
	char *body = NULL;
	size_t blen = 0;
	enum sc_status st = sc_apt_clearsign_body(path, data, len, &body, &blen, err);
	if (st != SC_OK)
		return st;
	/* line numbers of the body: an InRelease's body starts after the armour header */
	unsigned base = 0;
	bool inline_sig = blen != len || (len && memcmp(body, data, len));
	if (inline_sig) {
		const char *p = data, *e = data + len;
		while (p < e && (*p == '\n' || *p == '\r')) {
			if (*p == '\n')
				base++;
			p++;
		}
		while (p < e) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			base++;
			if (!nl)
				break;
			size_t k = (size_t)(nl - p);
			if (k == 0 || (k == 1 && p[0] == '\r'))
				break; /* empty line after the armour headers */
			p = nl + 1;
		}
	}
	struct sc_deb822 p;
	sc_deb822_init(&p, path, body, blen);
	p.line = base + 1;
	struct sc_deb822_stanza sz = {0};
	bool got = false;
	st = sc_deb822_next(&p, &sz, &got, err);
	if (st != SC_OK)
		goto out;
	if (!got) {
		st = sc_error_set(err, SC_EINPUT, path, 0, 0, "empty Release file");
		goto out;
	}
	struct sc_apt_release *rel = sc_arena_alloc(a, sizeof(*rel));
	rel->path = sc_arena_strdup(a, path);
	rel->origin = sc_deb822_dup(&sz, "Origin", a);
	rel->label = sc_deb822_dup(&sz, "Label", a);
	rel->suite = sc_deb822_dup(&sz, "Suite", a);
	rel->codename = sc_deb822_dup(&sz, "Codename", a);
	rel->version = sc_deb822_dup(&sz, "Version", a);
	rel->not_automatic = is_yes(&sz, "NotAutomatic");
	rel->but_automatic_upgrades = is_yes(&sz, "ButAutomaticUpgrades");
	rel->signed_inline = inline_sig;
	if (!rel->suite && !rel->codename) {
		st = sc_error_set(err, SC_EINPUT, path, sz.line, 1, "Release file has neither Suite nor Codename");
		goto out;
	}
	const struct sc_deb822_field *h = sc_deb822_get(&sz, "SHA256");
	if (h) {
		st = parse_hashes(a, path, h, rel, err);
		if (st != SC_OK)
			goto out;
	}
	*out = rel;
out:
	sc_deb822_stanza_free(&sz);
	free(body);
	return st;
}

enum sc_status sc_apt_release_check(const struct sc_apt_release *rel, const char *name, const char *path,
				    uint64_t len, const char *hex, struct sc_error *err)
{
	const struct sc_apt_hash *h = NULL;
	for (size_t i = 0; i < rel->n_hashes; i++)
		if (!strcmp(rel->hashes[i].name, name)) {
			h = &rel->hashes[i];
			break;
		}
	if (!h)
		return sc_error_set(err, SC_EINPUT, path, 0, 0, "%s has no SHA256 entry for %s", rel->path,
				    name);
	if (len != UINT64_MAX && h->size != len)
		return sc_error_set(err, SC_EINPUT, path, 0, 0,
				    "size mismatch: %llu bytes, %s says %llu for %s", (unsigned long long)len,
				    rel->path, (unsigned long long)h->size, name);
	if (hex && strcmp(hex, h->sha256))
		return sc_error_set(err, SC_EINPUT, path, 0, 0, "SHA256 mismatch: %s, %s says %s for %s", hex,
				    rel->path, h->sha256, name);
	return SC_OK;
}

enum sc_status sc_apt_release_verify(const struct sc_apt_release *rel, const char *name, const char *path,
				     const void *data, size_t len, struct sc_error *err)
{
	enum sc_status st = sc_apt_release_check(rel, name, path, len, NULL, err);
	if (st != SC_OK)
		return st;
	char hex[65];
	sc_sha256_hex(data, len, hex);
	return sc_apt_release_check(rel, name, path, len, hex, err);
}

bool sc_apt_release_is_security(const struct sc_apt_release *rel)
{
	if (!rel)
		return false;
	if (rel->label && strstr(rel->label, "Security"))
		return true;
	return sc_str_has_suffix(rel->suite, "-security") || sc_str_has_suffix(rel->codename, "-security") ||
	       sc_str_has_suffix(rel->suite, "/updates");
}
