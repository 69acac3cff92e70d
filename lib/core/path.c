/* path.c - '/'-separated path helpers and gitignore-style glob matching. */
#include "shipcheck/sc_core.h"

#include <stdlib.h>
#include <string.h>

/* A character class at p ('['): whether c is in it; *end is set after its ']', or to NULL when the
 * class has no ']' (then nothing matches it). */
static bool class_match(const char *p, char c, const char **end)
{
	p++; /* after '[' */
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
	*end = *p == ']' ? p + 1 : NULL;
	return ok != neg;
}

/* The pattern is read once, left to right, with the set of path prefixes that the pattern read so
 * far matches (cur[j]: the first j bytes; all false outside [lo, hi]): time is O(pattern x path)
 * whatever the stars, where backtracking is exponential on patterns such as `*a*a*a*a*b` or a run
 * of stars, which a hostile .dockerignore or lockfile can hold. */
bool sc_glob_match(const char *pattern, const char *path)
{
	/* a literal start is compared as it is: most patterns fail there */
	while (*pattern && !strchr("*?[\\", *pattern)) {
		if (*pattern++ != *path++)
			return false;
	}
	size_t n = strlen(path);
	bool small[2 * 1025], *heap = NULL, *cur = small, *next;
	if (n + 1 > 1025) {
		heap = calloc(2, n + 1);
		if (!heap)
			return false;
		cur = heap;
		next = heap + n + 1;
	} else {
		next = small + 1025;
		memset(cur, 0, n + 1);
		memset(next, 0, n + 1);
	}
	cur[0] = true;
	size_t lo = 0, hi = 0;
	const char *p = pattern;
	bool alive = true;
	while (*p && alive) {
		size_t nlo = SIZE_MAX, nhi = 0;
#define SET(j) (next[j] = true, nlo = (j) < nlo ? (j) : nlo, nhi = (j) > nhi ? (j) : nhi)
		if (p[0] == '*' && p[1] == '*') {
			if (p[2] == '/') {
				/* "**" + "/": zero directories, or anything up to a '/' */
				for (size_t j = lo; j <= n; j++)
					if ((j <= hi && cur[j]) || (j > lo && path[j - 1] == '/'))
						SET(j);
				p += 3;
			} else {
				for (size_t j = lo; j <= n; j++)
					SET(j);
				p += 2;
			}
		} else if (*p == '*') {
			bool on = false;
			for (size_t j = lo; j <= n && (on || j <= hi); j++) {
				if (j > lo && path[j - 1] == '/')
					on = false;
				if (j <= hi && cur[j])
					on = true;
				if (on)
					SET(j);
			}
			p++;
		} else {
			/* one character: '?', a class or a literal (a backslash escapes the next one) */
			const char *after = p + 1;
			char lit = *p;
			if (*p == '[') {
				class_match(p, 0, &after);
				if (!after)
					break; /* malformed: matches nothing */
			} else if (*p == '\\' && p[1]) {
				lit = p[1];
				after = p + 2;
			}
			for (size_t j = lo; j <= hi && j < n; j++) {
				if (!cur[j])
					continue;
				char c = path[j];
				const char *e;
				bool ok = *p == '?' ? c != '/' : *p == '[' ? c != '/' && class_match(p, c, &e) : c == lit;
				if (ok)
					SET(j + 1);
			}
			p = after;
		}
#undef SET
		memset(cur + lo, 0, hi - lo + 1);
		bool *t = cur;
		cur = next;
		next = t;
		alive = nlo != SIZE_MAX;
		lo = alive ? nlo : 0;
		hi = alive ? nhi : 0;
	}
	bool m = alive && !*p && cur[n]; /* (cur is false outside [lo, hi]) */
	free(heap);
	return m;
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
	/* Components are copied one by one; ".." pops the last one copied (back to the '/' before it),
	 * and escaping the root fails. No limit on the depth: 2,000 levels are a deep path, not one
	 * that leaves the root. */
	size_t o = 0;
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
			if (!o)
				return false;
			const char *slash = memrchr(out, '/', o);
			o = slash ? (size_t)(slash - out) : 0;
		} else {
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
