/* pylock.c - shared by the poetry.lock and uv.lock extractors: roots (direct and dev
 * dependencies) from the pyproject.toml beside the lockfile. */
#include "pylock.h"
#include "toml.h"

#include <stdlib.h>
#include <string.h>

static void root_name(struct sc_depgraph *g, struct sc_arena *a, const char *name, size_t n, bool dev,
		      bool *any)
{
	char *raw = sc_xstrndup(name, n);
	const char *norm = sc_extract_pep503(a, raw);
	free(raw);
	if (!strcmp(norm, "python"))
		return;
	long i = sc_depgraph_find(g, norm);
	if (i >= 0) {
		sc_depgraph_root(g, (size_t)i, dev);
		*any = true;
	}
}

static void table_keys(struct sc_depgraph *g, struct sc_arena *a, const struct sc_tnode *t, bool dev,
		       bool *any)
{
	for (size_t i = 0; i < sc_tnode_len(t); i++) {
		const char *k = sc_ttab_key(t, i);
		if (k)
			root_name(g, a, k, strlen(k), dev, any);
	}
}

/* PEP 508 strings: "requests[security]>=2.0; python_version<'3.8'" */
static void pep508_list(struct sc_depgraph *g, struct sc_arena *a, const struct sc_tnode *arr, bool dev,
			bool *any)
{
	for (size_t i = 0; i < sc_tnode_len(arr); i++) {
		const char *s = sc_tnode_str(sc_tarr_at(arr, i));
		if (!s)
			continue;
		while (*s == ' ')
			s++;
		size_t n = 0;
		while (s[n] && (s[n] == '-' || s[n] == '_' || s[n] == '.' || (s[n] >= 'a' && s[n] <= 'z') ||
				(s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9')))
			n++;
		if (n)
			root_name(g, a, s, n, dev, any);
	}
}

bool sc_pylock_roots_from_pyproject(const struct sc_extract_input *in, struct sc_depgraph *g,
				    struct sc_arena *a)
{
	if (!in->fs)
		return false;
	char *dir = sc_path_dir(in->path);
	char *path = sc_path_join(dir, "pyproject.toml");
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	struct sc_toml *t = NULL;
	bool any = false;
	if (!sc_fs_find(in->fs, path) || sc_fs_read(in->fs, path, 4u << 20, &data, &len, &err) != SC_OK ||
	    sc_toml_parse(path, data, len, &t, &err) != SC_OK)
		goto out;
	const struct sc_tnode *root = sc_toml_root(t);
	const struct sc_tnode *poetry = sc_ttab_get(sc_ttab_get(root, "tool"), "poetry");
	table_keys(g, a, sc_ttab_get(poetry, "dependencies"), false, &any);
	table_keys(g, a, sc_ttab_get(poetry, "dev-dependencies"), true, &any);
	const struct sc_tnode *groups = sc_ttab_get(poetry, "group");
	for (size_t i = 0; i < sc_tnode_len(groups); i++)
		table_keys(g, a, sc_ttab_get(sc_ttab_value(groups, i), "dependencies"), true, &any);
	const struct sc_tnode *project = sc_ttab_get(root, "project");
	pep508_list(g, a, sc_ttab_get(project, "dependencies"), false, &any);
	const struct sc_tnode *opt = sc_ttab_get(project, "optional-dependencies");
	for (size_t i = 0; i < sc_tnode_len(opt); i++)
		pep508_list(g, a, sc_ttab_value(opt, i), false, &any);
	const struct sc_tnode *dg = sc_ttab_get(root, "dependency-groups");
	for (size_t i = 0; i < sc_tnode_len(dg); i++)
		pep508_list(g, a, sc_ttab_value(dg, i), true, &any);
	const struct sc_tnode *uvdev = sc_ttab_get(sc_ttab_get(sc_ttab_get(root, "tool"), "uv"), "dev-dependencies");
	pep508_list(g, a, uvdev, true, &any);
out:
	sc_error_clear(&err);
	sc_toml_free(t);
	free(data);
	free(path);
	free(dir);
	return any;
}
