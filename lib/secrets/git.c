/* git.c - the secrets scanner's view of git, through libgit2 only (never the git program):
 * lines added in the index against HEAD (pre-commit), lines added since the merge base with a
 * revision (CI), and every blob of the history once, with the commit that first added it. */
#include "shipcheck/sc_secrets.h"
#include "shipcheck/sc_scan.h"

#include "sc_git2.h"
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#define GIT_MAX_BLOB ((git_object_size_t)64 << 20)

static enum sc_status git_fail(struct sc_error *err, const char *dir, const char *what)
{
	const git_error *e = git_error_last();
	return sc_error_set(err, SC_EINPUT, dir, 0, 0, "%s: %s", what, e && e->message ? e->message : "git error");
}

struct added_ctx {
	git_repository *repo;
	bool staged;
	const char *workdir;
	sc_secrets_git_file_cb cb;
	void *ud;
};

static void emit_patch(struct added_ctx *c, git_patch *patch)
{
	const git_diff_delta *d = git_patch_get_delta(patch);
	if (d->status == GIT_DELTA_DELETED || (d->flags & GIT_DIFF_FLAG_BINARY) ||
	    d->new_file.mode == GIT_FILEMODE_LINK || d->new_file.mode == GIT_FILEMODE_COMMIT)
		return;
	char *data = NULL;
	size_t len = 0;
	git_blob *blob = NULL;
	if (!git_oid_is_zero(&d->new_file.id) && git_blob_lookup(&blob, c->repo, &d->new_file.id) == 0) {
		if (git_blob_rawsize(blob) > GIT_MAX_BLOB || git_blob_is_binary(blob)) {
			git_blob_free(blob);
			return;
		}
		len = (size_t)git_blob_rawsize(blob);
		data = sc_xmalloc(len + 1);
		memcpy(data, git_blob_rawcontent(blob), len);
		git_blob_free(blob);
	} else if (c->workdir) {
		char *p = sc_path_join(c->workdir, d->new_file.path);
		struct sc_error e = {0};
		if (sc_read_file(p, (size_t)GIT_MAX_BLOB, &data, &len, &e) != SC_OK) {
			sc_error_clear(&e);
			free(p);
			return;
		}
		free(p);
	} else {
		return;
	}
	/* the mask of added lines */
	size_t nlines = 1;
	for (size_t i = 0; i < len; i++)
		if (data[i] == '\n')
			nlines++;
	unsigned char *mask = sc_xcalloc(nlines, 1);
	size_t nh = git_patch_num_hunks(patch);
	for (size_t h = 0; h < nh; h++) {
		size_t nl = 0;
		if (git_patch_get_hunk(NULL, &nl, patch, h) != 0)
			continue;
		for (size_t l = 0; l < nl; l++) {
			const git_diff_line *line = NULL;
			if (git_patch_get_line_in_hunk(&line, patch, h, l) != 0)
				continue;
			if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0 &&
			    (size_t)line->new_lineno <= nlines)
				mask[line->new_lineno - 1] = 1;
		}
	}
	c->cb(c->ud, d->new_file.path, data, len, mask, nlines);
	free(mask);
	free(data);
}

enum sc_status sc_secrets_git_added(const char *repo_dir, bool staged, const char *since,
				    sc_secrets_git_file_cb cb, void *ud, struct sc_error *err)
{
	if (sc_git2_load(err) != SC_OK)
		return SC_EINTERNAL;
	git_libgit2_init();
	enum sc_status st = SC_OK;
	git_repository *repo = NULL;
	git_object *head = NULL, *rev = NULL;
	git_commit *base_commit = NULL;
	git_tree *base_tree = NULL;
	git_index *index = NULL;
	git_diff *diff = NULL;
	if (git_repository_open_ext(&repo, repo_dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
		st = git_fail(err, repo_dir, "not a git repository");
		goto out;
	}
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT;
	if (staged) {
		opts.flags = 0;
		if (git_revparse_single(&head, repo, "HEAD^{tree}") == 0)
			base_tree = (git_tree *)head, head = NULL;
		if (git_repository_index(&index, repo) != 0) {
			st = git_fail(err, repo_dir, "cannot read the index");
			goto out;
		}
		if (git_diff_tree_to_index(&diff, repo, base_tree, index, &opts) != 0) {
			st = git_fail(err, repo_dir, "cannot diff the index");
			goto out;
		}
	} else {
		git_oid base;
		if (git_revparse_single(&head, repo, "HEAD") != 0) {
			st = git_fail(err, repo_dir, "no HEAD commit");
			goto out;
		}
		if (git_revparse_single(&rev, repo, since) != 0) {
			st = sc_error_set(err, SC_EINPUT, repo_dir, 0, 0, "--since: unknown revision `%s`", since);
			goto out;
		}
		git_object *revc = NULL;
		if (git_object_peel(&revc, rev, GIT_OBJECT_COMMIT) != 0) {
			st = sc_error_set(err, SC_EINPUT, repo_dir, 0, 0, "--since: `%s` is not a commit", since);
			goto out;
		}
		int rc = git_merge_base(&base, repo, git_object_id(head), git_object_id(revc));
		git_object_free(revc);
		if (rc != 0) {
			st = sc_error_set(err, SC_EINPUT, repo_dir, 0, 0, "--since: no merge base between HEAD and `%s`", since);
			goto out;
		}
		if (git_commit_lookup(&base_commit, repo, &base) != 0 || git_commit_tree(&base_tree, base_commit) != 0) {
			st = git_fail(err, repo_dir, "cannot read the merge base");
			goto out;
		}
		if (git_diff_tree_to_workdir_with_index(&diff, repo, base_tree, &opts) != 0) {
			st = git_fail(err, repo_dir, "cannot diff against the merge base");
			goto out;
		}
	}
	struct added_ctx c = {repo, staged, git_repository_workdir(repo), cb, ud};
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		git_patch *patch = NULL;
		if (git_patch_from_diff(&patch, diff, i) != 0 || !patch)
			continue;
		emit_patch(&c, patch);
		git_patch_free(patch);
	}
out:
	git_diff_free(diff);
	git_index_free(index);
	git_tree_free(base_tree);
	git_commit_free(base_commit);
	git_object_free(head);
	git_object_free(rev);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return st;
}

struct hist_ctx {
	git_repository *repo;
	struct sc_map *seen;
	struct sc_arena *arena;
	char commit[GIT_OID_HEXSZ + 1];
	sc_secrets_git_blob_cb cb;
	void *ud;
	size_t blobs;
};

static int on_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	struct hist_ctx *h = payload;
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB || git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK)
		return 0;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(entry));
	if (sc_map_get(h->seen, hex))
		return 0;
	sc_map_put(h->seen, sc_arena_strdup(h->arena, hex), (void *)1);
	git_blob *blob = NULL;
	if (git_blob_lookup(&blob, h->repo, git_tree_entry_id(entry)) != 0)
		return 0; /* a corrupt or missing object: skipped */
	if (git_blob_rawsize(blob) <= GIT_MAX_BLOB && !git_blob_is_binary(blob)) {
		char *path = sc_xasprintf("%s%s", root, git_tree_entry_name(entry));
		h->cb(h->ud, h->commit, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		free(path);
		h->blobs++;
	}
	git_blob_free(blob);
	return 0;
}

struct hist_commit {
	git_oid oid;
	int64_t time;
	size_t *parents; /* indices into the walk's commits; parents outside it (shallow) left out */
	size_t nparents;
	unsigned char state; /* 0 new, 1 on the stack, 2 emitted */
};

static int by_time(const void *a, const void *b, void *arg)
{
	const struct hist_commit *cs = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (cs[i].time != cs[j].time)
		return cs[i].time < cs[j].time ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* The walk's commits oldest first, every commit after its parents (so the first commit that
 * added a blob is the one reported), by commit time where the graph allows: git log --date-order
 * --reverse. Returns a malloc'd array of n indices. */
static size_t *history_order(git_repository *repo, struct hist_commit *cs, size_t n, struct sc_arena *a)
{
	struct sc_map *index = sc_map_new();
	for (size_t i = 0; i < n; i++) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &cs[i].oid);
		sc_map_put(index, sc_arena_strdup(a, hex), (void *)(uintptr_t)(i + 1));
	}
	for (size_t i = 0; i < n; i++) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, repo, &cs[i].oid) != 0)
			continue;
		cs[i].time = git_commit_time(c);
		unsigned np = git_commit_parentcount(c);
		cs[i].parents = sc_arena_alloc(a, (np ? np : 1) * sizeof(size_t));
		for (unsigned k = 0; k < np; k++) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof(hex), git_commit_parent_id(c, k));
			uintptr_t v = (uintptr_t)sc_map_get(index, hex);
			if (v)
				cs[i].parents[cs[i].nparents++] = v - 1;
		}
		git_commit_free(c);
	}
	sc_map_free(index);
	size_t *by = sc_xmalloc((n ? n : 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		by[i] = i;
	qsort_r(by, n, sizeof(size_t), by_time, cs);
	size_t *out = sc_xmalloc((n ? n : 1) * sizeof(size_t));
	size_t *stack = sc_xmalloc((n ? n : 1) * sizeof(size_t));
	size_t nout = 0;
	for (size_t k = 0; k < n; k++) {
		if (cs[by[k]].state)
			continue;
		size_t top = 0;
		stack[top++] = by[k];
		cs[by[k]].state = 1;
		while (top) {
			struct hist_commit *c = &cs[stack[top - 1]];
			size_t next = SIZE_MAX;
			for (size_t p = 0; p < c->nparents && next == SIZE_MAX; p++)
				if (!cs[c->parents[p]].state) /* on the stack already: a cycle, impossible in git */
					next = c->parents[p];
			if (next != SIZE_MAX) {
				cs[next].state = 1;
				stack[top++] = next;
				continue;
			}
			c->state = 2;
			out[nout++] = stack[--top];
		}
	}
	free(stack);
	free(by);
	return out;
}

enum sc_status sc_secrets_git_history(const char *repo_dir, sc_secrets_git_blob_cb cb, void *ud,
				      struct sc_error *err)
{
	if (sc_git2_load(err) != SC_OK)
		return SC_EINTERNAL;
	git_libgit2_init();
	enum sc_status st = SC_OK;
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	struct hist_ctx h = {0};
	h.seen = sc_map_new();
	h.arena = sc_arena_new();
	h.cb = cb;
	h.ud = ud;
	if (git_repository_open_ext(&repo, repo_dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
		st = git_fail(err, repo_dir, "not a git repository");
		goto out;
	}
	h.repo = repo;
	if (git_revwalk_new(&walk, repo) != 0) {
		st = git_fail(err, repo_dir, "cannot walk the history");
		goto out;
	}
	/* Unsorted: libgit2 1.5's sorted walks (limit_list) lose a commit-list node when commits share
	 * a commit time; the oldest-first order is made here instead (history_order). */
	git_revwalk_sorting(walk, GIT_SORT_NONE);
	if (git_revwalk_push_head(walk) != 0 && git_revwalk_push_glob(walk, "refs/heads/*") != 0) {
		st = git_fail(err, repo_dir, "no commits");
		goto out;
	}
	git_revwalk_push_glob(walk, "refs/heads/*");
	git_revwalk_push_glob(walk, "refs/tags/*");
	struct hist_commit *cs = NULL;
	size_t n = 0, cap = 0;
	git_oid oid;
	int rc;
	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			cs = sc_xrealloc(cs, cap * sizeof(*cs));
		}
		cs[n++] = (struct hist_commit){.oid = oid};
	}
	if (rc == GIT_ITEROVER) {
		size_t *order = history_order(repo, cs, n, h.arena);
		for (size_t k = 0; k < n; k++) {
			const git_oid *id = &cs[order[k]].oid;
			git_commit *c = NULL;
			git_tree *t = NULL;
			if (git_commit_lookup(&c, repo, id) != 0 || git_commit_tree(&t, c) != 0) {
				git_commit_free(c);
				continue; /* corrupt commit: skipped */
			}
			git_oid_tostr(h.commit, sizeof(h.commit), id);
			git_tree_walk(t, GIT_TREEWALK_PRE, on_entry, &h);
			git_tree_free(t);
			git_commit_free(c);
		}
		free(order);
	}
	free(cs);
	if (rc != GIT_ITEROVER)
		st = git_fail(err, repo_dir, "cannot walk the history");
out:
	git_revwalk_free(walk);
	git_repository_free(repo);
	sc_map_free(h.seen);
	sc_arena_free(h.arena);
	git_libgit2_shutdown();
	return st;
}

static bool ignored(git_repository *repo, const char *p)
{
	int ig = 0;
	return git_ignore_path_is_ignored(&ig, repo, p) == 0 && ig;
}

/* Is path inside dir ("build/"; NULL: none)? */
static bool under(const char *path, const char *dir)
{
	return dir && !strncmp(path, dir, strlen(dir));
}

/* The outermost directory of path (relative to the scan's root, which is sub in the work tree)
 * that holds no tracked file, left in *d as a work-tree path: its length in path with the '/',
 * 0 when every directory of path holds one. */
static size_t untracked_dir(git_index *idx, struct sc_strbuf *d, const char *sub, const char *path)
{
	for (const char *sl = strchr(path, '/'); sl; sl = strchr(sl + 1, '/')) {
		size_t dl = (size_t)(sl - path) + 1, pos;
		sc_strbuf_reset(d);
		if (sc_strbuf_printf(d, "%s%.*s", sub, (int)dl, path) != SC_OK)
			return 0;
		if (git_index_find_prefix(&pos, idx, sc_strbuf_str(d)) != 0)
			return dl;
	}
	return 0;
}

/* Is there a .git (a directory, or a worktree's file) in dir or above it? dir is changed. */
static bool below_git(char *dir)
{
	for (;;) {
		size_t n = strlen(dir);
		struct stat sb;
		char probe[PATH_MAX + 8];
		snprintf(probe, sizeof(probe), "%s%s.git", dir, n && dir[n - 1] == '/' ? "" : "/");
		if (lstat(probe, &sb) == 0)
			return true;
		char *sl = strrchr(dir, '/');
		if (!sl || sl == dir)
			return n > 1 && lstat("/.git", &sb) == 0;
		*sl = '\0';
	}
}

size_t sc_secrets_git_ignored(const char *root, const struct sc_ptrvec *files, unsigned char *skip,
			      struct sc_error *err)
{
	char real[PATH_MAX], up[PATH_MAX];
	/* outside a work tree, libgit2 is not even loaded */
	if (!files->len || !realpath(root, real))
		return 0;
	snprintf(up, sizeof(up), "%s", real);
	if (!below_git(up) || sc_git2_load(err) != SC_OK)
		return 0;
	git_libgit2_init();
	git_repository *repo = NULL;
	git_index *idx = NULL;
	size_t n = 0;
	const char *wd;
	if (git_repository_open_ext(&repo, real, 0, NULL) != 0 ||
	    !(wd = git_repository_workdir(repo)) || git_repository_index(&idx, repo) != 0)
		goto out;
	/* root's path inside the work tree: "" or "services/api/" */
	size_t wl = strlen(wd), rl = strlen(real);
	char sub[PATH_MAX];
	if (!wl || wd[wl - 1] != '/' || rl + 1 < wl || strncmp(real, wd, wl - 1) || (rl >= wl && real[wl - 1] != '/'))
		goto out;
	snprintf(sub, sizeof(sub), "%s%s", rl >= wl ? real + wl : "", rl >= wl ? "/" : "");
	/* a directory the user named is scanned even when the work tree around it ignores it
	 * (a checkout under another repository's ignored build/ or .cache/) */
	if (*sub && ignored(repo, sub))
		goto out;
	struct sc_strbuf p, d; /* a file's and a directory's path in the work tree */
	sc_strbuf_init(&p, 2 * PATH_MAX);
	sc_strbuf_init(&d, 2 * PATH_MAX);
	/* A tracked file is scanned whatever the rules say: most files are found in the index, in
	 * memory. An untracked one is judged by its outermost untracked directory, once for all the
	 * files below it (files are sorted by path), then by itself. */
	char *ign_dir = NULL;   /* the last untracked directory found ignored, relative to root */
	char *unign_dir = NULL; /* the last untracked directory found not ignored */
	for (size_t i = 0; i < files->len; i++) {
		const char *path = ((const struct sc_file *)files->items[i])->path;
		if (under(path, ign_dir)) {
			skip[i] = 1, n++;
			continue;
		}
		sc_strbuf_reset(&p);
		if (sc_strbuf_printf(&p, "%s%s", sub, path) != SC_OK || git_index_get_bypath(idx, sc_strbuf_str(&p), 0))
			continue; /* tracked (or a path too long to judge) */
		if (!under(path, unign_dir)) {
			size_t dl = untracked_dir(idx, &d, sub, path);
			if (dl) {
				char **memo = ignored(repo, sc_strbuf_str(&d)) ? &ign_dir : &unign_dir;
				free(*memo);
				*memo = sc_xstrndup(path, dl);
			}
		}
		if (under(path, ign_dir) || ignored(repo, sc_strbuf_str(&p)))
			skip[i] = 1, n++;
	}
	free(ign_dir);
	free(unign_dir);
	sc_strbuf_free(&p);
	sc_strbuf_free(&d);
out:
	git_index_free(idx);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return n;
}
