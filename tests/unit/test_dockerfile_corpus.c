/* test_dockerfile_corpus.c - every file of ../shared/dockerfiles/corpus (1,031 real Dockerfiles)
 * parses; its instruction count matches an independent line-based counter written here; and each
 * parse re-serialises to text that parses to the same instructions. */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shipcheck/sc_dockerfile.h"

/* ---- an independent counter: lines, comments, continuations, heredocs, the escape directive ---- */

struct lines {
	char **l;
	size_t n;
};

static void split_lines(const char *data, size_t len, struct lines *out)
{
	out->l = NULL;
	out->n = 0;
	size_t cap = 0, i = 0;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len) {
		size_t e = i;
		while (e < len && data[e] != '\n')
			e++;
		size_t m = e;
		if (m > i && data[m - 1] == '\r')
			m--;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->l = realloc(out->l, cap * sizeof(*out->l));
		}
		out->l[out->n++] = sc_xstrndup(data + i, m - i);
		i = e + 1;
	}
}

static const char *lstrip(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool blank(const char *s)
{
	return !*lstrip(s);
}

static bool comment(const char *s)
{
	return *lstrip(s) == '#';
}

/* Heredoc delimiters named on a logical line of RUN/COPY/ADD (also after ONBUILD). */
static size_t heredocs(const char *line, char delims[8][64], bool strip[8])
{
	char buf[65536];
	snprintf(buf, sizeof(buf), "%s", line);
	char *save = NULL;
	char *w = strtok_r(buf, " \t", &save);
	if (w && !strcasecmp(w, "ONBUILD"))
		w = strtok_r(NULL, " \t", &save);
	if (!w || (strcasecmp(w, "RUN") && strcasecmp(w, "COPY") && strcasecmp(w, "ADD")))
		return 0;
	size_t n = 0;
	while ((w = strtok_r(NULL, " \t", &save)) && n < 8) {
		while (*w >= '0' && *w <= '9')
			w++;
		if (strncmp(w, "<<", 2))
			continue;
		w += 2;
		strip[n] = *w == '-';
		if (*w == '-')
			w++;
		size_t l = strlen(w);
		if (l >= 2 && (*w == '"' || *w == '\'') && w[l - 1] == *w) {
			w++;
			l -= 2;
		}
		if (!l || l >= 64 || memchr(w, '<', l))
			continue;
		memcpy(delims[n], w, l);
		delims[n][l] = '\0';
		n++;
	}
	return n;
}

static size_t count_instructions(const char *data, size_t len)
{
	struct lines L;
	split_lines(data, len, &L);
	char esc = '\\';
	size_t i = 0;
	/* directives: `# key=value` lines at the very top */
	for (; i < L.n; i++) {
		const char *s = lstrip(L.l[i]);
		if (*s != '#' || !strchr(s, '='))
			break;
		s = lstrip(s + 1);
		if (!strncasecmp(s, "escape", 6)) {
			const char *v = lstrip(strchr(s, '=') + 1);
			esc = *v;
		} else if (strncasecmp(s, "syntax", 6) && strncasecmp(s, "check", 5)) {
			break;
		}
	}
	size_t count = 0;
	char logical[65536];
	while (i < L.n) {
		if (blank(L.l[i]) || comment(L.l[i])) {
			i++;
			continue;
		}
		count++;
		logical[0] = '\0';
		for (;;) {
			char *s = L.l[i++];
			size_t n = strlen(s);
			while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			bool cont = n && s[n - 1] == esc;
			strncat(logical, s, sizeof(logical) - strlen(logical) - 1);
			if (!cont)
				break;
			while (i < L.n && (blank(L.l[i]) || comment(L.l[i])))
				i++;
			if (i >= L.n)
				break;
		}
		char delims[8][64];
		bool strip[8];
		size_t nh = heredocs(logical, delims, strip);
		for (size_t h = 0; h < nh; h++) {
			while (i < L.n) {
				const char *s = L.l[i++];
				if (strip[h])
					while (*s == '\t')
						s++;
				if (!strcmp(s, delims[h]))
					break;
			}
		}
	}
	for (size_t k = 0; k < L.n; k++)
		free(L.l[k]);
	free(L.l);
	return count;
}

/* ---- the test ---- */

static bool same_instr(const struct sc_df_instr *a, const struct sc_df_instr *b)
{
	if (a->kind != b->kind || strcmp(a->args, b->args) || a->n_flags != b->n_flags || a->json != b->json ||
	    a->argc != b->argc || a->n_heredocs != b->n_heredocs || (!a->inner) != (!b->inner))
		return false;
	for (size_t i = 0; i < a->n_flags; i++)
		if (strcmp(a->flags[i].name, b->flags[i].name) ||
		    (a->flags[i].value == NULL) != (b->flags[i].value == NULL) ||
		    (a->flags[i].value && strcmp(a->flags[i].value, b->flags[i].value)))
			return false;
	for (size_t i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], b->argv[i]))
			return false;
	for (size_t i = 0; i < a->n_heredocs; i++)
		if (strcmp(a->heredocs[i].body, b->heredocs[i].body))
			return false;
	if (a->sh.n != b->sh.n)
		return false;
	return !a->inner || same_instr(a->inner, b->inner);
}

static void test_corpus(void **state)
{
	(void)state;
	char *dir = tu_shared("dockerfiles/corpus");
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s (../shared beside the checkout)", dir);
	struct dirent *e;
	size_t files = 0, instrs = 0, heredoc_files = 0, onbuild = 0, escape_files = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = sc_path_join(dir, e->d_name);
		char *data;
		size_t len;
		struct sc_error err = {0};
		if (sc_read_file(path, 16u << 20, &data, &len, &err) != SC_OK)
			fail_msg("%s: %s", path, err.msg);
		struct sc_dockerfile *df = NULL;
		if (sc_dockerfile_parse(e->d_name, data, len, NULL, &df, &err) != SC_OK)
			fail_msg("%s:%u:%u: %s", e->d_name, err.line, err.col, err.msg);
		size_t want = count_instructions(data, len);
		if (want != df->n_instrs)
			fail_msg("%s: parser found %zu instructions, the line counter %zu", e->d_name, df->n_instrs, want);
		/* re-serialise and parse again */
		struct sc_strbuf sb;
		sc_strbuf_init(&sb, 64u << 20);
		if (df->escape != '\\')
			sc_strbuf_printf(&sb, "# escape=%c\n", df->escape);
		bool hd = false;
		for (size_t i = 0; i < df->n_instrs; i++) {
			sc_df_instr_serialize(df->instrs[i], df->escape, &sb);
			sc_strbuf_putc(&sb, '\n');
			hd |= df->instrs[i]->n_heredocs > 0;
			onbuild += df->instrs[i]->inner != NULL;
		}
		struct sc_dockerfile *df2 = NULL;
		if (sc_dockerfile_parse(e->d_name, sb.buf, sb.len, NULL, &df2, &err) != SC_OK)
			fail_msg("%s: re-serialised text does not parse: %u:%u: %s", e->d_name, err.line, err.col, err.msg);
		assert_int_equal(df2->n_instrs, df->n_instrs);
		assert_int_equal(df2->n_stages, df->n_stages);
		for (size_t i = 0; i < df->n_instrs; i++)
			if (!same_instr(df->instrs[i], df2->instrs[i]))
				fail_msg("%s: instruction %zu (line %u) differs after re-serialisation", e->d_name, i,
					 df->instrs[i]->line);
		files++;
		instrs += df->n_instrs;
		heredoc_files += hd;
		escape_files += df->escape == '`';
		sc_strbuf_free(&sb);
		sc_dockerfile_free(df2);
		sc_dockerfile_free(df);
		free(data);
		free(path);
	}
	closedir(d);
	free(dir);
	print_message("corpus: %zu files, %zu instructions, %zu with heredocs, %zu ONBUILD, %zu with escape=`\n",
		      files, instrs, heredoc_files, onbuild, escape_files);
	assert_int_equal(files, 1031);
	/* the corpus README's syntax coverage: the features were really exercised */
	assert_true(heredoc_files >= 20);
	assert_true(onbuild >= 4);
	assert_true(escape_files >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
