/* parse.c - the Dockerfile parser, following BuildKit's frontend: parser directives, comments,
 * escape-character line continuations, heredocs, flags, JSON (exec) versus shell form, ENV/LABEL/ARG
 * forms, variable substitution with ARG scoping across stages, ONBUILD, and a shell tokenization of
 * every RUN. Every instruction keeps its line and column. */
#include "shipcheck/sc_dockerfile.h"

#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	enum sc_df_kind kind;
} kinds[] = {
	{"ADD", SC_DF_ADD},
	{"ARG", SC_DF_ARG},
	{"CMD", SC_DF_CMD},
	{"COPY", SC_DF_COPY},
	{"ENTRYPOINT", SC_DF_ENTRYPOINT},
	{"ENV", SC_DF_ENV},
	{"EXPOSE", SC_DF_EXPOSE},
	{"FROM", SC_DF_FROM},
	{"HEALTHCHECK", SC_DF_HEALTHCHECK},
	{"LABEL", SC_DF_LABEL},
	{"MAINTAINER", SC_DF_MAINTAINER},
	{"ONBUILD", SC_DF_ONBUILD},
	{"RUN", SC_DF_RUN},
	{"SHELL", SC_DF_SHELL},
	{"STOPSIGNAL", SC_DF_STOPSIGNAL},
	{"USER", SC_DF_USER},
	{"VOLUME", SC_DF_VOLUME},
	{"WORKDIR", SC_DF_WORKDIR},
};

const char *sc_df_kind_name(enum sc_df_kind k)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == k)
			return kinds[i].name;
	return "?";
}

static enum sc_df_kind kind_of(const char *word, size_t n)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].name) == n && !strncasecmp(kinds[i].name, word, n))
			return kinds[i].kind;
	return SC_DF_UNKNOWN;
}

/* ---- variables ---- */

const char *sc_df_var_get(const struct sc_df_var *vars, const char *name, bool *found)
{
	for (const struct sc_df_var *v = vars; v; v = v->next) {
		if (!strcmp(v->name, name)) {
			*found = true;
			return v->value;
		}
	}
	*found = false;
	return NULL;
}

static const struct sc_df_var *var_push(struct sc_arena *a, const struct sc_df_var *list, const char *name,
					const char *value, bool is_env)
{
	struct sc_df_var *v = sc_arena_alloc(a, sizeof(*v));
	v->name = name;
	v->value = value;
	v->is_env = is_env;
	v->next = list;
	return v;
}

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Text of the word itself: bounded by the logical line, itself under the line limit. */
static void put(struct sc_strbuf *sb, const char *s, size_t n)
{
	(void)sc_strbuf_append(sb, s, n);
}

/* A variable's value, copied where it is referenced: charged to the Dockerfile's budget (*left),
 * past which the value is unknown. Without it `ENV A=$A$A` on 60 lines made 2^60 bytes. */
static void put_value(struct sc_strbuf *sb, const char *val, size_t n, size_t *left, bool *resolved)
{
	if (n > *left) {
		*left = 0;
		*resolved = false;
		return;
	}
	*left -= n;
	(void)sc_strbuf_append(sb, val, n);
}

/* ${V:-word} inside ${V:-word} deeper than this is kept as written, its value unknown: each level
 * copies the one inside it and scans to its closing brace. */
#define MAX_NESTING 8

static char *expand_impl(struct sc_arena *a, const char *word, char escape, const struct sc_df_var *vars,
			 bool subst, bool *resolved, size_t *left, unsigned depth);

/* Expands a `$...` at s[*i] (s[*i] == '$') into sb. */
static void expand_dollar(struct sc_arena *a, const char *s, size_t *i, char escape,
			  const struct sc_df_var *vars, bool *resolved, struct sc_strbuf *sb, size_t *left,
			  unsigned depth)
{
	size_t p = *i + 1;
	if (s[p] == '{') {
		size_t q = p + 1;
		while (name_char(s[q]))
			q++;
		char *name = sc_xstrndup(s + p + 1, q - p - 1);
		/* the modifier word runs to the matching '}' */
		size_t e = q;
		int level = 1;
		while (s[e]) {
			if (s[e] == escape && s[e + 1]) {
				e += 2;
				continue;
			}
			if (s[e] == '{')
				level++;
			else if (s[e] == '}' && --level == 0)
				break;
			e++;
		}
		bool found;
		const char *val = *name ? sc_df_var_get(vars, name, &found) : NULL;
		if (!*name)
			found = false;
		bool known = found && val;
		const char *op = s + q;
		size_t oplen = e - q;
		if (oplen == 0) {
			if (known)
				put_value(sb, val, strlen(val), left, resolved);
			else
				*resolved = false;
		} else if (depth >= MAX_NESTING) {
			put(sb, s + *i, e + (s[e] ? 1 : 0) - *i);
			*resolved = false;
		} else {
			bool colon = *op == ':';
			char m = colon ? op[1] : op[0];
			const char *word = op + (colon ? 2 : 1);
			size_t wlen = oplen - (size_t)(colon ? 2 : 1);
			if (oplen < (size_t)(colon ? 2 : 1))
				m = 0;
			char *wtext = sc_xstrndup(word, wlen > oplen ? 0 : wlen);
			bool set = known && (!colon || *val);
			if (m == '-') {
				if (set) {
					put_value(sb, val, strlen(val), left, resolved);
				} else if (found && !val) {
					*resolved = false;
				} else {
					char *w = expand_impl(a, wtext, escape, vars, true, resolved, left, depth + 1);
					put(sb, w, strlen(w));
				}
			} else if (m == '+') {
				if (set) {
					char *w = expand_impl(a, wtext, escape, vars, true, resolved, left, depth + 1);
					put(sb, w, strlen(w));
				} else if (found && !val) {
					*resolved = false;
				}
			} else if (m == '?') {
				if (set)
					put_value(sb, val, strlen(val), left, resolved);
				else
					*resolved = false;
			} else {
				/* ${V#pat} and other forms: keep as written, value unknown */
				put(sb, s + *i, e + (s[e] ? 1 : 0) - *i);
				*resolved = false;
			}
			free(wtext);
		}
		free(name);
		*i = s[e] ? e + 1 : e;
		return;
	}
	if (name_start(s[p])) {
		size_t q = p;
		while (name_char(s[q]))
			q++;
		char *name = sc_xstrndup(s + p, q - p);
		bool found;
		const char *val = sc_df_var_get(vars, name, &found);
		if (found && val)
			put_value(sb, val, strlen(val), left, resolved);
		else
			*resolved = false;
		free(name);
		*i = q;
		return;
	}
	put(sb, "$", 1);
	*i = p;
}

static char *expand_impl(struct sc_arena *a, const char *word, char escape, const struct sc_df_var *vars,
			 bool subst, bool *resolved, size_t *left, unsigned depth)
{
	const char special[] = {escape, '\'', '"', '$', '\0'};
	if (!strpbrk(word, special))
		return sc_arena_strdup(a, word); /* most words: nothing to remove or substitute */
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, (size_t)-1);
	put(&sb, "", 0);
	size_t i = 0;
	while (word[i]) {
		char c = word[i];
		if (c == escape && word[i + 1]) {
			put(&sb, word + i + 1, 1);
			i += 2;
		} else if (c == '\'') {
			const char *e = strchr(word + i + 1, '\'');
			size_t end = e ? (size_t)(e - word) : strlen(word);
			put(&sb, word + i + 1, end - i - 1);
			i = e ? end + 1 : end;
		} else if (c == '"') {
			i++;
			while (word[i] && word[i] != '"') {
				if (word[i] == escape && (word[i + 1] == '"' || word[i + 1] == '$' || word[i + 1] == escape)) {
					put(&sb, word + i + 1, 1);
					i += 2;
				} else if (word[i] == '$' && subst) {
					expand_dollar(a, word, &i, escape, vars, resolved, &sb, left, depth);
				} else {
					size_t e = i + 1;
					while (word[e] && word[e] != '"' && word[e] != escape && word[e] != '$')
						e++;
					put(&sb, word + i, e - i);
					i = e;
				}
			}
			if (word[i])
				i++;
		} else if (c == '$' && subst) {
			expand_dollar(a, word, &i, escape, vars, resolved, &sb, left, depth);
		} else {
			size_t e = i + 1;
			while (word[e] && word[e] != escape && word[e] != '\'' && word[e] != '"' && word[e] != '$')
				e++;
			put(&sb, word + i, e - i);
			i = e;
		}
	}
	char *out = sc_arena_strndup(a, sc_strbuf_str(&sb), sb.len);
	sc_strbuf_free(&sb);
	return out;
}

char *sc_df_expand(struct sc_arena *a, const struct sc_dockerfile *df, const char *word,
		   const struct sc_df_var *vars, bool *resolved)
{
	bool r = true;
	size_t own = SC_DF_EXPAND_BUDGET;
	char *out = expand_impl(a, word, df ? df->escape : '\\', vars, true, &r, df ? df->expand_left : &own, 0);
	if (resolved && !r)
		*resolved = false;
	return out;
}

/* Splits text into raw words at unquoted whitespace (quotes and escapes kept). */
static size_t split_raw(struct sc_arena *a, const char *text, char escape, const char ***out)
{
	size_t n = 0, cap = 8;
	const char **w = sc_xmalloc(cap * sizeof(*w));
	size_t i = 0;
	for (;;) {
		while (text[i] == ' ' || text[i] == '\t')
			i++;
		if (!text[i])
			break;
		size_t s = i;
		char q = 0;
		while (text[i] && (q || (text[i] != ' ' && text[i] != '\t'))) {
			if (text[i] == escape && q != '\'' && text[i + 1]) {
				i += 2;
				continue;
			}
			if (!q && (text[i] == '"' || text[i] == '\''))
				q = text[i];
			else if (q && text[i] == q)
				q = 0;
			i++;
		}
		if (n + 1 >= cap) {
			cap *= 2;
			w = sc_xrealloc(w, cap * sizeof(*w));
		}
		w[n++] = sc_arena_strndup(a, text + s, i - s);
	}
	const char **res = sc_arena_alloc(a, (n + 1) * sizeof(*res));
	if (n)
		memcpy(res, w, n * sizeof(*w));
	free(w);
	*out = res;
	return n;
}

/* ---- the document ---- */

struct line {
	const char *s;
	size_t len;
};

struct parser {
	struct sc_dockerfile *df;
	struct sc_arena *a;
	const char *path;
	struct line *lines;
	size_t n_lines;
	struct sc_df_limits lim;
	struct sc_error *err;
	struct sc_ptrvec instrs;
	struct sc_ptrvec pragmas;
	const struct sc_df_var *vars; /* current scope */
	int stage;
	size_t stage_cap;
	bool shell_posix; /* current stage's SHELL */
};

static enum sc_status perr(struct parser *p, enum sc_status st, unsigned line, unsigned col, const char *fmt,
			   ...) SC_PRINTF(5, 6);
static enum sc_status perr(struct parser *p, enum sc_status st, unsigned line, unsigned col, const char *fmt,
			   ...)
{
	va_list ap;
	va_start(ap, fmt);
	sc_error_setv(p->err, st, p->path, line, col, fmt, ap);
	va_end(ap);
	return st;
}

static size_t skip_ws(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	return i;
}

static bool blank_line(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t')
			return false;
	return true;
}

static bool comment_line(const struct line *l)
{
	size_t i = 0;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return i < l->len && l->s[i] == '#';
}

/* `# name = value` at the top of the file. Returns false when the line is not a directive. */
static bool directive(const struct line *l, char *name, size_t nsz, const char **val, size_t *vlen)
{
	size_t i = 0;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	if (i >= l->len || l->s[i] != '#')
		return false;
	i++;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	size_t s = i;
	while (i < l->len && name_char(l->s[i]))
		i++;
	if (i == s || i - s >= nsz)
		return false;
	memcpy(name, l->s + s, i - s);
	name[i - s] = '\0';
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	if (i >= l->len || l->s[i] != '=')
		return false;
	i++;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	size_t e = l->len;
	while (e > i && (l->s[e - 1] == ' ' || l->s[e - 1] == '\t'))
		e--;
	*val = l->s + i;
	*vlen = e - i;
	return true;
}

/* `# shipcheck ignore=RULE[,RULE] reason="..."` */
static struct sc_df_pragma *pragma(struct parser *p, const struct line *l, unsigned lineno)
{
	size_t i = 0;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	size_t col = i + 1;
	i++;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	if (l->len - i < 17 || strncmp(l->s + i, "shipcheck", 9) || (l->s[i + 9] != ' ' && l->s[i + 9] != '\t'))
		return NULL;
	i += 9;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	if (l->len - i < 7 || strncmp(l->s + i, "ignore=", 7))
		return NULL;
	i += 7;
	char *text = sc_arena_strndup(p->a, l->s + i, l->len - i);
	struct sc_df_pragma *pr = sc_arena_alloc(p->a, sizeof(*pr));
	pr->line = lineno;
	pr->col = (unsigned)col;
	size_t e = 0;
	while (text[e] && text[e] != ' ' && text[e] != '\t')
		e++;
	char *list = sc_arena_strndup(p->a, text, e);
	size_t n = 1;
	for (char *c = list; *c; c++)
		n += *c == ',';
	pr->rules = sc_arena_alloc(p->a, (n + 1) * sizeof(*pr->rules));
	for (char *s = list; *s;) {
		char *c = strchr(s, ',');
		if (c)
			*c = '\0';
		if (*s)
			pr->rules[pr->n_rules++] = s;
		if (!c)
			break;
		s = c + 1;
	}
	const char *r = strstr(text + e, "reason=");
	if (r) {
		r += 7;
		if (*r == '"' || *r == '\'') {
			const char *q = strchr(r + 1, *r);
			pr->reason = sc_arena_strndup(p->a, r + 1, q ? (size_t)(q - r - 1) : strlen(r + 1));
		} else {
			size_t k = 0;
			while (r[k] && r[k] != ' ' && r[k] != '\t')
				k++;
			pr->reason = sc_arena_strndup(p->a, r, k);
		}
		if (pr->reason && !*pr->reason)
			pr->reason = NULL;
	}
	sc_ptrvec_push(&p->pragmas, pr);
	return pr;
}

/* Does the physical line end with the escape character (and optional whitespace)? Returns the
 * length without them, or -1. */
static long continued(const struct line *l, char escape)
{
	size_t e = l->len;
	while (e > 0 && (l->s[e - 1] == ' ' || l->s[e - 1] == '\t'))
		e--;
	if (e > 0 && l->s[e - 1] == escape)
		return (long)(e - 1);
	return -1;
}

/* Leading `--flag[=value]` words of args; returns the index after them. */
static size_t parse_flags(struct parser *p, struct sc_df_instr *in, const char *args, unsigned col0)
{
	size_t i = 0, n = 0, cap = 0;
	struct sc_df_flag *fl = NULL;
	for (;;) {
		i = skip_ws(args, i);
		if (args[i] != '-' || args[i + 1] != '-' || !args[i + 2] || args[i + 2] == ' ' || args[i + 2] == '\t')
			break;
		size_t s = i + 2;
		struct sc_strbuf name, val;
		sc_strbuf_init(&name, (size_t)-1);
		sc_strbuf_init(&val, (size_t)-1);
		bool has_val = false;
		char q = 0;
		size_t k = s;
		for (; args[k] && (q || (args[k] != ' ' && args[k] != '\t')); k++) {
			char c = args[k];
			if (!q && (c == '"' || c == '\'')) {
				q = c;
				continue;
			}
			if (q && c == q) {
				q = 0;
				continue;
			}
			if (!has_val && c == '=') {
				has_val = true;
				continue;
			}
			put(has_val ? &val : &name, &c, 1);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			struct sc_df_flag *nf = sc_arena_alloc(p->a, cap * sizeof(*nf));
			if (n)
				memcpy(nf, fl, n * sizeof(*nf));
			fl = nf;
		}
		fl[n].name = sc_arena_strdup(p->a, sc_strbuf_str(&name));
		fl[n].value = has_val ? sc_arena_strdup(p->a, sc_strbuf_str(&val)) : NULL;
		fl[n].col = col0 + (unsigned)i;
		n++;
		sc_strbuf_free(&name);
		sc_strbuf_free(&val);
		i = k;
	}
	in->flags = fl;
	in->n_flags = n;
	return i;
}

/* JSON array of strings, as BuildKit's parseJSON: anything else is shell form. */
static bool parse_json(struct parser *p, struct sc_df_instr *in, const char *args)
{
	size_t n = strlen(args);
	while (n && (args[n - 1] == ' ' || args[n - 1] == '\t'))
		n--;
	if (args[0] != '[' || n < 2 || args[n - 1] != ']')
		return false;
	json_error_t jerr;
	json_t *j = json_loadb(args, n, 0, &jerr);
	if (!j || !json_is_array(j)) {
		json_decref(j);
		return false;
	}
	size_t m = json_array_size(j);
	for (size_t i = 0; i < m; i++) {
		if (!json_is_string(json_array_get(j, i))) {
			json_decref(j);
			return false;
		}
	}
	in->argv = sc_arena_alloc(p->a, (m + 1) * sizeof(*in->argv));
	for (size_t i = 0; i < m; i++)
		in->argv[i] = sc_arena_strdup(p->a, json_string_value(json_array_get(j, i)));
	in->argc = m;
	in->json = true;
	json_decref(j);
	return true;
}

static bool expands(enum sc_df_kind k)
{
	switch (k) {
	case SC_DF_ADD:
	case SC_DF_COPY:
	case SC_DF_ENV:
	case SC_DF_EXPOSE:
	case SC_DF_FROM:
	case SC_DF_LABEL:
	case SC_DF_STOPSIGNAL:
	case SC_DF_USER:
	case SC_DF_VOLUME:
	case SC_DF_WORKDIR:
	case SC_DF_ARG:
		return true;
	default:
		return false;
	}
}

/* ENV / LABEL / ARG pairs (new `k=v k2=v2` form and old `ENV k value` form). */
static void parse_kvs(struct parser *p, struct sc_df_instr *in, const char *args, char escape,
		      const struct sc_df_var *vars, bool subst)
{
	const char **raw;
	size_t n = split_raw(p->a, args, escape, &raw);
	in->kvs = sc_arena_alloc(p->a, (n + 1) * sizeof(*in->kvs));
	if (n == 0)
		return;
	bool resolved = true;
	if (in->kind != SC_DF_ARG && !strchr(raw[0], '=')) {
		/* old form: the rest of the line is the value */
		size_t i = skip_ws(args, 0);
		i += strlen(raw[0]);
		i = skip_ws(args, i);
		in->kvs[0].key = expand_impl(p->a, raw[0], escape, vars, false, &resolved, p->df->expand_left, 0);
		in->kvs[0].value = expand_impl(p->a, args + i, escape, vars, subst, &resolved, p->df->expand_left, 0);
		in->kvs[0].resolved = resolved;
		in->n_kvs = 1;
	} else {
		for (size_t k = 0; k < n; k++) {
			const char *eq = strchr(raw[k], '=');
			char *key = sc_arena_strndup(p->a, raw[k], eq ? (size_t)(eq - raw[k]) : strlen(raw[k]));
			bool r = true;
			in->kvs[in->n_kvs].key = expand_impl(p->a, key, escape, vars, false, &r, p->df->expand_left, 0);
			in->kvs[in->n_kvs].value =
				eq ? expand_impl(p->a, eq + 1, escape, vars, subst, &r, p->df->expand_left, 0) : NULL;
			in->kvs[in->n_kvs].resolved = r;
			resolved &= r;
			in->n_kvs++;
		}
	}
	in->resolved = resolved;
}

static bool heredoc_word(const char *w, bool *strip, char **delim, bool *quoted)
{
	while (*w >= '0' && *w <= '9')
		w++;
	if (w[0] != '<' || w[1] != '<')
		return false;
	w += 2;
	*strip = *w == '-';
	if (*strip)
		w++;
	if (!*w || strchr(w, '<'))
		return false;
	size_t n = strlen(w);
	*quoted = false;
	if (n >= 2 && (w[0] == '"' || w[0] == '\'') && w[n - 1] == w[0]) {
		*quoted = true;
		*delim = sc_xstrndup(w + 1, n - 2);
	} else {
		*delim = sc_xstrdup(w);
	}
	if (!**delim) {
		free(*delim);
		return false;
	}
	return true;
}

/* Reads heredoc bodies for the heredoc words of args, starting at physical line *li. */
static enum sc_status read_heredocs(struct parser *p, struct sc_df_instr *in, const char *args, size_t *li)
{
	if (!strstr(args, "<<"))
		return SC_OK; /* fast path */
	const char **raw;
	size_t n = split_raw(p->a, args, p->df->escape, &raw);
	size_t cnt = 0;
	for (size_t k = 0; k < n; k++) {
		bool strip, quoted;
		char *delim;
		if (!heredoc_word(raw[k], &strip, &delim, &quoted))
			continue;
		free(delim);
		cnt++;
	}
	if (!cnt)
		return SC_OK;
	if (cnt > p->lim.max_heredocs)
		return perr(p, SC_ELIMIT, in->line, in->col, "more than %zu heredocs in one instruction",
			    p->lim.max_heredocs);
	in->heredocs = sc_arena_alloc(p->a, cnt * sizeof(*in->heredocs));
	for (size_t k = 0; k < n; k++) {
		bool strip, quoted;
		char *delim;
		if (!heredoc_word(raw[k], &strip, &delim, &quoted))
			continue;
		struct sc_df_heredoc *h = &in->heredocs[in->n_heredocs++];
		h->delim = sc_arena_strdup(p->a, delim);
		h->strip_tabs = strip;
		h->quoted = quoted;
		h->line = (unsigned)*li + 1;
		struct sc_strbuf body;
		sc_strbuf_init(&body, p->lim.max_line);
		bool done = false;
		size_t dl = strlen(delim);
		while (*li < p->n_lines) {
			const struct line *l = &p->lines[*li];
			(*li)++;
			size_t b = 0;
			if (strip)
				while (b < l->len && l->s[b] == '\t')
					b++;
			if (l->len - b == dl && !memcmp(l->s + b, delim, dl)) {
				done = true;
				break;
			}
			if ((body.len && sc_strbuf_putc(&body, '\n')) ||
			    sc_strbuf_append(&body, l->s + b, l->len - b)) {
				sc_strbuf_free(&body);
				free(delim);
				return perr(p, SC_ELIMIT, h->line, 1, "heredoc body longer than %zu bytes",
					    p->lim.max_line);
			}
		}
		if (body.len && sc_strbuf_putc(&body, '\n')) {
			sc_strbuf_free(&body);
			free(delim);
			return perr(p, SC_ELIMIT, h->line, 1, "heredoc body too long");
		}
		h->body = sc_arena_strndup(p->a, sc_strbuf_str(&body), body.len);
		sc_strbuf_free(&body);
		in->end_line = (unsigned)*li;
		if (!done) {
			enum sc_status st = perr(p, SC_EINPUT, in->line, in->col,
						 "unterminated heredoc: no line `%s` ends the heredoc started here",
						 delim);
			free(delim);
			return st;
		}
		free(delim);
	}
	return SC_OK;
}

static void script_append(struct sc_arena *a, struct sc_sh_script *dst, const struct sc_sh_script *src)
{
	if (!src->n) {
		dst->truncated |= src->truncated;
		dst->incomplete |= src->incomplete;
		return;
	}
	struct sc_sh_cmd *c = sc_arena_alloc(a, (dst->n + src->n) * sizeof(*c));
	if (dst->n)
		memcpy(c, dst->cmds, dst->n * sizeof(*c));
	memcpy(c + dst->n, src->cmds, src->n * sizeof(*c));
	dst->cmds = c;
	dst->n += src->n;
	dst->truncated |= src->truncated;
	dst->incomplete |= src->incomplete;
}

static bool is_shell_prog(const char *s)
{
	const char *b = strrchr(s, '/');
	b = b ? b + 1 : s;
	return !strcmp(b, "sh") || !strcmp(b, "bash") || !strcmp(b, "ash") || !strcmp(b, "dash") ||
	       !strcmp(b, "zsh") || !strcmp(b, "ksh");
}

static bool is_windows_shell(const char *s)
{
	const char *b = strrchr(s, '\\');
	b = b ? b + 1 : s;
	const char *b2 = strrchr(b, '/');
	b = b2 ? b2 + 1 : b;
	return !strncasecmp(b, "cmd", 3) || !strncasecmp(b, "powershell", 10) || !strncasecmp(b, "pwsh", 4);
}

static void tokenize_run(struct parser *p, struct sc_df_instr *in)
{
	if (!in->posix_shell)
		return;
	if (in->json) {
		if (in->argc >= 3 && is_shell_prog(in->argv[0])) {
			for (size_t i = 1; i + 1 < in->argc; i++) {
				const char *o = in->argv[i];
				if (o[0] == '-' && o[1] != '-' && strchr(o, 'c')) {
					sc_sh_parse(p->a, in->argv[i + 1], strlen(in->argv[i + 1]), &in->sh);
					return;
				}
			}
		}
		if (in->argc) {
			struct sc_sh_cmd *c = sc_arena_alloc(p->a, sizeof(*c));
			c->argv = in->argv;
			c->argc = in->argc;
			c->quoted = sc_arena_alloc(p->a, in->argc * sizeof(bool));
			in->sh.cmds = c;
			in->sh.n = 1;
		}
		return;
	}
	sc_sh_parse(p->a, in->args, strlen(in->args), &in->sh);
	if (!in->n_heredocs)
		return;
	/* RUN <<EOF (the body is the script) or RUN sh <<EOF / bash -e <<EOF */
	const char **raw;
	size_t n = split_raw(p->a, in->args, p->df->escape, &raw);
	bool script = n > 0 && (raw[0][0] == '<' || is_shell_prog(raw[0]));
	if (!script)
		return;
	for (size_t k = 0; k < in->n_heredocs; k++) {
		struct sc_sh_script s;
		sc_sh_parse(p->a, in->heredocs[k].body, strlen(in->heredocs[k].body), &s);
		script_append(p->a, &in->sh, &s);
	}
}

static bool windows_image(const char *img)
{
	if (!img)
		return false;
	return strstr(img, "windows") || strstr(img, "nanoserver") || strstr(img, "servercore");
}

/* Parses `args` of an instruction of kind in->kind (flags already split off). */
static enum sc_status parse_body(struct parser *p, struct sc_df_instr *in, size_t *li, bool is_inner);

static struct sc_df_instr *new_instr(struct parser *p, enum sc_df_kind kind, const char *kw, size_t kwlen,
				     unsigned line, unsigned col)
{
	struct sc_df_instr *in = sc_arena_alloc(p->a, sizeof(*in));
	in->kind = kind;
	in->keyword = sc_arena_strndup(p->a, kw, kwlen);
	in->line = line;
	in->col = col;
	in->end_line = line;
	in->stage = p->stage;
	in->vars = p->vars;
	in->resolved = true;
	return in;
}

/* From a logical line "KEYWORD args": fills in keyword, flags, args and the rest. */
static enum sc_status parse_instr(struct parser *p, const char *logical, unsigned line, unsigned col,
				  size_t *li, bool is_inner, struct sc_df_instr **out)
{
	size_t i = skip_ws(logical, 0);
	size_t ks = i;
	while (logical[i] && logical[i] != ' ' && logical[i] != '\t')
		i++;
	enum sc_df_kind kind = kind_of(logical + ks, i - ks);
	unsigned kcol = col + (unsigned)ks;
	if (kind == SC_DF_UNKNOWN) {
		size_t n = i - ks > 40 ? 40 : i - ks;
		return perr(p, SC_EINPUT, line, kcol, "unknown instruction `%.*s`", (int)n, logical + ks);
	}
	struct sc_df_instr *in = new_instr(p, kind, logical + ks, i - ks, line, kcol);
	in->onbuild = is_inner;
	size_t as = skip_ws(logical, i);
	size_t fe = kind == SC_DF_ONBUILD ? as : as + parse_flags(p, in, logical + as, col + (unsigned)as);
	fe = skip_ws(logical, fe);
	in->args = sc_arena_strdup(p->a, logical + fe);
	/* drop trailing whitespace */
	size_t al = strlen(in->args);
	while (al && (in->args[al - 1] == ' ' || in->args[al - 1] == '\t'))
		((char *)in->args)[--al] = '\0';
	in->args_line = line;
	in->args_col = col + (unsigned)fe;
	*out = in;
	return parse_body(p, in, li, is_inner);
}

static enum sc_status parse_body(struct parser *p, struct sc_df_instr *in, size_t *li, bool is_inner)
{
	char esc = p->df->escape;
	enum sc_status st;
	if (!*in->args && in->kind != SC_DF_RUN && in->kind != SC_DF_CMD && in->kind != SC_DF_ENTRYPOINT &&
	    in->kind != SC_DF_HEALTHCHECK)
		return perr(p, SC_EINPUT, in->line, in->col, "%s requires at least one argument",
			    sc_df_kind_name(in->kind));
	if ((in->kind == SC_DF_RUN || in->kind == SC_DF_COPY || in->kind == SC_DF_ADD) && li) {
		st = read_heredocs(p, in, in->args, li);
		if (st)
			return st;
	}
	const struct sc_df_var *vars = is_inner ? NULL : in->vars;
	bool subst = expands(in->kind) && !is_inner;
	switch (in->kind) {
	case SC_DF_ONBUILD: {
		size_t ks = 0;
		while (in->args[ks] && in->args[ks] != ' ' && in->args[ks] != '\t')
			ks++;
		enum sc_df_kind k = kind_of(in->args, ks);
		if (k == SC_DF_ONBUILD || k == SC_DF_FROM || k == SC_DF_MAINTAINER)
			return perr(p, SC_EINPUT, in->args_line, in->args_col, "%s is not allowed in ONBUILD",
				    sc_df_kind_name(k));
		if (is_inner)
			return perr(p, SC_EINPUT, in->line, in->col, "ONBUILD ONBUILD is not allowed");
		st = parse_instr(p, in->args, in->args_line, in->args_col, li, true, &in->inner);
		if (st)
			return st;
		in->end_line = in->inner->end_line > in->end_line ? in->inner->end_line : in->end_line;
		in->inner->stage = in->stage;
		return SC_OK;
	}
	case SC_DF_RUN:
	case SC_DF_CMD:
	case SC_DF_ENTRYPOINT:
		if (!parse_json(p, in, in->args)) {
			in->argc = split_raw(p->a, in->args, esc, &in->argv);
		}
		in->posix_shell = p->shell_posix && !(in->stage >= 0 && p->df->stages &&
						      p->df->stages[in->stage].windows);
		if (in->kind == SC_DF_RUN)
			tokenize_run(p, in);
		return SC_OK;
	case SC_DF_SHELL:
		if (!parse_json(p, in, in->args))
			return perr(p, SC_EINPUT, in->args_line, in->args_col,
				    "SHELL requires the arguments in JSON form: SHELL [\"executable\", \"parameters\"]");
		if (!is_inner && in->argc) {
			p->shell_posix = !is_windows_shell(in->argv[0]);
			if (!p->shell_posix && in->stage >= 0)
				p->df->stages[in->stage].windows = true;
		}
		return SC_OK;
	case SC_DF_COPY:
	case SC_DF_ADD:
	case SC_DF_VOLUME:
		if (parse_json(p, in, in->args))
			return SC_OK;
		break;
	case SC_DF_ENV:
	case SC_DF_LABEL:
		parse_kvs(p, in, in->args, esc, vars, subst);
		if (in->kind == SC_DF_ENV && !is_inner)
			for (size_t k = 0; k < in->n_kvs; k++)
				p->vars = var_push(p->a, p->vars, in->kvs[k].key,
						   in->kvs[k].resolved ? in->kvs[k].value : NULL, true);
		break;
	case SC_DF_ARG:
		parse_kvs(p, in, in->args, esc, vars, subst);
		if (!is_inner) {
			for (size_t k = 0; k < in->n_kvs; k++) {
				const char *v = in->kvs[k].resolved ? in->kvs[k].value : NULL;
				if (!in->kvs[k].value && p->stage >= 0) {
					bool found;
					v = sc_df_var_get(p->df->global_args, in->kvs[k].key, &found);
				}
				p->vars = var_push(p->a, p->vars, in->kvs[k].key, v, false);
			}
			if (p->stage < 0)
				p->df->global_args = p->vars;
		}
		break;
	case SC_DF_HEALTHCHECK: {
		size_t ks = 0;
		while (in->args[ks] && in->args[ks] != ' ' && in->args[ks] != '\t')
			ks++;
		if (ks == 3 && !strncasecmp(in->args, "CMD", 3)) {
			const char *rest = in->args + skip_ws(in->args, ks);
			if (!parse_json(p, in, rest))
				in->argc = split_raw(p->a, rest, esc, &in->argv);
		} else if (!(ks == 4 && !strncasecmp(in->args, "NONE", 4))) {
			return perr(p, SC_EINPUT, in->args_line, in->args_col,
				    "HEALTHCHECK expects CMD or NONE");
		}
		return SC_OK;
	}
	default:
		break;
	}
	if (!in->argv) {
		const char **raw;
		size_t n = split_raw(p->a, in->args, esc, &raw);
		bool resolved = true;
		for (size_t k = 0; k < n; k++)
			raw[k] = expand_impl(p->a, raw[k], esc, vars, subst, &resolved, p->df->expand_left, 0);
		in->argv = raw;
		in->argc = n;
		if (!resolved)
			in->resolved = false;
	}
	return SC_OK;
}

int sc_df_stage_find(const struct sc_dockerfile *df, const char *name, size_t before)
{
	if (!name || !*name)
		return -1;
	/* stage names are kept in lower case, the first of a name in the index (a scan of the stages
	 * for each FROM and COPY --from was quadratic: 50,000 stages took 16 s) */
	if (df->stage_index) { /* NULL: no stage has a name */
		char stack[256], *low = stack;
		size_t n = strlen(name);
		if (n >= sizeof(stack))
			low = sc_xmalloc(n + 1);
		for (size_t i = 0; i <= n; i++)
			low[i] = (char)tolower((unsigned char)name[i]);
		size_t i1 = (size_t)(uintptr_t)sc_map_get(df->stage_index, low);
		if (low != stack)
			free(low);
		if (i1 && i1 - 1 < before && i1 - 1 < df->n_stages)
			return (int)(i1 - 1);
	}
	char *end;
	long v = strtol(name, &end, 10);
	if (!*end && *name >= '0' && *name <= '9' && v >= 0 && (size_t)v < before && (size_t)v < df->n_stages)
		return (int)v;
	return -1;
}

static enum sc_status start_stage(struct parser *p, struct sc_df_instr *in)
{
	struct sc_dockerfile *df = p->df;
	if (df->n_stages == p->stage_cap) {
		p->stage_cap = p->stage_cap ? p->stage_cap * 2 : 4;
		struct sc_df_stage *ns = sc_arena_alloc(p->a, p->stage_cap * sizeof(*ns));
		if (df->n_stages)
			memcpy(ns, df->stages, df->n_stages * sizeof(*ns));
		df->stages = ns;
	}
	if (df->n_stages)
		df->stages[df->n_stages - 1].end = p->instrs.len;
	struct sc_df_stage *s = &df->stages[df->n_stages];
	memset(s, 0, sizeof(*s));
	s->from = in;
	s->first = p->instrs.len;
	s->base_stage = -1;
	for (size_t k = 0; k < in->n_flags; k++)
		if (!strcmp(in->flags[k].name, "platform"))
			s->platform = in->flags[k].value;
	/* FROM image [AS name]: variables come from the global ARGs only */
	const char **raw;
	size_t n = split_raw(p->a, in->args, df->escape, &raw);
	if (n != 1 && !(n == 3 && !strcasecmp(raw[1], "as")))
		return perr(p, SC_EINPUT, in->args_line, in->args_col,
			    "FROM expects an image and an optional `AS name`");
	s->image = raw[0];
	bool resolved = true;
	s->resolved = expand_impl(p->a, raw[0], df->escape, df->global_args, true, &resolved, df->expand_left, 0);
	in->argv = sc_arena_alloc(p->a, 4 * sizeof(*in->argv));
	in->argv[0] = s->resolved;
	in->argc = 1;
	in->resolved = resolved;
	if (!resolved)
		s->resolved = NULL;
	if (n == 3) {
		char *name = sc_arena_strdup(p->a, raw[2]);
		for (char *c = name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		s->name = name;
		if (!df->stage_index)
			df->stage_index = sc_map_new();
		if (!sc_map_get(df->stage_index, name))
			sc_map_put(df->stage_index, name, (void *)(uintptr_t)(df->n_stages + 1));
		in->argv[1] = raw[1];
		in->argv[2] = name;
		in->argc = 3;
	}
	s->base_stage = s->resolved ? sc_df_stage_find(df, s->resolved, df->n_stages) : -1;
	/* numeric indexes are not stage references in FROM */
	if (s->base_stage >= 0 && !df->stages[s->base_stage].name)
		s->base_stage = -1;
	else if (s->base_stage >= 0 && strcasecmp(df->stages[s->base_stage].name, s->resolved))
		s->base_stage = -1;
	s->windows = s->base_stage >= 0 ? df->stages[s->base_stage].windows : windows_image(s->resolved ? s->resolved : s->image);
	p->stage = (int)df->n_stages;
	df->n_stages++;
	/* a stage starts with the ENV of the stage it builds on, and no ARGs */
	p->vars = NULL;
	if (s->base_stage >= 0) {
		const struct sc_df_var *src = NULL;
		const struct sc_df_stage *b = &df->stages[s->base_stage];
		if (b->end > b->first && b->end <= p->instrs.len) {
			const struct sc_df_instr *last = p->instrs.items[b->end - 1];
			src = last->vars;
		}
		for (const struct sc_df_var *v = src; v; v = v->next)
			if (v->is_env)
				p->vars = var_push(p->a, p->vars, v->name, v->value, true);
	}
	p->shell_posix = !s->windows;
	in->stage = p->stage;
	in->vars = NULL;
	return SC_OK;
}

static enum sc_status run_parser(struct parser *p)
{
	struct sc_dockerfile *df = p->df;
	size_t li = 0;
	/* parser directives: only at the very top */
	bool seen_escape = false, seen_syntax = false, seen_check = false;
	while (li < p->n_lines) {
		char name[32];
		const char *val;
		size_t vlen;
		if (!directive(&p->lines[li], name, sizeof(name), &val, &vlen))
			break;
		bool *seen = NULL;
		if (!strcasecmp(name, "escape"))
			seen = &seen_escape;
		else if (!strcasecmp(name, "syntax"))
			seen = &seen_syntax;
		else if (!strcasecmp(name, "check"))
			seen = &seen_check;
		else
			break;
		if (*seen)
			return perr(p, SC_EINPUT, (unsigned)li + 1, 1, "only one `%s` parser directive can be used",
				    name);
		*seen = true;
		if (seen == &seen_escape) {
			if (vlen != 1 || (val[0] != '\\' && val[0] != '`'))
				return perr(p, SC_EINPUT, (unsigned)li + 1, 1,
					    "invalid escape token `%.*s`: must be ` or \\", (int)(vlen > 8 ? 8 : vlen), val);
			df->escape = val[0];
		} else if (seen == &seen_syntax) {
			df->syntax = sc_arena_strndup(p->a, val, vlen);
		} else {
			df->check = sc_arena_strndup(p->a, val, vlen);
		}
		li++;
	}

	struct sc_df_pragma *pending = NULL;
	struct sc_strbuf logical;
	sc_strbuf_init(&logical, p->lim.max_line);
	enum sc_status st = SC_OK;
	while (li < p->n_lines) {
		const struct line *l = &p->lines[li];
		if (blank_line(l)) {
			pending = NULL;
			li++;
			continue;
		}
		if (comment_line(l)) {
			struct sc_df_pragma *pr = pragma(p, l, (unsigned)li + 1);
			if (pr)
				pending = pr;
			li++;
			continue;
		}
		unsigned line = (unsigned)li + 1;
		sc_strbuf_reset(&logical);
		for (;;) {
			const struct line *c = &p->lines[li];
			long cut = continued(c, df->escape);
			size_t n = cut >= 0 ? (size_t)cut : c->len;
			if (sc_strbuf_append(&logical, c->s, n)) {
				st = perr(p, SC_ELIMIT, line, 1, "instruction longer than %zu bytes", p->lim.max_line);
				goto out;
			}
			li++;
			if (cut < 0)
				break;
			/* inside a continuation, empty lines and comment lines are skipped */
			while (li < p->n_lines && (blank_line(&p->lines[li]) || comment_line(&p->lines[li])))
				li++;
			if (li >= p->n_lines)
				break;
		}
		unsigned end_line = (unsigned)li;
		if (p->instrs.len >= p->lim.max_instructions) {
			st = perr(p, SC_ELIMIT, line, 1, "more than %zu instructions", p->lim.max_instructions);
			goto out;
		}
		/* the keyword decides whether this line starts a stage before flags are parsed */
		const char *text = sc_strbuf_str(&logical);
		size_t ks = skip_ws(text, 0), ke = ks;
		while (text[ke] && text[ke] != ' ' && text[ke] != '\t')
			ke++;
		enum sc_df_kind k = kind_of(text + ks, ke - ks);
		struct sc_df_instr *in = NULL;
		if (k == SC_DF_FROM) {
			in = new_instr(p, k, text + ks, ke - ks, line, (unsigned)ks + 1);
			size_t as = skip_ws(text, ke);
			size_t fe = skip_ws(text, as + parse_flags(p, in, text + as, (unsigned)as + 1));
			in->args = sc_arena_strdup(p->a, text + fe);
			size_t al = strlen(in->args);
			while (al && (in->args[al - 1] == ' ' || in->args[al - 1] == '\t'))
				((char *)in->args)[--al] = '\0';
			in->args_line = line;
			in->args_col = (unsigned)fe + 1;
			if (!*in->args) {
				st = perr(p, SC_EINPUT, line, in->col, "FROM requires an image");
				goto out;
			}
			st = start_stage(p, in);
		} else {
			if (k != SC_DF_UNKNOWN && k != SC_DF_ARG && p->stage < 0) {
				st = perr(p, SC_EINPUT, line, (unsigned)ks + 1,
					  "%s before the first FROM: only ARG may come before FROM", sc_df_kind_name(k));
				goto out;
			}
			st = parse_instr(p, text, line, 1, &li, false, &in);
		}
		if (st)
			goto out;
		if (in->end_line < end_line)
			in->end_line = end_line;
		in->pragma = pending;
		if (in->inner)
			in->inner->pragma = pending;
		pending = NULL;
		sc_ptrvec_push(&p->instrs, in);
	}
	if (df->n_stages)
		df->stages[df->n_stages - 1].end = p->instrs.len;
	if (!df->n_stages)
		st = perr(p, SC_EINPUT, p->instrs.len ? ((struct sc_df_instr *)p->instrs.items[0])->line : 1, 1,
			  p->instrs.len ? "no FROM instruction: a Dockerfile needs at least one build stage"
					: "the Dockerfile has no instructions");
out:
	sc_strbuf_free(&logical);
	return st;
}

enum sc_status sc_dockerfile_parse(const char *path, const char *data, size_t len,
				   const struct sc_df_limits *lim, struct sc_dockerfile **out,
				   struct sc_error *err)
{
	*out = NULL;
	struct sc_arena *a = sc_arena_new();
	struct sc_dockerfile *df = sc_arena_alloc(a, sizeof(*df));
	df->arena = a;
	df->path = sc_arena_strdup(a, path ? path : "Dockerfile");
	df->escape = '\\';
	df->expand_left = sc_arena_alloc(a, sizeof(*df->expand_left));
	*df->expand_left = SC_DF_EXPAND_BUDGET;
	struct parser p = {.df = df, .a = a, .path = df->path, .err = err, .stage = -1, .shell_posix = true};
	p.lim.max_instructions = lim && lim->max_instructions ? lim->max_instructions : 100000;
	p.lim.max_heredocs = lim && lim->max_heredocs ? lim->max_heredocs : 64;
	p.lim.max_line = lim && lim->max_line ? lim->max_line : (64u << 20);
	enum sc_status st = SC_OK;

	const char *nul = memchr(data, '\0', len);
	if (nul) {
		unsigned line = 1, col = 1;
		for (const char *c = data; c < nul; c++) {
			if (*c == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		st = sc_error_set(err, SC_EINPUT, df->path, line, col,
				  "binary content (a NUL byte): not a Dockerfile");
		goto out;
	}
	size_t pos = 0;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		pos = 3;
	size_t cap = 64;
	p.lines = sc_xmalloc(cap * sizeof(*p.lines));
	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		if (p.n_lines == cap) {
			cap *= 2;
			p.lines = sc_xrealloc(p.lines, cap * sizeof(*p.lines));
		}
		size_t m = n;
		if (m && data[pos + m - 1] == '\r')
			m--;
		p.lines[p.n_lines].s = data + pos;
		p.lines[p.n_lines].len = m;
		p.n_lines++;
		pos += n + (nl ? 1 : 0);
	}
	df->n_lines = (unsigned)p.n_lines;
	st = run_parser(&p);
	if (st)
		goto out;
	df->instrs = (struct sc_df_instr **)p.instrs.items;
	df->n_instrs = p.instrs.len;
	p.instrs.items = NULL;
	df->pragmas = (struct sc_df_pragma **)p.pragmas.items;
	df->n_pragmas = p.pragmas.len;
	p.pragmas.items = NULL;
	/* the vectors' storage moves into the arena's lifetime: copy it there */
	{
		struct sc_df_instr **ins = sc_arena_alloc(a, (df->n_instrs + 1) * sizeof(*ins));
		if (df->n_instrs)
			memcpy(ins, df->instrs, df->n_instrs * sizeof(*ins));
		free(df->instrs);
		df->instrs = ins;
		struct sc_df_pragma **prs = sc_arena_alloc(a, (df->n_pragmas + 1) * sizeof(*prs));
		if (df->n_pragmas)
			memcpy(prs, df->pragmas, df->n_pragmas * sizeof(*prs));
		free(df->pragmas);
		df->pragmas = prs;
	}
	*out = df;
out:
	sc_ptrvec_free(&p.instrs);
	sc_ptrvec_free(&p.pragmas);
	free(p.lines);
	if (st != SC_OK)
		sc_dockerfile_free(df);
	return st;
}

void sc_dockerfile_free(struct sc_dockerfile *df)
{
	if (!df)
		return;
	sc_map_free(df->stage_index);
	sc_arena_free(df->arena);
}

static void put_flag_value(struct sc_strbuf *sb, const char *v)
{
	if (!strpbrk(v, " \t\"'")) {
		sc_strbuf_puts(sb, v);
	} else if (!strchr(v, '\'')) {
		sc_strbuf_printf(sb, "'%s'", v);
	} else {
		sc_strbuf_printf(sb, "\"%s\"", v);
	}
}

void sc_df_instr_serialize(const struct sc_df_instr *in, char escape, struct sc_strbuf *sb)
{
	(void)escape;
	sc_strbuf_puts(sb, in->keyword);
	for (size_t i = 0; i < in->n_flags; i++) {
		sc_strbuf_puts(sb, " --");
		sc_strbuf_puts(sb, in->flags[i].name);
		if (in->flags[i].value) {
			sc_strbuf_putc(sb, '=');
			put_flag_value(sb, in->flags[i].value);
		}
	}
	if (in->inner) {
		sc_strbuf_putc(sb, ' ');
		sc_df_instr_serialize(in->inner, escape, sb);
		return;
	}
	if (*in->args) {
		sc_strbuf_putc(sb, ' ');
		sc_strbuf_puts(sb, in->args);
	}
	for (size_t i = 0; i < in->n_heredocs; i++) {
		sc_strbuf_putc(sb, '\n');
		sc_strbuf_puts(sb, in->heredocs[i].body);
		sc_strbuf_puts(sb, in->heredocs[i].delim);
	}
}
