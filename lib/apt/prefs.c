/* prefs.c - apt preferences (pins) and apt's candidate-version policy for dist-upgrade
 * (apt_preferences(5): default priorities 500 / 100 / 1, the installed version at 100, the first
 * matching pin wins, no downgrade below priority 1000). */
#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_deb822.h"

#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum pin_kind { PIN_RELEASE, PIN_VERSION, PIN_ORIGIN };

/* One "key=value" of a release pin, or the single value of a version / origin pin. */
struct pin_cond {
	char key; /* a n v o l c b; 0 for version/origin pins */
	char *value;
	bool is_regex;
	regex_t re;
};

struct pin {
	char **names; /* NULL = general pin (Package: *) */
	size_t n_names;
	enum pin_kind kind;
	struct pin_cond *conds;
	size_t n_conds;
	int priority;
};

struct sc_apt_prefs {
	struct pin *pins;
	size_t n, cap;
};

struct sc_apt_prefs *sc_apt_prefs_new(void)
{
	return sc_xcalloc(1, sizeof(struct sc_apt_prefs));
}

static void cond_free(struct pin_cond *c)
{
	if (c->is_regex)
		regfree(&c->re);
	free(c->value);
}

static void pin_clear(struct pin *pin)
{
	for (size_t k = 0; k < pin->n_names; k++)
		free(pin->names[k]);
	free(pin->names);
	for (size_t k = 0; k < pin->n_conds; k++)
		cond_free(&pin->conds[k]);
	free(pin->conds);
	memset(pin, 0, sizeof(*pin));
}

void sc_apt_prefs_free(struct sc_apt_prefs *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		pin_clear(&p->pins[i]);
	free(p->pins);
	free(p);
}

/* A value as written: "/regex/", a glob, or a plain string (quotes removed). */
static bool cond_set(struct pin_cond *c, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n >= 2 && v[0] == '/' && v[n - 1] == '/') {
		c->value = sc_xstrndup(v + 1, n - 2);
		if (regcomp(&c->re, c->value, REG_EXTENDED | REG_NOSUB) != 0)
			return false;
		c->is_regex = true;
		return true;
	}
	c->value = sc_xstrndup(v, n);
	return true;
}

static bool cond_match(const struct pin_cond *c, const char *s)
{
	if (!s)
		s = "";
	if (c->is_regex)
		return regexec(&c->re, s, 0, NULL, 0) == 0;
	return fnmatch(c->value, s, 0) == 0;
}

static enum sc_status parse_pin(struct pin *pin, const char *path, const struct sc_deb822_field *f,
				struct sc_error *err)
{
	const char *v = f->value, *e = f->value + f->value_len;
	const char *sp = v;
	while (sp < e && *sp != ' ' && *sp != '\t')
		sp++;
	size_t kw = (size_t)(sp - v);
	const char *rest = sp;
	while (rest < e && (*rest == ' ' || *rest == '\t'))
		rest++;
	if (kw == 7 && !strncasecmp(v, "version", 7)) {
		pin->kind = PIN_VERSION;
	} else if (kw == 6 && !strncasecmp(v, "origin", 6)) {
		pin->kind = PIN_ORIGIN;
	} else if (kw == 7 && !strncasecmp(v, "release", 7)) {
		pin->kind = PIN_RELEASE;
	} else {
		return sc_error_set(err, SC_EINPUT, path, f->line, 1,
				    "Pin: expected `release`, `version` or `origin`");
	}
	if (pin->kind != PIN_RELEASE) {
		if (rest == e && pin->kind == PIN_VERSION)
			return sc_error_set(err, SC_EINPUT, path, f->line, 1, "Pin: version without a value");
		pin->conds = sc_xcalloc(1, sizeof(*pin->conds));
		pin->n_conds = 1;
		if (!cond_set(&pin->conds[0], rest, (size_t)(e - rest)))
			return sc_error_set(err, SC_EINPUT, path, f->line, 1, "Pin: bad regular expression");
		return SC_OK;
	}
	/* release: "a=x, n=y" or a bare value meaning the version ("release 12") */
	size_t cap = 4;
	pin->conds = sc_xcalloc(cap, sizeof(*pin->conds));
	const char *p = rest;
	while (p < e) {
		const char *comma = memchr(p, ',', (size_t)(e - p));
		const char *ce = comma ? comma : e;
		while (p < ce && (*p == ' ' || *p == '\t'))
			p++;
		if (p < ce) {
			if (pin->n_conds == cap) {
				cap *= 2;
				pin->conds = sc_xrealloc(pin->conds, cap * sizeof(*pin->conds));
			}
			struct pin_cond *c = &pin->conds[pin->n_conds];
			memset(c, 0, sizeof(*c));
			if (ce - p >= 2 && p[1] == '=') {
				if (!strchr("anvolcb", p[0]))
					return sc_error_set(err, SC_EINPUT, path, f->line, 1,
							    "Pin: unknown release key `%c`", p[0]);
				c->key = p[0];
				p += 2;
			} else {
				c->key = 'v';
			}
			pin->n_conds++;
			if (!cond_set(c, p, (size_t)(ce - p)))
				return sc_error_set(err, SC_EINPUT, path, f->line, 1, "Pin: bad regular expression");
		}
		p = comma ? comma + 1 : e;
	}
	return SC_OK;
}

enum sc_status sc_apt_prefs_parse(struct sc_apt_prefs *p, const char *path, const char *data, size_t len,
				  struct sc_error *err)
{
	if (len > SC_APT_MAX_PREFS)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "preferences file larger than %llu bytes",
				    (unsigned long long)SC_APT_MAX_PREFS);
	struct sc_deb822 d;
	sc_deb822_init(&d, path, data, len);
	d.allow_comments = true;
	struct sc_deb822_stanza st = {0};
	enum sc_status rc = SC_OK;
	size_t n0 = p->n; /* on an error, the pins of this file are all taken back */
	for (;;) {
		bool got = false;
		rc = sc_deb822_next(&d, &st, &got, err);
		if (rc != SC_OK || !got)
			break;
		const struct sc_deb822_field *pk = sc_deb822_get(&st, "Package");
		const struct sc_deb822_field *pf = sc_deb822_get(&st, "Pin");
		const struct sc_deb822_field *pp = sc_deb822_get(&st, "Pin-Priority");
		if (!pf || !pp) {
			/* an "Explanation:"-only stanza is a comment */
			if (!pk && !pf && !pp)
				continue;
			rc = sc_error_set(err, SC_EINPUT, path, st.line, 1, "pin without %s",
					  !pf ? "Pin" : "Pin-Priority");
			break;
		}
		char num[32];
		if (pp->value_len == 0 || pp->value_len >= sizeof(num)) {
			rc = sc_error_set(err, SC_EINPUT, path, pp->line, 1, "Pin-Priority: expected a number");
			break;
		}
		memcpy(num, pp->value, pp->value_len);
		num[pp->value_len] = '\0';
		char *endp;
		long prio = strtol(num, &endp, 10);
		if (*endp || prio < -100000 || prio > 100000) {
			rc = sc_error_set(err, SC_EINPUT, path, pp->line, 1, "Pin-Priority: expected a number");
			break;
		}
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 8;
			p->pins = sc_xrealloc(p->pins, p->cap * sizeof(*p->pins));
		}
		struct pin *pin = &p->pins[p->n++];
		memset(pin, 0, sizeof(*pin));
		pin->priority = (int)prio;
		if (pk) {
			const char *v = pk->value, *e = pk->value + pk->value_len;
			size_t cap = 4;
			pin->names = sc_xcalloc(cap, sizeof(char *));
			while (v < e) {
				while (v < e && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
					v++;
				const char *s = v;
				while (v < e && *v != ' ' && *v != '\t' && *v != '\n' && *v != '\r')
					v++;
				if (v == s)
					break;
				if (pin->n_names == cap) {
					cap *= 2;
					pin->names = sc_xrealloc(pin->names, cap * sizeof(char *));
				}
				pin->names[pin->n_names++] = sc_xstrndup(s, (size_t)(v - s));
			}
			if (pin->n_names == 1 && !strcmp(pin->names[0], "*")) {
				free(pin->names[0]);
				free(pin->names);
				pin->names = NULL;
				pin->n_names = 0;
			} else if (!pin->n_names) {
				rc = sc_error_set(err, SC_EINPUT, path, pk->line, 1, "Package: empty");
				break;
			}
		} else {
			rc = sc_error_set(err, SC_EINPUT, path, st.line, 1, "pin without Package");
			break;
		}
		rc = parse_pin(pin, path, pf, err);
		if (rc != SC_OK)
			break;
	}
	/* all or nothing: the caller warns that the file is ignored, so none of its pins stays, and
	 * no half-built one (a version pin without its condition was matched later as if it had one;
	 * found by fuzz_apt) */
	if (rc != SC_OK) {
		while (p->n > n0)
			pin_clear(&p->pins[--p->n]);
	}
	sc_deb822_stanza_free(&st);
	return rc;
}

static bool name_match(const struct pin *pin, const char *name)
{
	for (size_t i = 0; i < pin->n_names; i++) {
		const char *n = pin->names[i];
		size_t len = strlen(n);
		if (len >= 2 && n[0] == '/' && n[len - 1] == '/') {
			char *re_s = sc_xstrndup(n + 1, len - 2);
			regex_t re;
			bool ok = regcomp(&re, re_s, REG_EXTENDED | REG_NOSUB) == 0;
			bool m = ok && regexec(&re, name, 0, NULL, 0) == 0;
			if (ok)
				regfree(&re);
			free(re_s);
			if (m)
				return true;
		} else if (fnmatch(n, name, 0) == 0) {
			return true;
		}
	}
	return false;
}

/* Does a release/origin pin match the index the version comes from? */
static bool file_match(const struct pin *pin, const struct sc_apt_index *idx)
{
	const struct sc_apt_release *rel = idx ? idx->release : NULL;
	if (pin->kind == PIN_ORIGIN)
		return cond_match(&pin->conds[0], rel ? rel->site : NULL);
	if (pin->kind != PIN_RELEASE)
		return false;
	if (!rel)
		return false;
	for (size_t i = 0; i < pin->n_conds; i++) {
		const struct pin_cond *c = &pin->conds[i];
		const char *s = NULL;
		switch (c->key) {
		case 'a': s = rel->suite; break;
		case 'n': s = rel->codename; break;
		case 'v': s = rel->version; break;
		case 'o': s = rel->origin; break;
		case 'l': s = rel->label; break;
		case 'c': s = idx->component; break;
		case 'b': s = idx->arch; break;
		default: return false;
		}
		if (!cond_match(c, s))
			return false;
	}
	return true;
}

/* The priority of one index (file) for a package: the first matching general pin, else apt's
 * default for the release. */
static int file_priority(const struct sc_apt_prefs *p, const struct sc_apt_index *idx)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (!p->pins[i].names && file_match(&p->pins[i], idx))
			return p->pins[i].priority;
	const struct sc_apt_release *rel = idx ? idx->release : NULL;
	if (rel && rel->not_automatic)
		return rel->but_automatic_upgrades ? 100 : 1;
	return 500;
}

/* The first matching package-specific pin for (name, version, index); *found false when none. */
static int specific_priority(const struct sc_apt_prefs *p, const char *name, const char *version,
			     const struct sc_apt_index *idx, bool *found)
{
	*found = false;
	for (size_t i = 0; p && i < p->n; i++) {
		const struct pin *pin = &p->pins[i];
		if (!pin->names || !name_match(pin, name))
			continue;
		bool m = pin->kind == PIN_VERSION ? cond_match(&pin->conds[0], version) : file_match(pin, idx);
		if (m) {
			*found = true;
			return pin->priority;
		}
	}
	return 0;
}

int sc_apt_priority(const struct sc_apt_prefs *p, const struct sc_apt_version *v)
{
	bool found;
	int prio = specific_priority(p, v->name, v->version, v->index, &found);
	return found ? prio : file_priority(p, v->index);
}

static bool arch_ok(const char *inst, const char *cand, const char *native)
{
	if (!inst || !cand)
		return true;
	if (!strcmp(inst, cand))
		return true;
	bool inst_native = !strcmp(inst, "all") || (native && !strcmp(inst, native));
	bool cand_native = !strcmp(cand, "all") || (native && !strcmp(cand, native));
	return inst_native && cand_native;
}

struct cand {
	const struct sc_apt_version *v; /* one entry with this version (the highest-priority one) */
	const char *version;
	int prio;
	bool installed;
};

typedef int (*vercmp_fn)(const char *, size_t, const char *, size_t);

static int cand_desc(const void *a, const void *b, void *arg)
{
	const struct cand *x = a, *y = b;
	vercmp_fn cmp = *(vercmp_fn *)arg;
	return -cmp(x->version, strlen(x->version), y->version, strlen(y->version));
}

const struct sc_apt_version *sc_apt_candidate(const struct sc_apt_cache *c, const struct sc_apt_prefs *p,
					      const struct sc_apt_installed *inst, const char *native_arch,
					      int (*cmp)(const char *a, size_t alen, const char *b, size_t blen))
{
	const struct sc_apt_version *list = sc_apt_cache_get(c, inst->name);
	if (!list)
		return NULL;
	size_t n = 1, cap = 8;
	struct cand *cs = sc_xmalloc(cap * sizeof(*cs));
	/* the installed version: status file priority 100, or its pin */
	bool found;
	int iprio = specific_priority(p, inst->name, inst->version, NULL, &found);
	cs[0] = (struct cand){NULL, inst->version, found ? iprio : 100, true};
	bool inst_pinned = found;
	for (const struct sc_apt_version *v = list; v; v = v->next) {
		if (!arch_ok(inst->arch, v->arch, native_arch))
			continue;
		int prio = sc_apt_priority(p, v);
		size_t k;
		for (k = 0; k < n; k++)
			if (!strcmp(cs[k].version, v->version))
				break;
		if (k < n) {
			/* the same version in several indexes: its priority is the highest (a
			 * package-specific pin of the installed version stays as it is) */
			if (!(cs[k].installed && inst_pinned) && prio > cs[k].prio)
				cs[k].prio = prio;
			/* report the security suite when the version is there too */
			if (!cs[k].v || (sc_apt_release_is_security(v->index ? v->index->release : NULL) &&
					 !sc_apt_release_is_security(cs[k].v->index ? cs[k].v->index->release : NULL)))
				cs[k].v = v;
			continue;
		}
		if (n == cap) {
			cap *= 2;
			cs = sc_xrealloc(cs, cap * sizeof(*cs));
		}
		cs[n++] = (struct cand){v, v->version, prio, false};
	}
	vercmp_fn fn = cmp;
	qsort_r(cs, n, sizeof(*cs), cand_desc, &fn);
	const struct cand *pref = NULL;
	int max = 0;
	for (size_t i = 0; i < n; i++) {
		if (cs[i].prio > max) {
			pref = &cs[i];
			max = cs[i].prio;
		}
		if (cs[i].installed && max < 1000)
			break;
	}
	const struct sc_apt_version *out = NULL;
	if (pref && !pref->installed && cmp(pref->version, strlen(pref->version), inst->version,
					    strlen(inst->version)) > 0)
		out = pref->v;
	free(cs);
	return out;
}
