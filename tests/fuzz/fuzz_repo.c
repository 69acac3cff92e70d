/* fuzz_repo.c - libFuzzer target: shipcheck's repository mode on a whole tree, the part that the
 * per-format targets do not reach because it needs other files: the extractors run through the
 * tree (requirements -r/-c includes and their cycles, composer.json beside composer.lock, go.sum
 * beside go.mod, node_modules beside package-lock.json, npm workspaces), then every check that
 * runs on a repository, without a vulnerability DB: Dockerfiles found by name, Compose files'
 * `build:` sections, the build-context inference, .dockerignore files, the secrets check's path
 * classification and the repository's .secrets.baseline, the dependency check's warnings.
 *
 * The input is a tree of files: each record starts with a line "=== PATH" and its content runs to
 * the next such line (text before the first record is ignored). It is served from memory by a
 * struct sc_fs like the one sc_fs_open_dir makes: regular files sorted by path, first record of a
 * path wins; "=== PATH -> TARGET" makes a symlink. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shipcheck/sc_finding.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem_file {
	struct sc_file f;
	const char *data;
	size_t len;
};

static enum sc_status mem_read(const struct sc_fs *fs, const char *path, uint64_t limit, char **data,
			       size_t *len, struct sc_error *err)
{
	const struct mem_file *m = (const struct mem_file *)sc_fs_find(fs, path);
	if (!m || !S_ISREG(m->f.mode))
		return sc_error_set(err, SC_EINPUT, path, 0, 0, "no such file");
	if (m->len > limit)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "file larger than %llu bytes",
				    (unsigned long long)limit);
	*data = malloc(m->len + 1);
	if (!*data)
		return sc_error_set(err, SC_EINTERNAL, path, 0, 0, "out of memory");
	memcpy(*data, m->data, m->len);
	(*data)[m->len] = '\0';
	*len = m->len;
	return SC_OK;
}

static int cmp_path(const void *a, const void *b)
{
	const struct sc_file *x = *(const struct sc_file *const *)a, *y = *(const struct sc_file *const *)b;
	return strcmp(x->path, y->path);
}

/* A path as the walk gives it: relative, '/'-separated, no empty, "." or ".." part, no ".git" part
 * (the walk does not enter .git directories; a submodule's .git file at the end is kept). */
static bool walk_path(const char *p)
{
	if (!*p || strlen(p) > 1024)
		return false;
	for (const char *s = p;;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (!n || (n == 1 && s[0] == '.') || (n == 2 && !memcmp(s, "..", 2)) ||
		    (e && n == 4 && !memcmp(s, ".git", 4)))
			return false;
		if (!e)
			return true;
		s = e + 1;
	}
}

static struct sc_fs *mem_fs(const char *buf, size_t size)
{
	struct sc_fs *fs = calloc(1, sizeof(*fs));
	if (!fs)
		return NULL;
	fs->arena = sc_arena_new();
	fs->read = mem_read;
	const char *end = buf + size, *p = buf;
	/* find the first record */
	while (p < end && !(end - p >= 4 && !memcmp(p, "=== ", 4) && (p == buf || p[-1] == '\n'))) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	while (p < end && fs->files.len < 256) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *hend = nl ? nl : end;
		char *path = sc_arena_strndup(fs->arena, p + 4, (size_t)(hend - p - 4));
		char *arrow = strstr(path, " -> ");
		const char *target = NULL;
		if (arrow) {
			*arrow = '\0';
			target = arrow + 4;
		}
		const char *body = nl ? nl + 1 : end, *q = body;
		while (q < end && !(end - q >= 4 && !memcmp(q, "=== ", 4) && q[-1] == '\n')) {
			const char *n2 = memchr(q, '\n', (size_t)(end - q));
			q = n2 ? n2 + 1 : end;
		}
		bool dup = false;
		for (size_t i = 0; i < fs->files.len && !dup; i++)
			dup = !strcmp(((const struct sc_file *)fs->files.items[i])->path, path);
		if (!dup && walk_path(path)) {
			struct mem_file *m = sc_arena_alloc(fs->arena, sizeof(*m));
			memset(m, 0, sizeof(*m));
			m->f.path = path;
			m->f.mode = (target ? S_IFLNK : S_IFREG) | 0644;
			m->f.link_target = target;
			m->data = body;
			m->len = (size_t)(q - body);
			m->f.size = m->len;
			sc_ptrvec_push(&fs->files, m);
		}
		p = q;
	}
	sc_ptrvec_sort(&fs->files, cmp_path);
	return fs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the records' paths are C strings: a NUL inside one ends it */
	struct sc_fs *fs = mem_fs((const char *)data, size);
	if (!fs)
		return 0;
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.limits.max_file_size = 1u << 20;
	o.no_db = true;
	o.quiet = true;
	struct sc_inventory *inv = sc_inventory_new();
	sc_extract_fs(fs, &o.limits, inv, SC_EXTRACT_REPO);
	struct sc_result *r = sc_result_new();
	static struct sc_policy *policy; /* the default policy, as without a .shipcheck.yml */
	if (!policy)
		policy = sc_policy_new_default();
	struct sc_scan_ctx ctx = {.opts = &o, .policy = policy, .result = r, .repo = fs, .repo_inv = inv};
	for (size_t i = 0; i < sc_check_count(); i++) {
		const struct sc_check *c = sc_check_at(i);
		if (!(c->flags & SC_CHECK_REPO))
			continue;
		struct sc_error err = {0};
		(void)c->run(&ctx, &err);
		sc_error_clear(&err);
	}
	/* every finding is located in a file of the tree */
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (f->loc.path && !sc_fs_find(fs, f->loc.path))
			abort();
	}
	sc_result_free(r);
	sc_inventory_free(inv);
	sc_fs_free(fs);
	return 0;
}
