/* shell.c - a POSIX-shell tokenizer for RUN lines: words with quotes removed, the operators
 * && || ; | &, redirections dropped, `$(...)`, backticks and `sh -c '...'` bodies tokenized as
 * nested commands, so package-manager rules see real argument lists. Bounded in depth and size. */
#include "shipcheck/sc_dockerfile.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8
#define MAX_CMDS 20000
#define MAX_WORDS 4096

struct words {
	char **w;
	bool *q;
	size_t n, cap;
};

struct tok {
	struct sc_arena *arena;
	struct sc_sh_script *out;
	size_t cap;
};

static void parse_text(struct tok *t, const char *s, size_t len, unsigned depth);

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_op(char c)
{
	return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' || c == '\n';
}

static const char *base_name(const char *s)
{
	const char *b = strrchr(s, '/');
	return b ? b + 1 : s;
}

static const char *program_of(const struct sc_sh_cmd *c, size_t *first);

static bool is_name_assign(const char *w)
{
	if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') || *w == '_'))
		return false;
	for (w++; *w && *w != '='; w++)
		if (!((*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z') || (*w >= '0' && *w <= '9') ||
		      *w == '_'))
			return false;
	return *w == '=';
}

static bool word_in(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (w[0] == list[i][0] && !strcmp(w, list[i])) /* first byte first: most words match none */
			return true;
	return false;
}

/* Index just past the `)` matching the `(` at s[i], honouring quotes; len when unterminated. */
static size_t match_paren(const char *s, size_t len, size_t i, bool *ok)
{
	int level = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '\\') {
			i++;
		} else if (c == '\'') {
			const char *e = memchr(s + i + 1, '\'', len - i - 1);
			if (!e)
				break;
			i = (size_t)(e - s);
		} else if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
		} else if (c == '(') {
			level++;
		} else if (c == ')') {
			if (--level == 0) {
				*ok = true;
				return i + 1;
			}
		}
	}
	*ok = false;
	return len;
}

static size_t match_brace(const char *s, size_t len, size_t i, bool *ok)
{
	int level = 0;
	for (; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '{')
			level++;
		else if (s[i] == '}' && --level == 0) {
			*ok = true;
			return i + 1;
		}
	}
	*ok = false;
	return len;
}

static void nested(struct tok *t, const char *s, size_t len, unsigned depth)
{
	if (depth > MAX_DEPTH) {
		t->out->truncated = true;
		return;
	}
	parse_text(t, s, len, depth);
}

struct wordbuf {
	char *b;
	size_t n, cap;
};

static void wb_put(struct wordbuf *wb, const char *s, size_t n)
{
	if (wb->n + n + 1 > wb->cap) {
		while (wb->n + n + 1 > wb->cap)
			wb->cap = wb->cap ? wb->cap * 2 : 64;
		wb->b = sc_xrealloc(wb->b, wb->cap);
	}
	memcpy(wb->b + wb->n, s, n);
	wb->n += n;
	wb->b[wb->n] = '\0';
}

/* Reads one word at s[*pos] (not blank, not an operator). Appends nested commands to t. */
static void read_word(struct tok *t, const char *s, size_t len, size_t *pos, unsigned depth,
		      struct wordbuf *wb, bool *quoted)
{
	size_t i = *pos;
	wb->n = 0;
	wb_put(wb, "", 0);
	*quoted = false;
	while (i < len && !is_blank(s[i]) && !is_op(s[i])) {
		char c = s[i];
		if (c == '\\') {
			if (i + 1 < len && s[i + 1] != '\n')
				wb_put(wb, s + i + 1, 1);
			i += 2;
		} else if (c == '\'') {
			*quoted = true;
			const char *e = memchr(s + i + 1, '\'', len - i - 1);
			size_t end = e ? (size_t)(e - s) : len;
			if (!e)
				t->out->incomplete = true;
			wb_put(wb, s + i + 1, end - i - 1);
			i = end + 1;
		} else if (c == '"') {
			*quoted = true;
			i++;
			while (i < len && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < len &&
				    (s[i + 1] == '$' || s[i + 1] == '`' || s[i + 1] == '"' || s[i + 1] == '\\' ||
				     s[i + 1] == '\n')) {
					if (s[i + 1] != '\n')
						wb_put(wb, s + i + 1, 1);
					i += 2;
				} else if (s[i] == '$' && i + 1 < len && s[i + 1] == '(') {
					bool ok;
					size_t e = match_paren(s, len, i + 1, &ok);
					if (!ok)
						t->out->incomplete = true;
					else if (!(i + 2 < len && s[i + 2] == '('))
						nested(t, s + i + 2, e - i - 3, depth + 1);
					wb_put(wb, s + i, e - i);
					i = e;
				} else if (s[i] == '`') {
					size_t e = i + 1;
					while (e < len && s[e] != '`')
						e += s[e] == '\\' ? 2 : 1;
					if (e >= len) {
						t->out->incomplete = true;
						e = len;
					} else {
						nested(t, s + i + 1, e - i - 1, depth + 1);
					}
					wb_put(wb, s + i, (e < len ? e + 1 : len) - i);
					i = e + 1;
				} else {
					size_t e = i + 1;
					while (e < len && s[e] != '"' && s[e] != '\\' && s[e] != '$' && s[e] != '`')
						e++;
					wb_put(wb, s + i, e - i);
					i = e;
				}
			}
			if (i >= len)
				t->out->incomplete = true;
			i++;
		} else if (c == '$' && i + 1 < len && s[i + 1] == '(') {
			bool ok;
			size_t e = match_paren(s, len, i + 1, &ok);
			if (!ok)
				t->out->incomplete = true;
			else if (!(i + 2 < len && s[i + 2] == '('))
				nested(t, s + i + 2, e - i - 3, depth + 1);
			wb_put(wb, s + i, e - i);
			i = e;
		} else if (c == '$' && i + 1 < len && s[i + 1] == '{') {
			bool ok;
			size_t e = match_brace(s, len, i + 1, &ok);
			if (!ok)
				t->out->incomplete = true;
			wb_put(wb, s + i, e - i);
			i = e;
		} else if (c == '`') {
			size_t e = i + 1;
			while (e < len && s[e] != '`')
				e += s[e] == '\\' ? 2 : 1;
			if (e >= len) {
				t->out->incomplete = true;
				e = len;
			} else {
				nested(t, s + i + 1, e - i - 1, depth + 1);
			}
			wb_put(wb, s + i, (e < len ? e + 1 : len) - i);
			i = e + 1;
		} else {
			/* a run of plain characters, copied at once */
			size_t e = i + 1;
			while (e < len && !is_blank(s[e]) && !is_op(s[e]) && s[e] != '\\' && s[e] != '\'' &&
			       s[e] != '"' && s[e] != '$' && s[e] != '`')
				e++;
			wb_put(wb, s + i, e - i);
			i = e;
		}
	}
	*pos = i > len ? len : i;
}

static void push_cmd(struct tok *t, struct words *w, enum sc_sh_sep sep, unsigned depth)
{
	static const char *const prefix_words[] = {"if", "then", "else", "elif", "do", "while", "until",
						   "!", "{", "time", NULL};
	static const char *const alone_words[] = {"fi", "done", "}", "esac", NULL};
	static const char *const skip_words[] = {"for", "case", "select", "function", NULL};
	size_t first = 0;
	while (first < w->n && !w->q[first] && is_name_assign(w->w[first]))
		first++;
	while (first < w->n && !w->q[first] && word_in(w->w[first], prefix_words)) {
		first++;
		while (first < w->n && !w->q[first] && is_name_assign(w->w[first]))
			first++;
	}
	size_t argc = w->n - first;
	if (argc == 0 || (argc == 1 && word_in(w->w[first], alone_words)) ||
	    word_in(w->w[first], skip_words))
		goto out;
	if (t->out->n >= MAX_CMDS) {
		t->out->truncated = true;
		goto out;
	}
	if (t->out->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		struct sc_sh_cmd *nc = sc_arena_alloc(t->arena, t->cap * sizeof(*nc));
		if (t->out->n)
			memcpy(nc, t->out->cmds, t->out->n * sizeof(*nc));
		t->out->cmds = nc;
	}
	struct sc_sh_cmd *c = &t->out->cmds[t->out->n++];
	c->argc = argc;
	c->argv = sc_arena_alloc(t->arena, (argc + 1) * sizeof(*c->argv));
	c->quoted = sc_arena_alloc(t->arena, argc * sizeof(*c->quoted));
	for (size_t i = 0; i < argc; i++) {
		c->argv[i] = w->w[first + i]; /* already in the arena */
		c->quoted[i] = w->q[first + i];
	}
	c->sep = sep;
	c->depth = depth;
	c->program = program_of(c, &c->program_index);
	/* sh -c 'body', bash -ec "body", su -c "body": tokenize the body as well. */
	size_t p0;
	const char *prog = sc_sh_cmd_program(c, &p0);
	static const char *const shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", "su", NULL};
	if (word_in(prog, shells)) {
		for (size_t i = p0 + 1; i < argc; i++) {
			const char *a = c->argv[i];
			if (a[0] != '-' || !strcmp(a, "--"))
				continue;
			bool has_c = !strcmp(a, "--command") || (a[1] != '-' && strchr(a + 1, 'c'));
			if (has_c && i + 1 < argc) {
				const char *body = c->argv[i + 1];
				nested(t, body, strlen(body), depth + 1);
				break;
			}
		}
	}
out:
	w->n = 0;
}

/* Words are copied into the arena once: the commands' argv point at them. */
static void push_word(struct tok *t, struct words *w, const char *s, bool quoted)
{
	struct sc_sh_script *out = t->out;
	if (w->n >= MAX_WORDS) {
		out->truncated = true;
		return;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->w = sc_xrealloc(w->w, w->cap * sizeof(*w->w));
		w->q = sc_xrealloc(w->q, w->cap * sizeof(*w->q));
	}
	w->w[w->n] = sc_arena_strdup(t->arena, s);
	w->q[w->n++] = quoted;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Skips the body of a shell heredoc that starts after the newline at s[*pos]. */
static void skip_heredoc(const char *s, size_t len, size_t *pos, const char *delim, bool strip)
{
	size_t i = *pos;
	size_t dl = strlen(delim);
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		size_t b = i;
		if (strip)
			while (b < e && s[b] == '\t')
				b++;
		bool hit = e - b == dl && !memcmp(s + b, delim, dl);
		i = nl ? e + 1 : len;
		if (hit)
			break;
	}
	*pos = i;
}

static void parse_text(struct tok *t, const char *s, size_t len, unsigned depth)
{
	struct words w = {0};
	struct wordbuf wb = {0};
	char *pending_delim = NULL;
	bool pending_strip = false;
	unsigned case_depth = 0;
	bool pattern = false; /* inside `case ... in`: reading a pattern list up to `)` */
	size_t i = 0;
	while (i < len) {
		char c = s[i];
		if (pattern) {
			/* skip blanks and newlines, then `esac` or a pattern list up to an unquoted `)` */
			while (i < len && (is_blank(s[i]) || s[i] == '\n'))
				i++;
			if (i + 4 <= len && !memcmp(s + i, "esac", 4) &&
			    (i + 4 == len || is_blank(s[i + 4]) || is_op(s[i + 4]))) {
				i += 4;
				pattern = false;
				if (case_depth)
					case_depth--;
				continue;
			}
			while (i < len && s[i] != ')') {
				if (s[i] == '\\')
					i++;
				else if (s[i] == '\'' || s[i] == '"') {
					const char *e = memchr(s + i + 1, s[i], len - i - 1);
					i = e ? (size_t)(e - s) : len;
				}
				i++;
			}
			i++;
			pattern = false;
			continue;
		}
		if (is_blank(c)) {
			i++;
			continue;
		}
		if (c == '\\' && i + 1 < len && s[i + 1] == '\n') {
			i += 2;
			continue;
		}
		if (c == '#') {
			while (i < len && s[i] != '\n')
				i++;
			continue;
		}
		if (c == '\n') {
			push_cmd(t, &w, SC_SH_SEMI, depth);
			i++;
			if (pending_delim) {
				skip_heredoc(s, len, &i, pending_delim, pending_strip);
				free(pending_delim);
				pending_delim = NULL;
			}
			continue;
		}
		if (c == '<' || c == '>' || (c == '&' && i + 1 < len && s[i + 1] == '>')) {
			/* redirection: operator and its target are not arguments */
			bool here = c == '<' && i + 1 < len && s[i + 1] == '<' && !(i + 2 < len && s[i + 2] == '<');
			bool strip = here && i + 2 < len && s[i + 2] == '-';
			while (i < len && (s[i] == '<' || s[i] == '>' || s[i] == '&' || s[i] == '|' || s[i] == '-'))
				i++;
			while (i < len && is_blank(s[i]))
				i++;
			if (i < len && !is_op(s[i])) {
				bool q;
				read_word(t, s, len, &i, depth, &wb, &q);
				if (here && !pending_delim) {
					pending_delim = sc_xstrdup(wb.b);
					pending_strip = strip;
				}
			}
			continue;
		}
		if (c == '&' || c == '|' || c == ';' || c == '(' || c == ')') {
			enum sc_sh_sep sep = SC_SH_SEMI;
			size_t n = 1;
			if (c == '&' && i + 1 < len && s[i + 1] == '&') {
				sep = SC_SH_AND;
				n = 2;
			} else if (c == '&') {
				sep = SC_SH_BG;
			} else if (c == '|' && i + 1 < len && s[i + 1] == '|') {
				sep = SC_SH_OR;
				n = 2;
			} else if (c == '|') {
				sep = SC_SH_PIPE;
				n = i + 1 < len && s[i + 1] == '&' ? 2 : 1;
			} else if (c == ';') {
				n = i + 1 < len && (s[i + 1] == ';' || s[i + 1] == '&') ? 2 : 1;
				if (n == 2 && case_depth)
					pattern = true; /* ;; ends a case branch: the next pattern follows */
			}
			push_cmd(t, &w, sep, depth);
			i += n;
			continue;
		}
		bool q;
		size_t start = i;
		read_word(t, s, len, &i, depth, &wb, &q);
		if (i < len && (s[i] == '<' || s[i] == '>') && !q && all_digits(wb.b))
			continue; /* file descriptor of a redirection: 2>/dev/null */
		if (i == start)
			i++;
		push_word(t, &w, wb.b, q);
		if (w.n == 3 && !w.q[0] && !strcmp(w.w[0], "case") && !w.q[2] && !strcmp(w.w[2], "in")) {
			w.n = 0;
			case_depth++;
			pattern = true;
		}
	}
	push_cmd(t, &w, SC_SH_END, depth);
	free(pending_delim);
	free(wb.b);
	free(w.w);
	free(w.q);
}

void sc_sh_parse(struct sc_arena *arena, const char *text, size_t len, struct sc_sh_script *out)
{
	memset(out, 0, sizeof(*out));
	struct tok t = {arena, out, 0};
	parse_text(&t, text, len, 0);
}

static const char *program_of(const struct sc_sh_cmd *c, size_t *first)
{
	size_t i = 0;
	while (i < c->argc) {
		const char *name = base_name(c->argv[i]);
		if (!strchr("sdenitcx", name[0]) || !name[0])
			break; /* fast path: no wrapper starts with another letter */
		if (!strcmp(name, "sudo") || !strcmp(name, "doas")) {
			i++;
			while (i < c->argc && c->argv[i][0] == '-') {
				const char *o = c->argv[i++];
				if (!strcmp(o, "-u") || !strcmp(o, "-g") || !strcmp(o, "-C") || !strcmp(o, "-D") ||
				    !strcmp(o, "-h") || !strcmp(o, "-p") || !strcmp(o, "-r") || !strcmp(o, "-t") ||
				    !strcmp(o, "-U") || !strcmp(o, "-T"))
					i++;
			}
		} else if (!strcmp(name, "env")) {
			i++;
			while (i < c->argc && (c->argv[i][0] == '-' || strchr(c->argv[i], '='))) {
				const char *o = c->argv[i++];
				if (!strcmp(o, "-u") || !strcmp(o, "-C") || !strcmp(o, "-S"))
					i++;
			}
		} else if (!strcmp(name, "nice") || !strcmp(name, "ionice")) {
			i++;
			while (i < c->argc && c->argv[i][0] == '-') {
				const char *o = c->argv[i++];
				if (!strcmp(o, "-n") || !strcmp(o, "-c"))
					i++;
			}
		} else if (!strcmp(name, "timeout")) {
			i++;
			while (i < c->argc && c->argv[i][0] == '-')
				i++;
			i++; /* duration */
		} else if (!strcmp(name, "nohup") || !strcmp(name, "command") || !strcmp(name, "exec") ||
			   !strcmp(name, "time") || !strcmp(name, "xargs")) {
			i++;
			while (i < c->argc && c->argv[i][0] == '-')
				i++;
		} else {
			break;
		}
	}
	if (i >= c->argc) {
		*first = c->argc ? c->argc - 1 : 0;
		return c->argc ? base_name(c->argv[c->argc - 1]) : "";
	}
	*first = i;
	return base_name(c->argv[i]);
}

/* The rules ask for a command's program many times: push_cmd works it out once (cmd->program). */
const char *sc_sh_cmd_program(const struct sc_sh_cmd *c, size_t *first)
{
	if (c->program) {
		*first = c->program_index;
		return c->program;
	}
	return program_of(c, first);
}
