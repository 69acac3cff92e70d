/* go_mod.c - extractor for Go modules' go.mod: `require` lines and blocks (`// indirect` marks a
 * transitive module), `replace` directives (a module replaced by a local path cannot be checked;
 * one replaced by another module@version is reported as that module), `exclude` ignored. go.sum is
 * only checked for presence: without it the versions were never verified by `go mod`. */
#include "extract.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE (1u << 16)

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_extract_base_is(path, "go.mod") && !sc_extract_vendored(path);
}

/* Next whitespace-separated token of line (quoted "..." allowed); NULL at end or at a comment. */
static char *token(struct sc_arena *a, const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	if (*p >= end || (end - *p >= 2 && (*p)[0] == '/' && (*p)[1] == '/'))
		return NULL;
	const char *b = *p;
	if (**p == '"' || **p == '`') {
		char q = **p;
		(*p)++;
		b = *p;
		while (*p < end && **p != q)
			(*p)++;
		char *t = sc_arena_strndup(a, b, (size_t)(*p - b));
		if (*p < end)
			(*p)++;
		return t;
	}
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	return sc_arena_strndup(a, b, (size_t)(*p - b));
}

struct modreq {
	const char *path, *version;
	unsigned line;
	bool indirect;
};

struct repl {
	const char *old_path, *old_version, *new_path, *new_version;
};

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	struct sc_arena *a = inv->arena;
	const char *p = (const char *)in->data, *end = p + in->len;
	unsigned lineno = 0;
	const char *block = NULL; /* "require", "replace", ... inside ( ) */
	struct modreq *reqs = NULL;
	size_t nreq = 0, capreq = 0;
	struct repl *reps = NULL;
	size_t nrep = 0, caprep = 0;
	enum sc_status st = SC_OK;
	bool have_module = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *lp = p;
		p = nl ? nl + 1 : end;
		lineno++;
		if ((size_t)(le - lp) > MAX_LINE) {
			st = sc_error_set(err, SC_ELIMIT, in->path, lineno, 1, "line longer than %u bytes", MAX_LINE);
			goto out;
		}
		if (memchr(lp, 0, (size_t)(le - lp))) {
			st = sc_error_set(err, SC_EINPUT, in->path, lineno, 1, "NUL byte");
			goto out;
		}
		while (le > lp && (le[-1] == '\r' || le[-1] == ' ' || le[-1] == '\t'))
			le--;
		bool indirect = false;
		for (const char *c = lp; c + 1 < le; c++)
			if (c[0] == '/' && c[1] == '/') {
				const char *r = c + 2;
				while (r < le && *r == ' ')
					r++;
				indirect = (size_t)(le - r) >= 8 && !strncmp(r, "indirect", 8);
				break;
			}
		const char *cur = lp;
		char *verb = NULL;
		if (block) {
			const char *q = cur;
			char *t = token(a, &q, le);
			if (!t) /* a blank line or a comment inside the block */
				continue;
			if (!strcmp(t, ")")) {
				block = NULL;
				continue;
			}
			verb = (char *)block;
		} else {
			verb = token(a, &cur, le);
			if (!verb)
				continue;
			const char *q = cur;
			char *t = token(a, &q, le);
			if (t && !strcmp(t, "(")) {
				if (strcmp(verb, "require") && strcmp(verb, "replace") && strcmp(verb, "exclude") &&
				    strcmp(verb, "retract") && strcmp(verb, "godebug") && strcmp(verb, "tool") &&
				    strcmp(verb, "ignore")) {
					st = sc_error_set(err, SC_EINPUT, in->path, lineno, 1,
							  "unknown block `%s (`", verb);
					goto out;
				}
				block = verb;
				continue;
			}
		}
		if (!strcmp(verb, "module")) {
			have_module = token(a, &cur, le) != NULL;
		} else if (!strcmp(verb, "require")) {
			char *mp = token(a, &cur, le), *mv = token(a, &cur, le);
			if (!mp || !mv || mv[0] != 'v') {
				st = sc_error_set(err, SC_EINPUT, in->path, lineno, 1,
						  "expected `require MODULE vVERSION`");
				goto out;
			}
			if (nreq == capreq) {
				capreq = capreq ? capreq * 2 : 32;
				reqs = sc_xrealloc(reqs, capreq * sizeof(*reqs));
			}
			reqs[nreq++] = (struct modreq){mp, mv, lineno, indirect};
		} else if (!strcmp(verb, "replace")) {
			char *op = token(a, &cur, le), *t = token(a, &cur, le);
			char *ov = NULL;
			if (t && strcmp(t, "=>")) {
				ov = t;
				t = token(a, &cur, le);
			}
			char *np = t ? token(a, &cur, le) : NULL, *nv = np ? token(a, &cur, le) : NULL;
			if (!op || !t || strcmp(t, "=>") || !np) {
				st = sc_error_set(err, SC_EINPUT, in->path, lineno, 1,
						  "expected `replace MODULE [VERSION] => TARGET [VERSION]`");
				goto out;
			}
			if (nrep == caprep) {
				caprep = caprep ? caprep * 2 : 8;
				reps = sc_xrealloc(reps, caprep * sizeof(*reps));
			}
			reps[nrep++] = (struct repl){op, ov, np, nv};
		}
		/* go, toolchain, exclude, retract, godebug, tool: nothing to report */
	}
	if (block) {
		st = sc_error_set(err, SC_EINPUT, in->path, lineno, 0, "unterminated `%s (` block", block);
		goto out;
	}
	if (!have_module && nreq) {
		st = sc_error_set(err, SC_EINPUT, in->path, 1, 1, "no `module` line: not a go.mod file");
		goto out;
	}
	if (nreq && in->fs) {
		char *dir = sc_path_dir(in->path);
		char *sum = sc_path_join(dir, "go.sum");
		if (!sc_fs_find(in->fs, sum))
			sc_inventory_warn(inv, in->path, 0, 0,
					  "go-mod: no go.sum beside it: module versions are unverified (run `go mod tidy`)");
		free(sum);
		free(dir);
	}
	/* the replacements of each module, last first (the last matching one wins): a map and a chain,
	 * not a scan of every replace for every require (100,000 of each took 15 s) */
	struct sc_map *last_rep = sc_map_new();
	size_t *prev_rep = sc_xmalloc((nrep ? nrep : 1) * sizeof(*prev_rep));
	for (size_t k = 0; k < nrep; k++) {
		void *prev = sc_map_put(last_rep, reps[k].old_path, (void *)(uintptr_t)(k + 1));
		prev_rep[k] = (size_t)(uintptr_t)prev; /* index + 1, 0 = none */
	}
	for (size_t i = 0; i < nreq; i++) {
		struct sc_package pk = {.ecosystem = "Go", .path = in->path, .line = reqs[i].line};
		pk.name = reqs[i].path;
		pk.version = reqs[i].version;
		pk.flags = reqs[i].indirect ? SC_PKG_TRANSITIVE : SC_PKG_DIRECT;
		for (size_t k1 = (size_t)(uintptr_t)sc_map_get(last_rep, pk.name); k1; k1 = prev_rep[k1 - 1]) {
			size_t k = k1 - 1;
			if (reps[k].old_version && strcmp(reps[k].old_version, pk.version))
				continue;
			if (!reps[k].new_version) { /* a local directory */
				pk.flags |= SC_PKG_UNPINNED;
				pk.spec = sc_arena_printf(a, "replaced by %s", reps[k].new_path);
			} else {
				pk.name = reps[k].new_path;
				pk.version = reps[k].new_version;
			}
			break;
		}
		pk.purl = sc_extract_purl(a, "golang", pk.name, pk.version);
		sc_inventory_add(inv, &pk);
	}
	sc_map_free(last_rep);
	free(prev_rep);
out:
	free(reqs);
	free(reps);
	return st;
}

const struct sc_extractor sc_extractor_go_mod = {
	.targets = SC_EXTRACT_REPO,
	.name = "go-mod",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
