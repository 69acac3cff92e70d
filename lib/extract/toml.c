/* toml.c - the TOML-subset reader of toml.h: a recursive-descent parser over the whole buffer,
 * nodes in one arena, with depth and duplicate-key checks (fuzzed by fuzz_extract). */
#include "toml.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_KEYS 65536 /* per table: keeps duplicate checks bounded */

struct sc_tnode {
	enum sc_ttype type;
	unsigned line;
	bool defined;  /* table: opened by a [header] or a key/inline table (redefinition check) */
	bool is_aot;   /* array: an array of tables made by [[...]] */
	bool inline_;  /* inline table or static array: closed to additions */
	const char *str;
	size_t n, cap;
	const char **keys;
	struct sc_tnode **items;
};

struct sc_toml {
	struct sc_arena *arena;
	struct sc_tnode *root;
};

struct ps {
	const char *path;
	const char *p, *end, *line_start;
	unsigned line;
	struct sc_arena *a;
	struct sc_error *err;
};

static enum sc_status fail(struct ps *s, const char *msg)
{
	return sc_error_set(s->err, SC_EINPUT, s->path, s->line, (unsigned)(s->p - s->line_start) + 1,
			    "invalid TOML: %s", msg);
}

static struct sc_tnode *node(struct ps *s, enum sc_ttype t)
{
	struct sc_tnode *n = sc_arena_alloc(s->a, sizeof(*n));
	n->type = t;
	n->line = s->line;
	return n;
}

static void push(struct ps *s, struct sc_tnode *parent, const char *key, struct sc_tnode *child)
{
	if (parent->n == parent->cap) {
		size_t cap = parent->cap ? parent->cap * 2 : 4;
		struct sc_tnode **items = sc_arena_alloc(s->a, cap * sizeof(*items));
		if (parent->n)
			memcpy(items, parent->items, parent->n * sizeof(*items));
		parent->items = items;
		if (parent->type == SC_T_TABLE) {
			const char **keys = sc_arena_alloc(s->a, cap * sizeof(*keys));
			if (parent->n)
				memcpy(keys, parent->keys, parent->n * sizeof(*keys));
			parent->keys = keys;
		}
		parent->cap = cap;
	}
	if (parent->type == SC_T_TABLE)
		parent->keys[parent->n] = key;
	parent->items[parent->n++] = child;
}

static struct sc_tnode *get(const struct sc_tnode *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->keys[i], key))
			return t->items[i];
	return NULL;
}

static void newline(struct ps *s)
{
	s->line++;
	s->line_start = s->p;
}

/* Skips spaces and tabs (and, when nl, newlines and comments). */
static void ws(struct ps *s, bool nl)
{
	while (s->p < s->end) {
		char c = *s->p;
		if (c == ' ' || c == '\t' || c == '\r') {
			s->p++;
		} else if (nl && c == '\n') {
			s->p++;
			newline(s);
		} else if (nl && c == '#') {
			while (s->p < s->end && *s->p != '\n')
				s->p++;
		} else {
			break;
		}
	}
}

static bool bare_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

static void put_utf8(struct sc_strbuf *sb, unsigned long cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sc_strbuf_append(sb, b, n);
}

/* A string starting at s->p (one of " ' """ '''); the text goes to *out (arena). */
static enum sc_status string(struct ps *s, const char **out)
{
	char q = *s->p;
	bool multi = s->end - s->p >= 3 && s->p[1] == q && s->p[2] == q;
	s->p += multi ? 3 : 1;
	if (multi && s->p < s->end && *s->p == '\n') { /* a newline right after the opener is trimmed */
		s->p++;
		newline(s);
	} else if (multi && s->end - s->p >= 2 && s->p[0] == '\r' && s->p[1] == '\n') {
		s->p += 2;
		newline(s);
	}
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, (size_t)(s->end - s->p) + 1);
	enum sc_status st = SC_OK;
	for (;;) {
		if (s->p >= s->end) {
			st = fail(s, "unterminated string");
			goto out;
		}
		char c = *s->p;
		if (c == q) {
			if (!multi) {
				s->p++;
				break;
			}
			if (s->end - s->p >= 3 && s->p[1] == q && s->p[2] == q) {
				s->p += 3;
				/* up to two more quotes belong to the content */
				for (int k = 0; k < 2 && s->p < s->end && *s->p == q; k++, s->p++)
					sc_strbuf_putc(&sb, q);
				break;
			}
			sc_strbuf_putc(&sb, c);
			s->p++;
			continue;
		}
		if (c == '\n') {
			if (!multi) {
				st = fail(s, "newline in a string");
				goto out;
			}
			sc_strbuf_putc(&sb, c);
			s->p++;
			newline(s);
			continue;
		}
		if (c == '\\' && q == '"') {
			if (s->end - s->p < 2) {
				st = fail(s, "unterminated escape");
				goto out;
			}
			char e = s->p[1];
			s->p += 2;
			switch (e) {
			case 'b': sc_strbuf_putc(&sb, '\b'); break;
			case 't': sc_strbuf_putc(&sb, '\t'); break;
			case 'n': sc_strbuf_putc(&sb, '\n'); break;
			case 'f': sc_strbuf_putc(&sb, '\f'); break;
			case 'r': sc_strbuf_putc(&sb, '\r'); break;
			case 'e': sc_strbuf_putc(&sb, 0x1b); break;
			case '"': sc_strbuf_putc(&sb, '"'); break;
			case '\\': sc_strbuf_putc(&sb, '\\'); break;
			case 'u':
			case 'U': {
				int nd = e == 'u' ? 4 : 8;
				unsigned long cp = 0;
				if (s->end - s->p < nd) {
					st = fail(s, "short unicode escape");
					goto out;
				}
				for (int k = 0; k < nd; k++) {
					char h = s->p[k];
					int v = h >= '0' && h <= '9' ? h - '0'
						: h >= 'a' && h <= 'f' ? h - 'a' + 10
						: h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
					if (v < 0) {
						st = fail(s, "bad unicode escape");
						goto out;
					}
					cp = cp * 16 + (unsigned long)v;
				}
				s->p += nd;
				if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
					st = fail(s, "unicode escape out of range");
					goto out;
				}
				put_utf8(&sb, cp);
				break;
			}
			default:
				if (multi && (e == '\n' || e == ' ' || e == '\t' || e == '\r')) {
					/* line-ending backslash: trims whitespace up to the next text */
					s->p--;
					while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' ||
								 *s->p == '\n')) {
						if (*s->p == '\n') {
							s->p++;
							newline(s);
						} else {
							s->p++;
						}
					}
					break;
				}
				s->p -= 1;
				st = fail(s, "unknown escape");
				goto out;
			}
			continue;
		}
		if (c == 0) {
			st = fail(s, "NUL byte");
			goto out;
		}
		sc_strbuf_putc(&sb, c);
		s->p++;
	}
	*out = sc_arena_strndup(s->a, sc_strbuf_str(&sb), sb.len);
out:
	sc_strbuf_free(&sb);
	return st;
}

/* One key part: bare or quoted. */
static enum sc_status key_part(struct ps *s, const char **out)
{
	if (s->p < s->end && (*s->p == '"' || *s->p == '\'')) {
		if (s->end - s->p >= 3 && s->p[1] == *s->p && s->p[2] == *s->p)
			return fail(s, "multi-line string as a key");
		return string(s, out);
	}
	const char *b = s->p;
	while (s->p < s->end && bare_char(*s->p))
		s->p++;
	if (s->p == b)
		return fail(s, "expected a key");
	*out = sc_arena_strndup(s->a, b, (size_t)(s->p - b));
	return SC_OK;
}

/* Dotted key into parts (at most 32). */
static enum sc_status key(struct ps *s, const char **parts, size_t *n)
{
	*n = 0;
	for (;;) {
		ws(s, false);
		if (*n == 32)
			return fail(s, "key with too many parts");
		enum sc_status st = key_part(s, &parts[(*n)++]);
		if (st != SC_OK)
			return st;
		ws(s, false);
		if (s->p < s->end && *s->p == '.') {
			s->p++;
			continue;
		}
		return SC_OK;
	}
}

static enum sc_status value(struct ps *s, struct sc_tnode **out, unsigned depth);

/* Walks/creates the tables of parts[0..n-1) under t for a dotted key; returns the last table. */
static enum sc_status descend(struct ps *s, struct sc_tnode *t, const char **parts, size_t n,
			      bool header, struct sc_tnode **out)
{
	for (size_t i = 0; i < n; i++) {
		struct sc_tnode *c = get(t, parts[i]);
		if (!c) {
			if (t->n >= MAX_KEYS)
				return sc_error_set(s->err, SC_ELIMIT, s->path, s->line, 0,
						    "more than %d keys in one table", MAX_KEYS);
			c = node(s, SC_T_TABLE);
			push(s, t, parts[i], c);
		} else if (c->type == SC_T_ARRAY && c->is_aot && header && c->n) {
			c = c->items[c->n - 1];
		} else if (c->type != SC_T_TABLE || c->inline_) {
			return fail(s, "key redefines a value as a table");
		}
		t = c;
	}
	*out = t;
	return SC_OK;
}

static enum sc_status keyval(struct ps *s, struct sc_tnode *t, unsigned depth)
{
	const char *parts[32];
	size_t n;
	enum sc_status st = key(s, parts, &n);
	if (st != SC_OK)
		return st;
	if (s->p >= s->end || *s->p != '=')
		return fail(s, "expected `=` after a key");
	s->p++;
	ws(s, false);
	struct sc_tnode *dst;
	if ((st = descend(s, t, parts, n - 1, false, &dst)) != SC_OK)
		return st;
	if (get(dst, parts[n - 1]))
		return fail(s, "duplicate key");
	if (dst->n >= MAX_KEYS)
		return sc_error_set(s->err, SC_ELIMIT, s->path, s->line, 0, "more than %d keys in one table",
				    MAX_KEYS);
	struct sc_tnode *v;
	if ((st = value(s, &v, depth + 1)) != SC_OK)
		return st;
	push(s, dst, parts[n - 1], v);
	return SC_OK;
}

static enum sc_status value(struct ps *s, struct sc_tnode **out, unsigned depth)
{
	if (depth > MAX_DEPTH)
		return fail(s, "nested deeper than 64 levels");
	if (s->p >= s->end)
		return fail(s, "expected a value");
	char c = *s->p;
	enum sc_status st;
	if (c == '"' || c == '\'') {
		struct sc_tnode *n = node(s, SC_T_STR);
		if ((st = string(s, &n->str)) != SC_OK)
			return st;
		*out = n;
		return SC_OK;
	}
	if (c == '[') {
		struct sc_tnode *n = node(s, SC_T_ARRAY);
		n->inline_ = true;
		s->p++;
		for (;;) {
			ws(s, true);
			if (s->p >= s->end)
				return fail(s, "unterminated array");
			if (*s->p == ']') {
				s->p++;
				break;
			}
			struct sc_tnode *v;
			if ((st = value(s, &v, depth + 1)) != SC_OK)
				return st;
			push(s, n, NULL, v);
			ws(s, true);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == ']') {
				s->p++;
				break;
			}
			return fail(s, "expected `,` or `]` in an array");
		}
		*out = n;
		return SC_OK;
	}
	if (c == '{') {
		struct sc_tnode *n = node(s, SC_T_TABLE);
		s->p++;
		ws(s, true);
		if (s->p < s->end && *s->p == '}') {
			s->p++;
		} else {
			for (;;) {
				ws(s, true);
				if ((st = keyval(s, n, depth)) != SC_OK)
					return st;
				ws(s, true);
				if (s->p < s->end && *s->p == ',') {
					s->p++;
					continue;
				}
				if (s->p < s->end && *s->p == '}') {
					s->p++;
					break;
				}
				return fail(s, "expected `,` or `}` in an inline table");
			}
		}
		n->inline_ = true;
		n->defined = true;
		*out = n;
		return SC_OK;
	}
	/* numbers, booleans, dates: raw text */
	const char *b = s->p;
	while (s->p < s->end) {
		char d = *s->p;
		if (bare_char(d) || d == '.' || d == '+' || d == ':')
			s->p++;
		else if (d == ' ' && s->p - b == 10 && s->end - s->p > 1 && s->p[1] >= '0' && s->p[1] <= '9')
			s->p++; /* "1979-05-27 07:32:00" */
		else
			break;
	}
	if (s->p == b)
		return fail(s, "expected a value");
	struct sc_tnode *n = node(s, SC_T_RAW);
	n->str = sc_arena_strndup(s->a, b, (size_t)(s->p - b));
	*out = n;
	return SC_OK;
}

static enum sc_status header(struct ps *s, struct sc_tnode *root, struct sc_tnode **cur)
{
	bool aot = s->end - s->p >= 2 && s->p[1] == '[';
	s->p += aot ? 2 : 1;
	const char *parts[32];
	size_t n;
	enum sc_status st = key(s, parts, &n);
	if (st != SC_OK)
		return st;
	if (aot) {
		if (s->end - s->p < 2 || s->p[0] != ']' || s->p[1] != ']')
			return fail(s, "expected `]]`");
		s->p += 2;
	} else {
		if (s->p >= s->end || *s->p != ']')
			return fail(s, "expected `]`");
		s->p++;
	}
	struct sc_tnode *parent;
	if ((st = descend(s, root, parts, n - 1, true, &parent)) != SC_OK)
		return st;
	struct sc_tnode *c = get(parent, parts[n - 1]);
	if (!c && parent->n >= MAX_KEYS)
		return sc_error_set(s->err, SC_ELIMIT, s->path, s->line, 0, "more than %d keys in one table",
				    MAX_KEYS);
	if (aot) {
		if (!c) {
			c = node(s, SC_T_ARRAY);
			c->is_aot = true;
			push(s, parent, parts[n - 1], c);
		} else if (c->type != SC_T_ARRAY || !c->is_aot) {
			return fail(s, "[[array]] redefines a value");
		}
		struct sc_tnode *t = node(s, SC_T_TABLE);
		t->defined = true;
		push(s, c, NULL, t);
		*cur = t;
		return SC_OK;
	}
	if (!c) {
		c = node(s, SC_T_TABLE);
		push(s, parent, parts[n - 1], c);
	} else if (c->type != SC_T_TABLE || c->inline_ || c->defined) {
		return fail(s, "table defined twice");
	}
	c->defined = true;
	*cur = c;
	return SC_OK;
}

enum sc_status sc_toml_parse(const char *path, const char *data, size_t len, struct sc_toml **out,
			     struct sc_error *err)
{
	*out = NULL;
	struct sc_toml *t = sc_xcalloc(1, sizeof(*t));
	t->arena = sc_arena_new();
	struct ps s = {.path = path, .p = data, .end = data + len, .line_start = data, .line = 1,
		       .a = t->arena, .err = err};
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		s.p += 3;
	t->root = node(&s, SC_T_TABLE);
	struct sc_tnode *cur = t->root;
	enum sc_status st = SC_OK;
	if (memchr(data, 0, len)) {
		const char *z = memchr(data, 0, len);
		for (const char *q = data; q < z; q++)
			if (*q == '\n') {
				s.line++;
				s.line_start = q + 1;
			}
		s.p = z;
		st = fail(&s, "NUL byte");
		goto out;
	}
	for (;;) {
		ws(&s, true);
		if (s.p >= s.end)
			break;
		if (*s.p == '[')
			st = header(&s, t->root, &cur);
		else
			st = keyval(&s, cur, 0);
		if (st != SC_OK)
			goto out;
		ws(&s, false);
		if (s.p < s.end && *s.p == '#')
			while (s.p < s.end && *s.p != '\n')
				s.p++;
		if (s.p < s.end && *s.p != '\n') {
			st = fail(&s, "expected the end of the line");
			goto out;
		}
	}
out:
	if (st != SC_OK) {
		sc_toml_free(t);
		return st;
	}
	*out = t;
	return SC_OK;
}

void sc_toml_free(struct sc_toml *t)
{
	if (!t)
		return;
	sc_arena_free(t->arena);
	free(t);
}

const struct sc_tnode *sc_toml_root(const struct sc_toml *t)
{
	return t->root;
}

enum sc_ttype sc_tnode_type(const struct sc_tnode *n)
{
	return n ? n->type : SC_T_NONE;
}

const char *sc_tnode_str(const struct sc_tnode *n)
{
	return n && (n->type == SC_T_STR || n->type == SC_T_RAW) ? n->str : NULL;
}

unsigned sc_tnode_line(const struct sc_tnode *n)
{
	return n ? n->line : 0;
}

size_t sc_tnode_len(const struct sc_tnode *n)
{
	return n && (n->type == SC_T_ARRAY || n->type == SC_T_TABLE) ? n->n : 0;
}

const struct sc_tnode *sc_tarr_at(const struct sc_tnode *n, size_t i)
{
	return n && n->type == SC_T_ARRAY && i < n->n ? n->items[i] : NULL;
}

const char *sc_ttab_key(const struct sc_tnode *n, size_t i)
{
	return n && n->type == SC_T_TABLE && i < n->n ? n->keys[i] : NULL;
}

const struct sc_tnode *sc_ttab_value(const struct sc_tnode *n, size_t i)
{
	return n && n->type == SC_T_TABLE && i < n->n ? n->items[i] : NULL;
}

const struct sc_tnode *sc_ttab_get(const struct sc_tnode *n, const char *key)
{
	return n && n->type == SC_T_TABLE ? get(n, key) : NULL;
}

const char *sc_ttab_str(const struct sc_tnode *n, const char *key)
{
	return sc_tnode_str(sc_ttab_get(n, key));
}

enum sc_status sc_toml_lock_packages(const struct sc_tnode *root, const char *path, const struct sc_tnode **pkgs,
				     struct sc_error *err)
{
	*pkgs = sc_ttab_get(root, "package");
	if (*pkgs && sc_tnode_type(*pkgs) != SC_T_ARRAY)
		return sc_error_set(err, SC_EINPUT, path, sc_tnode_line(*pkgs), 0, "`package` is not an array of tables");
	return SC_OK;
}

enum sc_status sc_toml_lock_package(const struct sc_tnode *pkgs, size_t i, const char *path, bool need_version,
				    const struct sc_tnode **p, struct sc_error *err)
{
	*p = sc_tarr_at(pkgs, i);
	if (sc_tnode_type(*p) != SC_T_TABLE || !sc_ttab_str(*p, "name") || (need_version && !sc_ttab_str(*p, "version")))
		return sc_error_set(err, SC_EINPUT, path, sc_tnode_line(*p), 0,
				    need_version ? "[[package]] without a name and version" : "[[package]] without a name");
	return SC_OK;
}
