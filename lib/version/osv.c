/* osv.c - OSV range evaluation (osv-schema "Evaluation": events sorted with the ecosystem's scheme,
 * introduced / fixed / last_affected / limit, `introduced: "0"`, several pairs per range, the
 * explicit `versions` list; GIT ranges are skipped) and the JSON form of a range for the CLI. */
#include "version_impl.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define OSV_MAX_EVENTS 4096

struct sorted {
	const struct sc_osv_event *e;
	const struct sc_scheme *s;
};

static bool is_zero(const struct sc_osv_event *e)
{
	return e->kind == SC_OSV_INTRODUCED && !strcmp(e->version, "0");
}

static bool is_star(const struct sc_osv_event *e)
{
	return e->kind == SC_OSV_LIMIT && !strcmp(e->version, "*");
}

/* SEMVER ranges: OSV allows no `v`, but Go-derived data sometimes has one. */
static const char *semver_text(const struct sc_scheme *s, const char *v)
{
	return (s == &sc_scheme_semver && v[0] == 'v') ? v + 1 : v;
}

static int vcmp(const struct sc_scheme *s, const char *a, const char *b)
{
	a = semver_text(s, a);
	b = semver_text(s, b);
	return s->compare(a, strlen(a), b, strlen(b));
}

/* Ascending by version; "0" first, "*" last; at equal versions the input order is kept. */
static void sort_events(struct sorted *ev, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct sorted x = ev[i];
		size_t j = i;
		while (j > 0) {
			const struct sc_osv_event *a = ev[j - 1].e, *b = x.e;
			int c;
			if (is_zero(a) || is_star(b))
				c = is_zero(b) && is_zero(a) ? 0 : (is_star(a) && is_star(b) ? 0 : -1);
			else if (is_zero(b) || is_star(a))
				c = 1;
			else
				c = vcmp(x.s, a->version, b->version);
			if (c <= 0)
				break;
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = x;
	}
}

static enum sc_status check_event(const struct sc_scheme *s, const struct sc_osv_event *e, size_t ri,
				  struct sc_error *err)
{
	if (!e->version)
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "OSV range %zu: event without a version", ri);
	if (is_zero(e) || is_star(e))
		return SC_OK;
	const char *v = semver_text(s, e->version);
	enum sc_status st = s->validate(v, strlen(v), err);
	if (st != SC_OK)
		return sc_error_set(err, st, NULL, 0, 0, "OSV range %zu", ri);
	return SC_OK;
}

/* One range: the state after the last event at or below the version. */
static enum sc_status range_includes(const struct sc_scheme *s, const char *version, const struct sc_osv_range *r,
				     size_t ri, bool *out, struct sc_error *err)
{
	*out = false;
	if (r->n_events > OSV_MAX_EVENTS)
		return sc_error_set(err, SC_ELIMIT, NULL, 0, 0, "OSV range %zu has more than %d events", ri,
				    OSV_MAX_EVENTS);
	struct sorted *ev = sc_xcalloc(r->n_events ? r->n_events : 1, sizeof(*ev));
	enum sc_status st = SC_OK;
	for (size_t i = 0; i < r->n_events; i++) {
		if ((st = check_event(s, &r->events[i], ri, err)) != SC_OK)
			goto out;
		ev[i].e = &r->events[i];
		ev[i].s = s;
	}
	sort_events(ev, r->n_events);
	/* limit: the range covers nothing at or above the smallest limit */
	for (size_t i = 0; i < r->n_events; i++)
		if (ev[i].e->kind == SC_OSV_LIMIT && !is_star(ev[i].e) && vcmp(s, version, ev[i].e->version) >= 0)
			goto out;
	bool affected = false;
	for (size_t i = 0; i < r->n_events; i++) {
		const struct sc_osv_event *e = ev[i].e;
		switch (e->kind) {
		case SC_OSV_INTRODUCED:
			if (is_zero(e) || vcmp(s, version, e->version) >= 0)
				affected = true;
			break;
		case SC_OSV_FIXED:
			if (vcmp(s, version, e->version) >= 0)
				affected = false;
			break;
		case SC_OSV_LAST_AFFECTED:
			if (vcmp(s, version, e->version) > 0)
				affected = false;
			break;
		case SC_OSV_LIMIT:
			break;
		}
	}
	*out = affected;
out:
	free(ev);
	return st;
}

enum sc_status sc_osv_affected(const struct sc_scheme *s, const char *version, const struct sc_osv_range *ranges,
			       size_t n_ranges, const char *const *versions, size_t n_versions, bool *affected,
			       int *matched, const char **note, struct sc_error *err)
{
	*affected = false;
	if (matched)
		*matched = -1;
	if (note)
		*note = NULL;
	enum sc_status st = s->validate(version, strlen(version), err);
	if (st != SC_OK)
		return st;
	for (size_t i = 0; i < n_ranges && note; i++)
		if (ranges[i].type == SC_OSV_GIT)
			*note = "GIT ranges are not evaluated (they need the repository's commit graph)";
	for (size_t i = 0; i < n_versions; i++) {
		if (!versions[i])
			continue;
		bool eq = !strcmp(versions[i], version);
		if (!eq && s->validate(versions[i], strlen(versions[i]), NULL) == SC_OK)
			eq = s->compare(version, strlen(version), versions[i], strlen(versions[i])) == 0;
		if (eq) {
			*affected = true;
			return SC_OK;
		}
	}
	const struct sc_scheme *sem = &sc_scheme_semver;
	for (size_t i = 0; i < n_ranges; i++) {
		const struct sc_osv_range *r = &ranges[i];
		if (r->type == SC_OSV_GIT)
			continue;
		const struct sc_scheme *rs = r->type == SC_OSV_SEMVER ? sem : s;
		const char *v = semver_text(rs, version);
		if (rs != s && (st = rs->validate(v, strlen(v), err)) != SC_OK)
			return st;
		bool in;
		if ((st = range_includes(rs, v, r, i, &in, err)) != SC_OK)
			return st;
		if (in) {
			*affected = true;
			if (matched)
				*matched = (int)i;
			return SC_OK;
		}
	}
	return SC_OK;
}

/* ---- JSON ---- */

void sc_osv_spec_free(struct sc_osv_spec *spec)
{
	if (!spec)
		return;
	sc_arena_free(spec->arena);
	free(spec);
}

static enum sc_status bad(struct sc_error *err, const char *what)
{
	return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "OSV range JSON: %s", what);
}

static enum sc_status parse_range(struct sc_osv_spec *sp, json_t *o, struct sc_osv_range *r, struct sc_error *err)
{
	if (!json_is_object(o))
		return bad(err, "a range must be an object");
	const char *type = json_string_value(json_object_get(o, "type"));
	if (!type)
		return bad(err, "range without a \"type\"");
	if (!strcmp(type, "ECOSYSTEM"))
		r->type = SC_OSV_ECOSYSTEM;
	else if (!strcmp(type, "SEMVER"))
		r->type = SC_OSV_SEMVER;
	else if (!strcmp(type, "GIT"))
		r->type = SC_OSV_GIT;
	else
		return bad(err, "range type must be ECOSYSTEM, SEMVER or GIT");
	json_t *events = json_object_get(o, "events");
	if (!json_is_array(events))
		return bad(err, "range without an \"events\" array");
	size_t n = json_array_size(events);
	if (n > OSV_MAX_EVENTS)
		return sc_error_set(err, SC_ELIMIT, NULL, 0, 0, "OSV range JSON: more than %d events", OSV_MAX_EVENTS);
	struct sc_osv_event *ev = sc_arena_alloc(sp->arena, (n ? n : 1) * sizeof(*ev));
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(events, i);
		static const struct {
			const char *key;
			enum sc_osv_event_kind kind;
		} keys[] = {{"introduced", SC_OSV_INTRODUCED},
			    {"fixed", SC_OSV_FIXED},
			    {"last_affected", SC_OSV_LAST_AFFECTED},
			    {"limit", SC_OSV_LIMIT}};
		if (!json_is_object(e) || json_object_size(e) != 1)
			return bad(err, "each event must be an object with exactly one key");
		bool found = false;
		for (size_t k = 0; k < 4; k++) {
			const char *v = json_string_value(json_object_get(e, keys[k].key));
			if (v) {
				ev[i].kind = keys[k].kind;
				ev[i].version = sc_arena_strdup(sp->arena, v);
				found = true;
			}
		}
		if (!found)
			return bad(err, "event key must be introduced, fixed, last_affected or limit with a string");
	}
	r->events = ev;
	r->n_events = n;
	return SC_OK;
}

static enum sc_status parse_ranges(struct sc_osv_spec *sp, json_t *arr, struct sc_error *err)
{
	size_t n = json_array_size(arr);
	if (n > OSV_MAX_EVENTS)
		return sc_error_set(err, SC_ELIMIT, NULL, 0, 0, "OSV range JSON: more than %d ranges", OSV_MAX_EVENTS);
	sp->ranges = sc_arena_alloc(sp->arena, (n ? n : 1) * sizeof(*sp->ranges));
	sp->n_ranges = n;
	for (size_t i = 0; i < n; i++) {
		enum sc_status st = parse_range(sp, json_array_get(arr, i), &sp->ranges[i], err);
		if (st != SC_OK)
			return st;
	}
	return SC_OK;
}

enum sc_status sc_osv_spec_parse(const char *text, size_t len, struct sc_osv_spec **out, struct sc_error *err)
{
	*out = NULL;
	if (len > (size_t)16 << 20)
		return sc_error_set(err, SC_ELIMIT, NULL, 0, 0, "OSV range JSON larger than 16 MiB");
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return sc_error_set(err, SC_EINPUT, NULL, (unsigned)je.line, (unsigned)je.column, "OSV range JSON: %s",
				    je.text);
	struct sc_osv_spec *sp = sc_xcalloc(1, sizeof(*sp));
	sp->arena = sc_arena_new();
	enum sc_status st = SC_OK;
	if (json_is_array(root)) {
		st = parse_ranges(sp, root, err);
	} else if (json_is_object(root) && json_object_get(root, "events")) {
		sp->ranges = sc_arena_alloc(sp->arena, sizeof(*sp->ranges));
		sp->n_ranges = 1;
		st = parse_range(sp, root, &sp->ranges[0], err);
	} else if (json_is_object(root)) {
		json_t *pkg = json_object_get(root, "package");
		const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
		if (eco)
			sp->ecosystem = sc_arena_strdup(sp->arena, eco);
		json_t *ranges = json_object_get(root, "ranges"), *versions = json_object_get(root, "versions");
		if (!ranges && !versions) {
			st = bad(err, "expected a range, an array of ranges or an affected entry");
			goto out;
		}
		if (ranges && !json_is_array(ranges)) {
			st = bad(err, "\"ranges\" must be an array");
			goto out;
		}
		if (ranges && (st = parse_ranges(sp, ranges, err)) != SC_OK)
			goto out;
		if (versions) {
			if (!json_is_array(versions)) {
				st = bad(err, "\"versions\" must be an array of strings");
				goto out;
			}
			size_t n = json_array_size(versions);
			sp->versions = sc_arena_alloc(sp->arena, (n ? n : 1) * sizeof(char *));
			for (size_t i = 0; i < n; i++) {
				const char *v = json_string_value(json_array_get(versions, i));
				if (!v) {
					st = bad(err, "\"versions\" must be an array of strings");
					goto out;
				}
				sp->versions[sp->n_versions++] = sc_arena_strdup(sp->arena, v);
			}
		}
	} else {
		st = bad(err, "expected a range, an array of ranges or an affected entry");
	}
out:
	json_decref(root);
	if (st != SC_OK) {
		sc_osv_spec_free(sp);
		return st;
	}
	*out = sp;
	return SC_OK;
}

enum sc_status sc_version_in_range(const struct sc_scheme *s, const char *version, const char *range,
				   bool include_prerelease, bool *out, const char **note, struct sc_error *err)
{
	*out = false;
	if (note)
		*note = NULL;
	const char *p = range;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != '{' && *p != '[')
		return sc_version_satisfies(s, version, range, include_prerelease, out, err);
	struct sc_osv_spec *sp = NULL;
	enum sc_status st = sc_osv_spec_parse(range, strlen(range), &sp, err);
	if (st != SC_OK)
		return st;
	int matched;
	st = sc_osv_affected(s, version, sp->ranges, sp->n_ranges, sp->versions, sp->n_versions, out, &matched,
			     note, err);
	sc_osv_spec_free(sp);
	return st;
}
