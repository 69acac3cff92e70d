/* osv.c - parses one OSV JSON record (https://ossf.github.io/osv-schema/) into the fields the DB
 * stores: ids and aliases, texts, dates, severity (CVSS computed, else the source's rating),
 * references, and affected packages with their ranges and explicit versions. */
#include "vulndb.h"

#include <jansson.h>

#include "sc_json_alloc.h"
#include <string.h>
#include <strings.h>

#include "shipcheck/sc_db.h"

static void warn(struct osv_record *r, struct sc_arena *a, const char *fmt, ...) SC_PRINTF(3, 4);
static void warn(struct osv_record *r, struct sc_arena *a, const char *fmt, ...)
{
	if (r->n_warnings >= OSV_MAX_WARNINGS) {
		r->more_warnings++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	r->warnings[r->n_warnings++] = sc_arena_vprintf(a, fmt, ap);
	va_end(ap);
}

/* A string member, or NULL when absent; *bad set when present with another type. */
static const char *str_member(json_t *o, const char *key, struct sc_arena *a, bool *bad)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = true;
		return NULL;
	}
	return sc_arena_strndup(a, json_string_value(v), json_string_length(v));
}

/* A small JSON writer for the compact arrays the DB stores (faster than building jansson trees and
 * dumping them). Strings come from jansson, so they are valid UTF-8. */
static void jstr(struct sc_strbuf *sb, const char *s)
{
	sc_strbuf_putc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			sc_strbuf_putc(sb, '\\');
			sc_strbuf_putc(sb, (char)*p);
		} else if (*p < 0x20) {
			sc_strbuf_printf(sb, "\\u%04x", *p);
		} else {
			sc_strbuf_putc(sb, (char)*p);
		}
	}
	sc_strbuf_putc(sb, '"');
}

static const char *take(struct sc_strbuf *sb, struct sc_arena *a)
{
	const char *out = sc_arena_strndup(a, sc_strbuf_str(sb), sb->len);
	sc_strbuf_reset(sb);
	return out;
}

/* take() for packed data, which holds NULs: the bytes and their length. */
static const char *take_packed(struct sc_strbuf *sb, struct sc_arena *a, size_t *len)
{
	*len = sb->len;
	char *out = sc_arena_alloc(a, sb->len + 1);
	memcpy(out, sc_strbuf_str(sb), sb->len);
	sc_strbuf_reset(sb);
	return out;
}

/* One packed entry: tag byte (0 for none), text, NUL. */
static void pack(struct sc_strbuf *sb, char tag, const char *text)
{
	if (tag)
		sc_strbuf_putc(sb, tag);
	sc_strbuf_puts(sb, text);
	sc_strbuf_putc(sb, '\0');
}

static int vector_rank(const char *type, int version)
{
	(void)type;
	switch (version) {
	case 40: return 4;
	case 31: return 3;
	case 30: return 2;
	case 2: return 1;
	default: return 0;
	}
}

/* Picks the best CVSS vector of a severity array (newest version first). Returns false when none. */
static bool best_vector(json_t *sev, struct osv_record *r, struct sc_arena *a, const char *where,
			const char **vec, double *score, int *ver, const char **type, enum sc_severity *rating)
{
	int best = 0;
	*rating = SC_SEV_UNKNOWN;
	if (!sev)
		return false;
	if (!json_is_array(sev)) {
		warn(r, a, "%sseverity is not an array; ignored", where);
		return false;
	}
	size_t i;
	json_t *s;
	json_array_foreach(sev, i, s) {
		const char *t = json_string_value(json_object_get(s, "type"));
		const char *v = json_string_value(json_object_get(s, "score"));
		if (!t || !v) {
			warn(r, a, "%sseverity[%zu] lacks a type or score; ignored", where, i);
			continue;
		}
		if (!strncmp(t, "CVSS_V", 6)) {
			double sc;
			int ve;
			if (!sc_cvss_score(v, &sc, &ve)) {
				warn(r, a, "%sseverity[%zu]: invalid %s vector `%.80s`; ignored", where, i, t, v);
				continue;
			}
			int rank = vector_rank(t, ve);
			if (rank > best) {
				best = rank;
				*vec = sc_arena_strdup(a, v);
				*score = sc;
				*ver = ve;
				*type = sc_arena_strdup(a, t);
			}
		} else if (!strcmp(t, "Ubuntu")) {
			enum sc_severity rs;
			if (sc_vulndb_rating_word(v, &rs))
				*rating = rs;
		} else {
			warn(r, a, "%sseverity[%zu]: unknown severity type `%.40s`; ignored", where, i, t);
		}
	}
	return best > 0;
}

/* Debian urgency from ecosystem_specific.urgency, database_specific.urgency or a "(medium)" note. */
static void debian_urgency(json_t *aff, struct osv_affected *out, struct sc_arena *a)
{
	const char *u = json_string_value(json_object_get(json_object_get(aff, "ecosystem_specific"), "urgency"));
	if (!u)
		u = json_string_value(json_object_get(json_object_get(aff, "database_specific"), "urgency"));
	const char *note = json_string_value(json_object_get(json_object_get(aff, "database_specific"), "note"));
	char word[32] = "";
	if (u) {
		snprintf(word, sizeof(word), "%s", u);
	} else if (note && note[0] == '(') {
		size_t n = strcspn(note + 1, ")* ");
		if (n < sizeof(word)) {
			memcpy(word, note + 1, n);
			word[n] = '\0';
		}
	}
	enum sc_severity s;
	if (word[0] && sc_vulndb_rating_word(word, &s)) {
		out->rating = s;
		out->note = sc_arena_printf(a, "Debian urgency: %s", word);
	} else if (u) {
		out->note = sc_arena_printf(a, "Debian urgency: %s", u);
	} else if (note) {
		out->note = sc_arena_strdup(a, note);
	}
}

/* Validates the SEMVER/ECOSYSTEM ranges of one affected entry and writes them packed (vulndb.h)
 * to sb. Returns the number of ranges written. */
static size_t usable_ranges(json_t *ranges, struct osv_record *r, struct sc_arena *a, size_t ai, struct sc_strbuf *sb)
{
	size_t n = 0;
	if (ranges && !json_is_array(ranges))
		warn(r, a, "affected[%zu].ranges is not an array; ignored", ai);
	size_t i;
	json_t *rg;
	json_array_foreach(ranges, i, rg) {
		const char *type = json_string_value(json_object_get(rg, "type"));
		if (!type) {
			warn(r, a, "affected[%zu].ranges[%zu] has no type; ignored", ai, i);
			continue;
		}
		if (!strcmp(type, "GIT"))
			continue; /* commit ranges cannot match a package version */
		if (strcmp(type, "SEMVER") && strcmp(type, "ECOSYSTEM")) {
			warn(r, a, "affected[%zu].ranges[%zu]: unknown range type `%.40s`; ignored", ai, i, type);
			continue;
		}
		json_t *events = json_object_get(rg, "events");
		if (!json_is_array(events) || json_array_size(events) == 0) {
			warn(r, a, "affected[%zu].ranges[%zu] has no events; ignored", ai, i);
			continue;
		}
		if (json_array_size(events) > OSV_MAX_EVENTS) {
			warn(r, a, "affected[%zu].ranges[%zu] has more than %u events; ignored", ai, i, OSV_MAX_EVENTS);
			continue;
		}
		size_t mark = sb->len;
		pack(sb, !strcmp(type, "SEMVER") ? OSV_PACK_SEMVER : OSV_PACK_ECOSYSTEM, "");
		bool ok = true, introduced = false;
		size_t k;
		json_t *ev;
		json_array_foreach(events, k, ev) {
			static const char *const kinds[] = {"introduced", "fixed", "last_affected", "limit"};
			static const char tags[] = {'i', 'f', 'a', 'l'};
			const char *kind = NULL, *val = NULL;
			char tag = 0;
			if (json_is_object(ev) && json_object_size(ev) == 1) {
				for (size_t q = 0; q < 4; q++) {
					json_t *v = json_object_get(ev, kinds[q]);
					if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < 256) {
						kind = kinds[q];
						tag = tags[q];
						val = json_string_value(v);
					}
				}
			}
			if (!kind) {
				ok = false;
				break;
			}
			if (!strcmp(kind, "introduced"))
				introduced = true;
			pack(sb, tag, val);
		}
		if (!ok || !introduced) {
			warn(r, a, "affected[%zu].ranges[%zu]: %s; ignored", ai, i,
			     ok ? "no `introduced` event" : "an event is not one of introduced/fixed/last_affected/limit "
							  "with a version");
			sb->len = mark;
			if (sb->buf)
				sb->buf[mark] = '\0';
			continue;
		}
		n++;
	}
	return n;
}

static enum sc_status parse_affected(json_t *root, struct osv_record *r, struct sc_arena *a, struct sc_strbuf *sb)
{
	json_t *aff = json_object_get(root, "affected");
	if (!aff || json_is_null(aff))
		return SC_OK;
	if (!json_is_array(aff)) {
		warn(r, a, "affected is not an array; ignored");
		return SC_OK;
	}
	size_t n = json_array_size(aff);
	if (n > OSV_MAX_AFFECTED) {
		warn(r, a, "more than %u affected entries; the rest ignored", OSV_MAX_AFFECTED);
		n = OSV_MAX_AFFECTED;
	}
	r->affected = sc_arena_alloc(a, (n ? n : 1) * sizeof(*r->affected));
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(aff, i);
		json_t *pkg = json_object_get(e, "package");
		const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
		const char *name = json_string_value(json_object_get(pkg, "name"));
		if (!eco || !name || !*name) {
			warn(r, a, "affected[%zu] has no package ecosystem and name; ignored", i);
			continue;
		}
		char base[64];
		const char *b = sc_vulndb_ecosystem_base(eco, base, sizeof(base));
		if (!b) {
			warn(r, a, "affected[%zu]: unknown ecosystem `%.60s`; ignored", i, eco);
			continue;
		}
		struct osv_affected *o = &r->affected[r->n_affected];
		memset(o, 0, sizeof(*o));
		o->ecosystem = sc_arena_strdup(a, eco);
		o->name = sc_arena_strdup(a, name);
		o->norm_name = sc_db_normalize_name(a, eco, name);
		o->purl = sc_arena_strdup(a, json_string_value(json_object_get(pkg, "purl")));
		size_t nranges = usable_ranges(json_object_get(e, "ranges"), r, a, i, sb);
		o->ranges = take_packed(sb, a, &o->ranges_len);
		json_t *vers = json_object_get(e, "versions");
		size_t nvers = 0;
		if (json_is_array(vers) && json_array_size(vers) > 0) {
			if (json_array_size(vers) > OSV_MAX_VERSIONS) {
				warn(r, a, "affected[%zu].versions has more than %u entries; ignored", i, OSV_MAX_VERSIONS);
			} else {
				size_t k, len;
				json_t *v;
				json_array_foreach(vers, k, v) {
					if (!json_is_string(v))
						continue;
					nvers++;
					pack(sb, 0, json_string_value(v));
				}
				const char *packed = take_packed(sb, a, &len);
				if (nvers) {
					o->versions = packed;
					o->versions_len = len;
				}
			}
		} else if (vers && !json_is_array(vers)) {
			warn(r, a, "affected[%zu].versions is not an array; ignored", i);
		}
		if (!nranges && !nvers) {
			warn(r, a, "affected[%zu] (%s %s) has no usable ranges or versions; ignored", i, eco, name);
			continue;
		}
		if (!strcmp(b, "Debian"))
			debian_urgency(e, o, a);
		const char *vec = NULL, *type = NULL;
		double sc;
		int ver;
		enum sc_severity rating;
		char where[48];
		snprintf(where, sizeof(where), "affected[%zu].", i);
		if (best_vector(json_object_get(e, "severity"), r, a, where, &vec, &sc, &ver, &type, &rating))
			o->vector = vec;
		else if (rating != SC_SEV_UNKNOWN && o->rating == SC_SEV_UNKNOWN)
			o->rating = rating;
		r->n_affected++;
	}
	return SC_OK;
}

static void add_ids(json_t *arr, const char *what, struct sc_ptrvec *ids, struct osv_record *r, struct sc_arena *a,
		    const char *self)
{
	if (!arr || json_is_null(arr))
		return;
	if (!json_is_array(arr)) {
		warn(r, a, "%s is not an array; ignored", what);
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		if (!s || !*s || strlen(s) > 200 || !strcmp(s, self))
			continue;
		bool dup = false;
		for (size_t k = 0; k < ids->len && !dup; k++)
			dup = !strcmp(ids->items[k], s);
		if (dup)
			continue;
		if (ids->len >= OSV_MAX_IDS) {
			warn(r, a, "more than %u aliases; the rest ignored", OSV_MAX_IDS);
			return;
		}
		sc_ptrvec_push(ids, sc_arena_strdup(a, s));
	}
}

enum sc_status sc_osv_parse(const char *origin, const char *data, size_t len, struct sc_arena *a,
			    struct osv_record *r, struct sc_error *err)
{
	memset(r, 0, sizeof(*r));
	if (len > OSV_MAX_RECORD)
		return sc_error_set(err, SC_ELIMIT, origin, 0, 0, "OSV record is larger than %u bytes", OSV_MAX_RECORD);
	json_error_t je;
	sc_json_scope_begin(); /* the DOM lives only in this function: see sc_json_alloc.h */
	json_t *root = json_loadb(data, len, 0, &je);
	if (!root) {
		sc_json_scope_end();
		return sc_error_set(err, SC_EINPUT, origin, je.line > 0 ? (unsigned)je.line : 0,
				    je.column > 0 ? (unsigned)je.column : 0, "invalid JSON: %s", je.text);
	}
	enum sc_status st = SC_OK;
	struct sc_ptrvec ids = {0};
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 2 * (size_t)OSV_MAX_RECORD);
	if (!json_is_object(root)) {
		st = sc_error_set(err, SC_EINPUT, origin, 0, 0, "an OSV record must be a JSON object");
		goto out;
	}
	bool bad = false;
	r->id = str_member(root, "id", a, &bad);
	if (!r->id || !*r->id || bad || strlen(r->id) > 200) {
		st = sc_error_set(err, SC_EINPUT, origin, 0, 0, "OSV record without a valid `id`");
		goto out;
	}
	r->modified = str_member(root, "modified", a, &bad);
	if (!r->modified || bad) {
		st = sc_error_set(err, SC_EINPUT, origin, 0, 0, "%s: required field `modified` is missing", r->id);
		goto out;
	}
	r->summary = str_member(root, "summary", a, &bad);
	r->details = str_member(root, "details", a, &bad);
	r->published = str_member(root, "published", a, &bad);
	r->withdrawn = str_member(root, "withdrawn", a, &bad);
	if (bad)
		warn(r, a, "a text field (summary, details, published, withdrawn) is not a string; ignored");

	add_ids(json_object_get(root, "aliases"), "aliases", &ids, r, a, r->id);
	add_ids(json_object_get(root, "upstream"), "upstream", &ids, r, a, r->id);
	r->n_ids = ids.len;
	r->ids = sc_arena_alloc(a, (ids.len + 1) * sizeof(char *));
	sc_strbuf_putc(&sb, '[');
	for (size_t i = 0; i < ids.len; i++) {
		r->ids[i] = ids.items[i];
		if (i)
			sc_strbuf_putc(&sb, ',');
		jstr(&sb, ids.items[i]);
	}
	sc_strbuf_putc(&sb, ']');
	r->aliases_json = take(&sb, a);

	/* references: the ADVISORY one is the main URL, else the first */
	json_t *refs = json_object_get(root, "references");
	if (json_is_array(refs)) {
		sc_strbuf_putc(&sb, '[');
		size_t nrefs = 0;
		bool have_advisory = false;
		size_t i;
		json_t *ref;
		json_array_foreach(refs, i, ref) {
			const char *t = json_string_value(json_object_get(ref, "type"));
			const char *u = json_string_value(json_object_get(ref, "url"));
			if (!u)
				continue;
			bool adv = t && !strcmp(t, "ADVISORY");
			if (!r->url || (adv && !have_advisory)) {
				r->url = sc_arena_strdup(a, u);
				have_advisory = adv;
			}
			sc_strbuf_puts(&sb, nrefs++ ? ",{\"type\":" : "{\"type\":");
			jstr(&sb, t ? t : "WEB");
			sc_strbuf_puts(&sb, ",\"url\":");
			jstr(&sb, u);
			sc_strbuf_putc(&sb, '}');
		}
		sc_strbuf_putc(&sb, ']');
		r->refs_json = take(&sb, a);
	}

	const char *vec = NULL, *type = NULL;
	double sc = 0;
	int ver = 0;
	enum sc_severity rating;
	if (best_vector(json_object_get(root, "severity"), r, a, "", &vec, &sc, &ver, &type, &rating)) {
		r->cvss_vector = vec;
		r->score = sc;
		r->severity = sc_cvss_severity(sc, ver);
		r->severity_source = type;
	} else {
		const char *w = json_string_value(json_object_get(json_object_get(root, "database_specific"), "severity"));
		enum sc_severity s;
		if (w && sc_vulndb_rating_word(w, &s)) {
			r->severity = s;
			r->severity_source = "database_specific";
		} else if (rating != SC_SEV_UNKNOWN) {
			r->severity = rating;
			r->severity_source = "Ubuntu";
		}
	}
	st = parse_affected(root, r, a, &sb);
	sc_sha256_hex(data, len, r->content_hash);
out:
	sc_strbuf_free(&sb);
	sc_ptrvec_free(&ids);
	json_decref(root);
	sc_json_scope_end();
	return st;
}
