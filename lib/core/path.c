/* path.c - '/'-separated path helpers and gitignore-style glob matching. */
#include "shipcheck/sc_core.h"

#include <stdlib.h>
#include <string.h>

/* Iterative matcher with backtracking for '*' and '**'. Character classes [...] supported. */
static bool class_match(const char **pp, char c)
{
	const char *p = *pp + 1; /* after '[' */
	bool neg = false, ok = false;
	if (*p == '!' || *p == '^') {
		neg = true;
		p++;
	}
	const char *start = p;
	while (*p && (*p != ']' || p == start)) {
		char lo = *p, hi = *p;
		if (*p == '\\' && p[1])
			lo = hi = *++p;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			if (hi == '\\' && p[3])
				hi = p[3], p++;
			p += 2;
		}
		if (c >= lo && c <= hi)
			ok = true;
		p++;
	}
	if (*p != ']')
		return false; /* malformed: treat as no match */
	*pp = p + 1;
	return ok != neg;
}

static bool match_here(const char *p, const char *s)
{
	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			/* '**' matches across '/'. "**" + "/" also matches zero directories. */
			const char *rest = p + 2;
			if (*rest == '/') {
				if (match_here(rest + 1, s))
					return true;
			}
			for (const char *t = s;; t++) {
				if (match_here(rest, t))
					return true;
				if (!*t)
					return false;
			}
		}
		if (*p == '*') {
			const char *rest = p + 1;
			for (const char *t = s;; t++) {
				if (match_here(rest, t))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		}
		if (!*s)
			return false;
		if (*p == '?') {
			if (*s == '/')
				return false;
			p++;
			s++;
			continue;
		}
		if (*p == '[') {
			if (*s == '/' || !class_match(&p, *s))
				return false;
			s++;
			continue;
		}
		if (*p == '\\' && p[1])
			p++;
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *s == '\0';
}

bool sc_glob_match(const char *pattern, const char *path)
{
	return match_here(pattern, path);
}

char *sc_path_join(const char *a, const char *b)
{
	if (!a || !*a)
		return sc_xstrdup(b);
	size_t la = strlen(a);
	while (*b == '/')
		b++;
	if (a[la - 1] == '/')
		return sc_xasprintf("%s%s", a, b);
	return sc_xasprintf("%s/%s", a, b);
}

bool sc_path_clean(const char *in, char *out, size_t outsz)
{
	/* Components are copied one by one; ".." pops, and escaping the root fails. */
	size_t o = 0;
	size_t stack[256];
	size_t depth = 0;
	const char *p = in;
	if (!outsz)
		return false;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!depth)
				return false;
			o = stack[--depth];
		} else {
			if (depth == sizeof(stack) / sizeof(stack[0]))
				return false;
			stack[depth++] = o;
			size_t need = (o ? 1 : 0) + n;
			if (o + need + 1 > outsz)
				return false;
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	out[o] = '\0';
	return true;
}

char *sc_path_dir(const char *path)
{
	const char *b = sc_path_base(path);
	return sc_xstrndup(path, b > path ? (size_t)(b - path - 1) : 0);
}

const char *sc_path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

bool sc_str_has_suffix(const char *s, const char *suffix)
{
	if (!s)
		return false;
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}
