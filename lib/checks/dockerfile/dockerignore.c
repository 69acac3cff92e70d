/* dockerignore.c - .dockerignore parsing and Docker's (moby/patternmatcher) exclusion semantics. */
#include "dockerignore.h"

#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

void sc_dockerignore_parse(struct sc_dockerignore *di, const char *data, size_t len)
{
	memset(di, 0, sizeof(*di));
	size_t pos = 0;
	unsigned lineno = 0;
	if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
	    (unsigned char)data[2] == 0xBF)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		lineno++;
		char *line = sc_xstrndup(data + pos, n);
		pos += n + (nl ? 1 : 0);
		char *t = trim(line);
		if (!*t || *t == '#') {
			free(line);
			continue;
		}
		bool neg = false;
		if (*t == '!') {
			neg = true;
			t = trim(t + 1);
		}
		/* Docker cleans the pattern (filepath.Clean) and strips a leading '/'. */
		char clean[4096];
		if (!sc_path_clean(t, clean, sizeof(clean)) || !*clean) {
			free(line);
			continue;
		}
		if (di->n == di->cap) {
			di->cap = di->cap ? di->cap * 2 : 16;
			di->pats = sc_xrealloc(di->pats, di->cap * sizeof(*di->pats));
		}
		di->pats[di->n].pattern = sc_xstrdup(clean);
		di->pats[di->n].negated = neg;
		di->pats[di->n].line = lineno;
		di->n++;
		free(line);
	}
}

void sc_dockerignore_free(struct sc_dockerignore *di)
{
	for (size_t i = 0; i < di->n; i++)
		free(di->pats[i].pattern);
	free(di->pats);
	memset(di, 0, sizeof(*di));
}

/* A pattern matches a path when it matches the path itself or one of its parent directories. */
static bool matches_or_parent(const char *pattern, const char *path)
{
	if (sc_glob_match(pattern, path))
		return true;
	char buf[4096];
	size_t n = strlen(path);
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, path, n + 1);
	for (char *s = strrchr(buf, '/'); s; s = strrchr(buf, '/')) {
		*s = '\0';
		if (sc_glob_match(pattern, buf))
			return true;
	}
	return false;
}

bool sc_dockerignore_excluded(const struct sc_dockerignore *di, const char *path, unsigned *decided_by)
{
	bool excluded = false;
	if (decided_by)
		*decided_by = 0;
	for (size_t i = 0; i < di->n; i++) {
		if (matches_or_parent(di->pats[i].pattern, path)) {
			excluded = !di->pats[i].negated;
			if (decided_by)
				*decided_by = di->pats[i].line;
		}
	}
	return excluded;
}
