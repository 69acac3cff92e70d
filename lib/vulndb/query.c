/* query.c - the matchers' query: the index narrows to (ecosystem, normalised name), the ecosystem's
 * version scheme (lib/version) decides each OSV range exactly; matches of one vulnerability known
 * under several ids (aliases, upstream) are merged into one with every id. */
#include "vulndb.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_version.h"

/* One matching affected entry before merging. */
struct hit {
	const char *id;
	const char **ids; /* id + aliases */
	size_t n_ids;
	const char *summary, *url, *vector, *sev_source, *note, *range_desc;
	enum sc_severity severity;
	double score;
	const char **fixed;
	size_t n_fixed;
	int group;
};

static const char *col(sqlite3_stmt *s, int i, struct sc_arena *a)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? sc_arena_strdup(a, (const char *)t) : NULL;
}

/* Unpacks stored ranges (vulndb.h) into sc_osv_range structs in arena a; the event versions point
 * into the blob, which stays valid until the next step of the statement. A blob that does not end
 * in a NUL (a damaged file) holds no ranges; unknown tags and events before any range are skipped. */
static struct sc_osv_range *unpack_ranges(const char *p, size_t len, size_t *n, struct sc_arena *a)
{
	*n = 0;
	if (!p || !len || p[len - 1] != '\0')
		return NULL;
	size_t nr = 0, ne = 0;
	for (const char *q = p, *end = p + len; q < end; q += strlen(q) + 1) {
		if (*q == OSV_PACK_ECOSYSTEM || *q == OSV_PACK_SEMVER)
			nr++;
		else
			ne++;
	}
	if (!nr)
		return NULL;
	struct sc_osv_range *r = sc_arena_alloc(a, nr * sizeof(*r));
	struct sc_osv_event *e = sc_arena_alloc(a, (ne ? ne : 1) * sizeof(*e));
	struct sc_osv_range *cur = NULL;
	for (const char *q = p, *end = p + len; q < end; q += strlen(q) + 1) {
		enum sc_osv_event_kind kind;
		switch (*q) {
		case OSV_PACK_ECOSYSTEM:
		case OSV_PACK_SEMVER:
			cur = &r[(*n)++];
			cur->type = *q == OSV_PACK_SEMVER ? SC_OSV_SEMVER : SC_OSV_ECOSYSTEM;
			cur->events = e;
			cur->n_events = 0;
			continue;
		case 'i': kind = SC_OSV_INTRODUCED; break;
		case 'f': kind = SC_OSV_FIXED; break;
		case 'a': kind = SC_OSV_LAST_AFFECTED; break;
		case 'l': kind = SC_OSV_LIMIT; break;
		default: continue;
		}
		if (!cur)
			continue;
		e->kind = kind;
		e->version = q + 1;
		e++;
		cur->n_events++;
	}
	return r;
}

/* Is version one of the packed explicit versions: the same string, or equal in the scheme's order
 * when the listed version is valid in it (as sc_osv_affected decides its versions list)? */
static bool listed(const struct sc_scheme *s, const char *version, size_t vlen, const char *p, size_t len)
{
	if (!p || !len || p[len - 1] != '\0')
		return false;
	for (const char *q = p, *end = p + len; q < end;) {
		size_t ql = strlen(q);
		if ((ql == vlen && !memcmp(q, version, vlen)) ||
		    (s->compare(version, vlen, q, ql) == 0 && s->validate(q, ql, NULL) == SC_OK))
			return true;
		q += ql + 1;
	}
	return false;
}

static const char **parse_strings(const char *json, size_t *n, struct sc_arena *a)
{
	*n = 0;
	json_t *root = json ? json_loads(json, 0, NULL) : NULL;
	if (!json_is_array(root)) {
		json_decref(root);
		return NULL;
	}
	const char **out = sc_arena_alloc(a, (json_array_size(root) + 1) * sizeof(char *));
	size_t i;
	json_t *v;
	json_array_foreach(root, i, v)
		if (json_is_string(v))
			out[(*n)++] = sc_arena_strdup(a, json_string_value(v));
	json_decref(root);
	return out;
}

static int cmp_version(const void *a, const void *b, void *scheme)
{
	const struct sc_scheme *s = scheme;
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	return s->compare(x, strlen(x), y, strlen(y));
}

static const char *op(enum sc_osv_event_kind k)
{
	switch (k) {
	case SC_OSV_INTRODUCED: return ">=";
	case SC_OSV_FIXED: return "<";
	case SC_OSV_LAST_AFFECTED: return "<=";
	default: return "<";
	}
}

/* Describes the interval of range r that holds version: introduced..next end event in version
 * order. Falls back to the whole range. Fixed versions: every `fixed` event of the range. */
static void describe(const struct sc_scheme *s, const char *version, const struct sc_osv_range *r,
		     struct sc_arena *a, struct hit *h)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 4096);
	/* try each introduced event with the nearest end event after it */
	for (size_t i = 0; i < r->n_events && !sb.len; i++) {
		if (r->events[i].kind != SC_OSV_INTRODUCED)
			continue;
		const char *lo = r->events[i].version;
		const struct sc_osv_event *end = NULL;
		for (size_t k = 0; k < r->n_events; k++) {
			const struct sc_osv_event *e = &r->events[k];
			if (e->kind == SC_OSV_INTRODUCED)
				continue;
			bool after = !strcmp(lo, "0") || s->compare(e->version, strlen(e->version), lo, strlen(lo)) > 0;
			if (after && (!end || s->compare(e->version, strlen(e->version), end->version,
							 strlen(end->version)) < 0))
				end = e;
		}
		struct sc_osv_event ev[2] = {r->events[i]};
		size_t ne = 1;
		if (end)
			ev[ne++] = *end;
		struct sc_osv_range one = {r->type, ev, ne};
		bool aff = false;
		int m;
		struct sc_error err = {0};
		if (sc_osv_affected(s, version, &one, 1, NULL, 0, &aff, &m, NULL, &err) == SC_OK && aff) {
			sc_strbuf_printf(&sb, ">=%s", lo);
			if (end)
				sc_strbuf_printf(&sb, " %s%s", op(end->kind), end->version);
		}
		sc_error_clear(&err);
	}
	if (!sb.len) {
		for (size_t i = 0; i < r->n_events; i++)
			sc_strbuf_printf(&sb, "%s%s%s", i ? " " : "", op(r->events[i].kind), r->events[i].version);
	}
	h->range_desc = sc_arena_strdup(a, sc_strbuf_str(&sb));
	sc_strbuf_free(&sb);
	h->fixed = sc_arena_alloc(a, (r->n_events + 1) * sizeof(char *));
	for (size_t i = 0; i < r->n_events; i++) {
		if (r->events[i].kind != SC_OSV_FIXED)
			continue;
		bool dup = false;
		for (size_t k = 0; k < h->n_fixed && !dup; k++)
			dup = !strcmp(h->fixed[k], r->events[i].version);
		if (!dup)
			h->fixed[h->n_fixed++] = sc_arena_strdup(a, r->events[i].version);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int find(int *parent, int i)
{
	while (parent[i] != i)
		i = parent[i] = parent[parent[i]];
	return i;
}

static int cmp_match(const void *a, const void *b)
{
	const struct sc_vuln_match *x = a, *y = b;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Representative id of a merged vulnerability: a CVE id when one is known, else the smallest id. */
static bool better_id(const char *cand, const char *cur)
{
	bool c1 = !strncmp(cand, "CVE-", 4), c2 = !strncmp(cur, "CVE-", 4);
	if (c1 != c2)
		return c1;
	return strcmp(cand, cur) < 0;
}

enum sc_status sc_db_query(struct sc_db *db, const char *ecosystem, const char *name, const char *version,
			   struct sc_arena *a, struct sc_vuln_match **out, size_t *n, struct sc_error *err)
{
	*out = NULL;
	*n = 0;
	if (!ecosystem || !name || !version || !*version)
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "a query needs an ecosystem, a name and a version");
	const struct sc_scheme *s = sc_scheme_find(ecosystem);
	if (!s)
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "no version scheme for ecosystem `%s`", ecosystem);
	struct sc_arena *tmp = sc_arena_new();
	char base[64];
	const char *eb = sc_vulndb_ecosystem_base(ecosystem, base, sizeof(base));
	if (eb && !strcmp(eb, "Go") && version[0] != 'v')
		version = sc_arena_printf(tmp, "v%s", version); /* Go module versions: OSV data drops the `v` */
	size_t vlen = strlen(version);
	if (s->validate(version, vlen, err) != SC_OK) {
		sc_arena_free(tmp);
		return SC_EINPUT;
	}
	const char *norm = sc_db_normalize_name(tmp, ecosystem, name);
	enum sc_status st = SC_OK;
	struct sc_ptrvec hits = {0};
	sqlite3_stmt *q = db->q_pkg;
	sqlite3_bind_text(q, 1, ecosystem, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, norm, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		/* The ranges first: the matched range names the fixed versions. The versions list
		 * decides alone when no range holds the version, or when a range's event versions
		 * are not valid in the scheme (such a range cannot decide). */
		size_t nr = 0;
		struct sc_osv_range *ranges =
			unpack_ranges(sqlite3_column_blob(q, 9), (size_t)sqlite3_column_bytes(q, 9), &nr, tmp);
		bool affected = false;
		int matched = -1;
		struct sc_error verr = {0};
		(void)sc_osv_affected(s, version, ranges, nr, NULL, 0, &affected, &matched, NULL, &verr);
		sc_error_clear(&verr);
		if (!affected) {
			matched = -1;
			affected = listed(s, version, vlen, sqlite3_column_blob(q, 10), (size_t)sqlite3_column_bytes(q, 10));
		}
		if (!affected)
			continue;
		struct hit *h = sc_arena_alloc(tmp, sizeof(*h));
		h->id = col(q, 1, a);
		h->summary = col(q, 2, a);
		h->url = col(q, 3, a);
		size_t nal = 0;
		const char **al = parse_strings((const char *)sqlite3_column_text(q, 4), &nal, tmp);
		h->ids = sc_arena_alloc(tmp, (nal + 2) * sizeof(char *));
		h->ids[h->n_ids++] = h->id;
		for (size_t i = 0; i < nal; i++)
			h->ids[h->n_ids++] = sc_arena_strdup(a, al[i]);
		h->severity = (enum sc_severity)sqlite3_column_int(q, 5);
		h->score = sqlite3_column_double(q, 6);
		h->vector = col(q, 7, a);
		h->sev_source = col(q, 8, a);
		h->note = col(q, 11, a);
		const char *aff_vec = (const char *)sqlite3_column_text(q, 13);
		double sc;
		int ver;
		if (aff_vec && sc_cvss_score(aff_vec, &sc, &ver)) {
			/* a vector given for this package wins over the advisory's */
			h->vector = sc_arena_strdup(a, aff_vec);
			h->score = sc;
			h->severity = sc_cvss_severity(sc, ver);
			h->sev_source = "affected";
		} else if (h->severity == SC_SEV_UNKNOWN && sqlite3_column_int(q, 12) > 0) {
			h->severity = (enum sc_severity)sqlite3_column_int(q, 12);
			h->sev_source = "ecosystem";
		}
		if (matched >= 0 && (size_t)matched < nr) {
			describe(s, version, &ranges[matched], a, h);
		} else {
			h->range_desc = sc_arena_printf(a, "version %s listed as affected", version);
			h->fixed = NULL;
		}
		sc_ptrvec_push(&hits, h);
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_DONE) {
		st = sc_vulndb_sqlerr(db->h, db->path, "query", err);
		goto out;
	}
	if (!hits.len)
		goto out;

	/* merge hits sharing any id */
	int *parent = sc_arena_alloc(tmp, hits.len * sizeof(int));
	struct sc_map *owner = sc_map_new();
	for (size_t i = 0; i < hits.len; i++) {
		parent[i] = (int)i;
		struct hit *h = hits.items[i];
		for (size_t k = 0; k < h->n_ids; k++) {
			void *prev = sc_map_get(owner, h->ids[k]);
			if (prev) {
				int r1 = find(parent, (int)(intptr_t)prev - 1), r2 = find(parent, (int)i);
				if (r1 != r2)
					parent[r2] = r1;
			} else {
				sc_map_put(owner, h->ids[k], (void *)(intptr_t)(i + 1));
			}
		}
	}
	sc_map_free(owner);
	struct sc_vuln_match *m = sc_arena_alloc(a, hits.len * sizeof(*m));
	size_t nm = 0;
	for (size_t root = 0; root < hits.len; root++) {
		if (find(parent, (int)root) != (int)root)
			continue;
		struct sc_vuln_match *v = &m[nm++];
		struct sc_ptrvec ids = {0}, fixed = {0}, notes = {0}, ranges = {0};
		const char *best = NULL;
		for (size_t i = 0; i < hits.len; i++) {
			if (find(parent, (int)i) != (int)root)
				continue;
			struct hit *h = hits.items[i];
			for (size_t k = 0; k < h->n_ids; k++) {
				bool dup = false;
				for (size_t q2 = 0; q2 < ids.len && !dup; q2++)
					dup = !strcmp(ids.items[q2], h->ids[k]);
				if (!dup)
					sc_ptrvec_push(&ids, (void *)h->ids[k]);
				if (!best || better_id(h->ids[k], best))
					best = h->ids[k];
			}
			for (size_t k = 0; k < h->n_fixed; k++) {
				bool dup = false;
				for (size_t q2 = 0; q2 < fixed.len && !dup; q2++)
					dup = !strcmp(fixed.items[q2], h->fixed[k]);
				if (!dup)
					sc_ptrvec_push(&fixed, (void *)h->fixed[k]);
			}
			if (!v->summary || (!v->summary[0] && h->summary))
				v->summary = h->summary;
			if (!v->url)
				v->url = h->url;
			if (h->severity > v->severity || (h->severity == v->severity && h->score > v->score)) {
				v->severity = h->severity;
				v->score = h->score;
				v->cvss_vector = h->vector;
				v->severity_source = h->sev_source;
			}
			if (h->note)
				sc_ptrvec_push(&notes, (void *)h->note);
			sc_ptrvec_push(&ranges, (void *)h->range_desc);
		}
		v->id = best;
		const char **aliases = sc_arena_alloc(a, (ids.len + 1) * sizeof(char *));
		size_t na = 0;
		for (size_t k = 0; k < ids.len; k++)
			if (strcmp(ids.items[k], best))
				aliases[na++] = ids.items[k];
		qsort(aliases, na, sizeof(char *), cmp_str);
		v->aliases = aliases;
		if (fixed.len > 1)
			qsort_r(fixed.items, fixed.len, sizeof(void *), cmp_version, (void *)s);
		const char **fx = sc_arena_alloc(a, (fixed.len + 1) * sizeof(char *));
		for (size_t k = 0; k < fixed.len; k++)
			fx[k] = fixed.items[k];
		v->fixed = fx;
		v->range_desc = ranges.len ? ranges.items[0] : NULL;
		v->ecosystem_note = notes.len ? notes.items[0] : NULL;
		sc_ptrvec_free(&ids);
		sc_ptrvec_free(&fixed);
		sc_ptrvec_free(&notes);
		sc_ptrvec_free(&ranges);
	}
	qsort(m, nm, sizeof(*m), cmp_match);
	*out = m;
	*n = nm;
out:
	sc_ptrvec_free(&hits);
	sc_arena_free(tmp);
	return st;
}
