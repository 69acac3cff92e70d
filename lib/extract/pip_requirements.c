/* pip_requirements.c - extractor for pip requirements files (requirements*.txt): `==`/`===` pins,
 * -r/-c includes (read through in->fs, with cycle detection), --hash options, extras, environment
 * markers, line continuations, pip-compile `# via` comments (parents), and editable/VCS/URL/range
 * lines, which are reported as unpinned. */
#include "extract.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INCLUDE_DEPTH 16
#define MAX_LOGICAL_LINE (1u << 20)

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return !fnmatch("*requirements*.txt", sc_path_base(path), 0) && !sc_extract_vendored(path);
}

struct req {
	struct sc_inventory *inv;
	const struct sc_fs *fs;
	struct sc_ptrvec stack; /* paths being read (cycle detection) */
	struct sc_map *done;    /* files read by an include: "r:PATH" or "c:PATH" (constraints) */
	struct sc_arena *keys;  /* done's keys */
	struct sc_package *last; /* for pip-compile "# via" comments */
	bool via_open;
	unsigned last_flags_base;
};

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '_' || c == '.';
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

static enum sc_status parse_file(struct req *s, const char *path, const char *data, size_t len,
				 bool constraint, struct sc_error *err);

static enum sc_status include(struct req *s, const char *from, unsigned line, const char *arg,
			      bool constraint, struct sc_error *err)
{
	if (!*arg)
		return sc_error_set(err, SC_EINPUT, from, line, 1, "-r/-c needs a file name");
	if (strstr(arg, "://"))
		return SC_OK; /* remote includes are never fetched */
	char *dir = sc_path_dir(from);
	char *joined = *dir && arg[0] != '/' ? sc_path_join(dir, arg) : sc_xstrdup(arg);
	char clean[4096];
	enum sc_status st = SC_OK;
	free(dir);
	if (!sc_path_clean(joined, clean, sizeof(clean))) {
		sc_inventory_warn(s->inv, from, line, 1, "pip-requirements: include `%s` leaves the target", arg);
		goto out;
	}
	/* a requirements file the walk extracts by itself is not read twice */
	if (!constraint && wants(clean, 0, 0) && s->fs && sc_fs_find(s->fs, clean))
		goto out;
	for (size_t i = 0; i < s->stack.len; i++)
		if (!strcmp(s->stack.items[i], clean)) {
			sc_inventory_warn(s->inv, from, line, 1, "pip-requirements: include cycle: `%s` is already being read",
					  clean);
			goto out;
		}
	/* A file included twice adds nothing the second time (what it adds depends only on its
	 * content and -r/-c): reading it again made a diamond of includes exponential, 3^15 reads for
	 * 15 levels of three files that include the three below. */
	if (!s->done) {
		s->done = sc_map_new();
		s->keys = sc_arena_new();
	}
	if (sc_map_put(s->done, sc_arena_printf(s->keys, "%c:%s", constraint ? 'c' : 'r', clean), s->done))
		goto out;
	if (s->stack.len >= MAX_INCLUDE_DEPTH) {
		st = sc_error_set(err, SC_ELIMIT, from, line, 1, "includes nested deeper than %d",
				  MAX_INCLUDE_DEPTH);
		goto out;
	}
	if (!s->fs || !sc_fs_find(s->fs, clean)) {
		sc_inventory_warn(s->inv, from, line, 1, "pip-requirements: included file `%s` not found", clean);
		goto out;
	}
	char *data = NULL;
	size_t n = 0;
	struct sc_error rerr = {0};
	if (sc_fs_read(s->fs, clean, 16u << 20, &data, &n, &rerr) != SC_OK) {
		sc_inventory_warn(s->inv, from, line, 1, "pip-requirements: cannot read `%s`: %s", clean,
				  rerr.msg ? rerr.msg : "error");
		sc_error_clear(&rerr);
		goto out;
	}
	st = parse_file(s, sc_arena_strdup(s->inv->arena, clean), data, n, constraint, err);
	free(data);
out:
	free(joined);
	return st;
}

/* A URL (scheme://), VCS (git+...), file: or path requirement. */
static bool is_url_like(const char *s)
{
	size_t n = 0;
	while ((s[n] >= 'a' && s[n] <= 'z') || s[n] == '+')
		n++;
	return (n && !strncmp(s + n, "://", 3)) || !strncmp(s, "git+", 4) || !strncmp(s, "file:", 5) ||
	       s[0] == '.' || s[0] == '/';
}

static void add(struct req *s, const char *path, unsigned line, const char *name, const char *version,
		unsigned flags, const char *spec)
{
	struct sc_arena *a = s->inv->arena;
	struct sc_package p = {.ecosystem = "PyPI", .path = path, .line = line, .flags = flags};
	p.name = name;
	p.version = version;
	p.spec = spec;
	p.purl = sc_extract_purl(a, "pypi", sc_extract_pep503(a, name), version);
	s->last = sc_inventory_add(s->inv, &p);
	s->via_open = false;
}

static void requirement(struct req *s, const char *path, unsigned line, char *text, unsigned flags,
			bool editable)
{
	struct sc_arena *a = s->inv->arena;
	/* per-requirement options: --hash=..., --global-option ... */
	char *opt = strstr(text, " --");
	if (opt)
		*opt = 0;
	text = trim(text);
	if (!*text)
		return;
	char *marker = NULL;
	if (!is_url_like(text) || strstr(text, "; ")) {
		char *semi = strchr(text, ';');
		if (semi && !(is_url_like(text) && semi[1] != ' ')) {
			*semi = 0;
			marker = trim(semi + 1);
			text = trim(text);
		}
	}
	(void)marker;
	if (editable || is_url_like(text)) {
		/* name from #egg=NAME, else the last path component */
		const char *egg = strstr(text, "#egg=");
		char *name;
		if (egg) {
			size_t n = 0;
			while (is_name_char(egg[5 + n]))
				n++;
			name = sc_arena_strndup(a, egg + 5, n);
		} else {
			const char *b = strrchr(text, '/');
			b = b ? b + 1 : text;
			size_t n = 0;
			while (is_name_char(b[n]) && strncmp(b + n, ".git", 4) && strncmp(b + n, ".tar", 4) &&
			       strncmp(b + n, ".zip", 4) && strncmp(b + n, ".whl", 4) &&
			       !(b[n] == '-' && b[n + 1] >= '0' && b[n + 1] <= '9'))
				n++;
			name = sc_arena_strndup(a, b, n);
		}
		if (!*name)
			name = sc_arena_strdup(a, text);
		add(s, path, line, name, NULL, flags | SC_PKG_UNPINNED, sc_arena_strdup(a, text));
		return;
	}
	size_t n = 0;
	while (is_name_char(text[n]))
		n++;
	if (!n) {
		sc_inventory_warn(s->inv, path, line, 1, "pip-requirements: cannot parse `%s`", text);
		return;
	}
	char *name = sc_arena_strndup(a, text, n);
	char *rest = text + n;
	while (*rest == ' ')
		rest++;
	if (*rest == '[') { /* extras */
		char *close = strchr(rest, ']');
		rest = close ? close + 1 : rest + strlen(rest);
		while (*rest == ' ')
			rest++;
	}
	if (*rest == '@') { /* name @ url */
		add(s, path, line, name, NULL, flags | SC_PKG_UNPINNED, sc_arena_strdup(a, text));
		return;
	}
	const char *version = NULL;
	if (!strncmp(rest, "===", 3) || (!strncmp(rest, "==", 2) && rest[2] != '=')) {
		char *v = trim(rest + (rest[2] == '=' ? 3 : 2));
		if (*v && !strchr(v, ',') && !strchr(v, '*') && !strchr(v, ' '))
			version = v;
	}
	if (version)
		add(s, path, line, name, sc_arena_strdup(a, version), flags, NULL);
	else
		add(s, path, line, name, NULL, flags | SC_PKG_UNPINNED, sc_arena_strdup(a, text));
}

/* pip-compile annotations: "    # via requests" or "    # via\n    #   -r requirements.in\n    #   requests". */
static void via_comment(struct req *s, const char *c)
{
	if (!s->last)
		return;
	while (*c == ' ')
		c++;
	bool head = !strncmp(c, "via", 3) && (c[3] == ' ' || c[3] == 0);
	if (head) {
		c += 3;
		while (*c == ' ')
			c++;
		s->via_open = true;
		if (!*c)
			return;
	} else if (!s->via_open) {
		return;
	}
	if (!strncmp(c, "-r ", 3) || !strncmp(c, "-c ", 3)) {
		s->last->flags |= SC_PKG_DIRECT;
		s->last->flags &= ~(unsigned)SC_PKG_TRANSITIVE;
		s->last->parent = NULL;
		return;
	}
	if (!(s->last->flags & SC_PKG_DIRECT) && !s->last->parent && *c) {
		size_t n = 0;
		while (is_name_char(c[n]))
			n++;
		if (n) {
			s->last->parent = sc_arena_strndup(s->inv->arena, c, n);
			s->last->flags |= SC_PKG_TRANSITIVE;
		}
	}
}

static enum sc_status parse_file(struct req *s, const char *path, const char *data, size_t len,
				 bool constraint, struct sc_error *err)
{
	enum sc_status st = SC_OK;
	sc_ptrvec_push(&s->stack, (void *)path);
	const char *b = sc_path_base(path);
	unsigned base = constraint ? SC_PKG_TRANSITIVE : 0;
	if (strstr(b, "dev") || strstr(b, "test"))
		base |= SC_PKG_DEV;
	struct sc_strbuf logical;
	sc_strbuf_init(&logical, MAX_LOGICAL_LINE);
	const char *p = data, *end = data + len;
	unsigned lineno = 0, start = 0;
	bool pip_compiled = memmem(data, len, "# via", 5) != NULL;
	while (p < end || logical.len) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		size_t n = p < end ? (nl ? (size_t)(nl - p) : (size_t)(end - p)) : 0;
		const char *ln = p;
		bool eof = p >= end;
		p = nl ? nl + 1 : end;
		if (!eof) {
			lineno++;
			if (memchr(ln, 0, n)) {
				st = sc_error_set(err, SC_EINPUT, path, lineno, 1, "NUL byte");
				goto out;
			}
			if (n && ln[n - 1] == '\r')
				n--;
			if (!logical.len)
				start = lineno;
			/* a whole-line comment ends nothing and may be a pip-compile annotation */
			size_t i = 0;
			while (i < n && (ln[i] == ' ' || ln[i] == '\t'))
				i++;
			if (!logical.len && i < n && ln[i] == '#') {
				char *c = sc_xstrndup(ln + i + 1, n - i - 1);
				via_comment(s, c);
				free(c);
				continue;
			}
			if (n && ln[n - 1] == '\\') {
				if (sc_strbuf_append(&logical, ln, n - 1) != SC_OK)
					goto toolong;
				if (p < end)
					continue;
			} else if (sc_strbuf_append(&logical, ln, n) != SC_OK) {
				goto toolong;
			}
		}
		char *text = sc_strbuf_take(&logical);
		if (!text)
			continue;
		/* strip an end-of-line comment: '#' at the start or after whitespace */
		for (char *q = text; *q; q++)
			if (*q == '#' && (q == text || q[-1] == ' ' || q[-1] == '\t')) {
				*q = 0;
				break;
			}
		char *t = trim(text);
		if (*t == '-') {
			char *arg = t;
			while (*arg && *arg != ' ' && *arg != '=' && *arg != '\t')
				arg++;
			size_t ol = (size_t)(arg - t);
			while (*arg == ' ' || *arg == '=' || *arg == '\t')
				arg++;
			bool r = (ol == 2 && !strncmp(t, "-r", 2)) || (ol == 13 && !strncmp(t, "--requirement", 13));
			bool c = (ol == 2 && !strncmp(t, "-c", 2)) || (ol == 12 && !strncmp(t, "--constraint", 12));
			bool e = (ol == 2 && !strncmp(t, "-e", 2)) || (ol == 10 && !strncmp(t, "--editable", 10));
			if (ol > 2 && t[1] != '-' && (t[1] == 'r' || t[1] == 'c' || t[1] == 'e')) { /* -rfile */
				r = t[1] == 'r';
				c = t[1] == 'c';
				e = t[1] == 'e';
				arg = t + 2;
			}
			if (r || c)
				st = include(s, path, start, trim(arg), c || constraint, err);
			else if (e)
				requirement(s, path, start, arg, base | (pip_compiled ? 0 : SC_PKG_DIRECT), true);
			/* every other option (--index-url, --hash, --pre, ...) installs nothing */
		} else if (*t) {
			requirement(s, path, start, t, base | (pip_compiled || constraint ? 0 : SC_PKG_DIRECT), false);
		}
		free(text);
		if (st != SC_OK)
			goto out;
		if (eof)
			break;
	}
	goto out;
toolong:
	st = sc_error_set(err, SC_ELIMIT, path, start, 1, "logical line longer than %u bytes",
			  MAX_LOGICAL_LINE);
out:
	sc_strbuf_free(&logical);
	s->stack.len--;
	return st;
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	struct req s = {.inv = inv, .fs = in->fs};
	enum sc_status st = parse_file(&s, in->path, (const char *)in->data, in->len, false, err);
	sc_ptrvec_free(&s.stack);
	sc_map_free(s.done);
	sc_arena_free(s.keys);
	return st;
}

const struct sc_extractor sc_extractor_pip_requirements = {
	.targets = SC_EXTRACT_REPO,
	.name = "pip-requirements",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
