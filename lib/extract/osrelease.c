/* osrelease.c - OS detection of an image or root filesystem: /etc/os-release, /usr/lib/os-release,
 * then /etc/lsb-release, /etc/debian_version, /etc/alpine-release, /etc/redhat-release; and the
 * OSV ecosystem and purl type of the release ("Debian:12", "Alpine:v3.19"). */
#include "shipcheck/sc_image.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RELEASE_FILE (64u << 10)

/* Unquotes a shell-style value: "a b", 'a b', a\ b. */
static char *unquote(struct sc_arena *a, const char *v, size_t n)
{
	char *out = sc_arena_alloc(a, n + 1);
	size_t o = 0;
	char q = 0;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (q) {
			if (c == q) {
				q = 0;
				continue;
			}
			if (q == '"' && c == '\\' && i + 1 < n && strchr("\"\\$`", v[i + 1]))
				c = v[++i];
		} else if (c == '"' || c == '\'') {
			q = c;
			continue;
		} else if (c == '\\' && i + 1 < n) {
			c = v[++i];
		} else if (c == '#' && (i == 0 || isspace((unsigned char)v[i - 1]))) {
			break;
		}
		out[o++] = c;
	}
	while (o && isspace((unsigned char)out[o - 1]))
		o--;
	out[o] = '\0';
	return out;
}

void sc_os_release_parse(const char *data, size_t len, struct sc_arena *a, struct sc_os_info *os)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		while (p < le && isspace((unsigned char)*p))
			p++;
		const char *eq = memchr(p, '=', (size_t)(le - p));
		if (eq && *p != '#') {
			size_t kn = (size_t)(eq - p);
			const char *v = eq + 1;
			char *val = unquote(a, v, (size_t)(le - v));
			if (kn == 2 && !memcmp(p, "ID", 2))
				os->id = val;
			else if (kn == 10 && !memcmp(p, "VERSION_ID", 10))
				os->version_id = val;
			else if (kn == 11 && !memcmp(p, "PRETTY_NAME", 11))
				os->pretty_name = val;
			else if (kn == 16 && !memcmp(p, "VERSION_CODENAME", 16))
				os->codename = val;
			else if (kn == 10 && !memcmp(p, "DISTRIB_ID", 10) && !os->id)
				os->id = val;
			else if (kn == 15 && !memcmp(p, "DISTRIB_RELEASE", 15) && !os->version_id)
				os->version_id = val;
		}
		p = nl ? nl + 1 : end;
	}
	if (os->id) {
		char *lower = sc_arena_strdup(a, os->id);
		for (char *c = lower; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		os->id = lower;
	}
}

static char *read_small(const struct sc_fs *fs, const char *path, size_t *len)
{
	char res[4096];
	if (!sc_fs_resolve(fs, path, res, sizeof(res)))
		return NULL;
	const struct sc_file *f = sc_fs_find(fs, res);
	if (!f || f->deleted)
		return NULL;
	char *data = NULL;
	struct sc_error err = {0};
	if (sc_fs_read(fs, res, MAX_RELEASE_FILE, &data, len, &err) != SC_OK)
		data = NULL;
	sc_error_clear(&err);
	return data;
}

/* First line, trimmed. */
static char *first_line(struct sc_arena *a, const char *d, size_t n)
{
	size_t k = 0;
	while (k < n && d[k] != '\n' && d[k] != '\r')
		k++;
	while (k && isspace((unsigned char)d[k - 1]))
		k--;
	return sc_arena_strndup(a, d, k);
}

bool sc_os_detect(const struct sc_fs *fs, struct sc_arena *a, struct sc_os_info *os)
{
	memset(os, 0, sizeof(*os));
	static const char *const release[] = {"etc/os-release", "usr/lib/os-release", "etc/lsb-release"};
	for (size_t i = 0; i < sizeof(release) / sizeof(release[0]); i++) {
		size_t len = 0;
		char *d = read_small(fs, release[i], &len);
		if (!d)
			continue;
		struct sc_os_info t = {0};
		sc_os_release_parse(d, len, a, &t);
		free(d);
		if (t.id) {
			*os = t;
			os->source = release[i];
			break;
		}
	}
	/* Debian testing/sid have no VERSION_ID; debian_version also serves images without os-release */
	static const struct {
		const char *path, *id;
	} fallback[] = {
		{"etc/debian_version", "debian"},
		{"etc/alpine-release", "alpine"},
		{"etc/redhat-release", "rhel"},
	};
	for (size_t i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++) {
		if (os->id && (os->version_id || strcmp(os->id, fallback[i].id) != 0))
			continue;
		size_t len = 0;
		char *d = read_small(fs, fallback[i].path, &len);
		if (!d)
			continue;
		char *line = first_line(a, d, len);
		free(d);
		if (!os->id) {
			os->id = fallback[i].id;
			os->source = fallback[i].path;
		}
		if (!strcmp(fallback[i].id, "rhel")) {
			/* "Red Hat Enterprise Linux release 9.3 (Plow)" */
			const char *r = strstr(line, "release ");
			if (r) {
				r += 8;
				size_t n = strspn(r, "0123456789.");
				os->version_id = sc_arena_strndup(a, r, n);
			}
			if (!os->pretty_name)
				os->pretty_name = line;
		} else if (isdigit((unsigned char)line[0])) {
			os->version_id = line; /* "12.4", "3.19.1" */
		}
	}
	return os->id != NULL;
}

static const char *major(struct sc_arena *a, const char *v)
{
	return sc_arena_strndup(a, v, strcspn(v, "."));
}

static const char *major_minor(struct sc_arena *a, const char *v)
{
	size_t n = strcspn(v, ".");
	if (v[n] == '.')
		n += 1 + strcspn(v + n + 1, ".");
	return sc_arena_strndup(a, v, n);
}

const char *sc_os_ecosystem(const struct sc_os_info *os, struct sc_arena *a)
{
	if (!os->id)
		return NULL;
	const char *v = os->version_id;
	const char *id = os->id;
	if (!strcmp(id, "debian"))
		return v ? sc_arena_printf(a, "Debian:%s", major(a, v)) : "Debian";
	if (!strcmp(id, "ubuntu"))
		return v ? sc_arena_printf(a, "Ubuntu:%s", v) : "Ubuntu";
	if (!strcmp(id, "alpine"))
		return v ? sc_arena_printf(a, "Alpine:v%s", major_minor(a, v)) : "Alpine";
	if (!strcmp(id, "rhel") || !strcmp(id, "centos"))
		return v ? sc_arena_printf(a, "Red Hat:%s", major(a, v)) : "Red Hat";
	if (!strcmp(id, "rocky"))
		return v ? sc_arena_printf(a, "Rocky Linux:%s", major(a, v)) : "Rocky Linux";
	if (!strcmp(id, "almalinux"))
		return v ? sc_arena_printf(a, "AlmaLinux:%s", major(a, v)) : "AlmaLinux";
	if (!strcmp(id, "opensuse-leap"))
		return v ? sc_arena_printf(a, "openSUSE:Leap %s", v) : "openSUSE";
	if (!strcmp(id, "wolfi"))
		return "Wolfi";
	if (!strcmp(id, "chainguard"))
		return "Chainguard";
	if (!strcmp(id, "fedora"))
		return v ? sc_arena_printf(a, "Fedora:%s", v) : "Fedora";
	return NULL;
}

bool sc_os_purl_type(const char *id, const char **type, const char **ns)
{
	static const struct {
		const char *id, *type, *ns;
	} t[] = {
		{"debian", "deb", "debian"},       {"ubuntu", "deb", "ubuntu"},
		{"alpine", "apk", "alpine"},       {"wolfi", "apk", "wolfi"},
		{"rhel", "rpm", "redhat"},         {"centos", "rpm", "centos"},
		{"fedora", "rpm", "fedora"},       {"rocky", "rpm", "rocky-linux"},
		{"almalinux", "rpm", "almalinux"}, {"opensuse-leap", "rpm", "opensuse"},
	};
	for (size_t i = 0; id && i < sizeof(t) / sizeof(t[0]); i++) {
		if (!strcmp(t[i].id, id)) {
			*type = t[i].type;
			*ns = t[i].ns;
			return true;
		}
	}
	return false;
}
