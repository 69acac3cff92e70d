/* test_dockerfile.c - the Dockerfile parser and the shell tokenizer: syntax cases, positions, variable
 * scoping, errors with line and column, and hostile inputs (huge lines, many continuations). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_dockerfile.h"

static struct sc_dockerfile *parse_ok(const char *text)
{
	struct sc_dockerfile *df = NULL;
	struct sc_error err = {0};
	if (sc_dockerfile_parse("Dockerfile", text, strlen(text), NULL, &df, &err) != SC_OK)
		fail_msg("parse failed: %u:%u: %s", err.line, err.col, err.msg);
	return df;
}

static void parse_err(const char *text, size_t len, enum sc_status want, unsigned line, unsigned col,
		      const char *msg_part)
{
	struct sc_dockerfile *df = NULL;
	struct sc_error err = {0};
	enum sc_status st = sc_dockerfile_parse("Dockerfile", text, len, NULL, &df, &err);
	if (st != want)
		fail_msg("status %d, want %d (%s)", st, want, err.msg ? err.msg : "");
	assert_null(df);
	assert_int_equal(err.line, line);
	if (col)
		assert_int_equal(err.col, col);
	assert_string_equal(err.file, "Dockerfile");
	if (!strstr(err.msg, msg_part))
		fail_msg("message `%s` lacks `%s`", err.msg, msg_part);
	sc_error_clear(&err);
}

static void test_basic_positions(void **state)
{
	(void)state;
	struct sc_dockerfile *df = parse_ok("# comment\n\nfrom debian:12 AS Build\n  run echo hi\nCOPY --chown=app:app --chmod=0644 a b /dst/\n");
	assert_int_equal(df->n_instrs, 3);
	assert_int_equal(df->instrs[0]->kind, SC_DF_FROM);
	assert_int_equal(df->instrs[0]->line, 3);
	assert_int_equal(df->instrs[0]->col, 1);
	assert_string_equal(df->instrs[0]->keyword, "from");
	assert_string_equal(df->stages[0].name, "build");
	assert_string_equal(df->stages[0].image, "debian:12");
	assert_int_equal(df->instrs[1]->kind, SC_DF_RUN);
	assert_int_equal(df->instrs[1]->col, 3);
	assert_int_equal(df->instrs[1]->args_col, 7);
	const struct sc_df_instr *cp = df->instrs[2];
	assert_int_equal(cp->n_flags, 2);
	assert_string_equal(cp->flags[0].name, "chown");
	assert_string_equal(cp->flags[0].value, "app:app");
	assert_string_equal(cp->flags[1].name, "chmod");
	assert_int_equal(cp->flags[1].col, 22);
	assert_int_equal(cp->argc, 3);
	assert_string_equal(cp->argv[2], "/dst/");
	sc_dockerfile_free(df);
}

static void test_continuations(void **state)
{
	(void)state;
	/* trailing whitespace after the escape, comments and blank lines inside the continuation */
	struct sc_dockerfile *df = parse_ok("FROM alpine\nRUN apk add \\  \n# a comment\n\n    curl \\\n\tgit\nUSER app\n");
	assert_int_equal(df->n_instrs, 3);
	const struct sc_df_instr *run = df->instrs[1];
	assert_int_equal(run->line, 2);
	assert_int_equal(run->end_line, 6);
	assert_string_equal(run->args, "apk add     curl \tgit");
	assert_int_equal(run->sh.n, 1);
	assert_int_equal(run->sh.cmds[0].argc, 4);
	assert_string_equal(run->sh.cmds[0].argv[3], "git");
	assert_int_equal(df->instrs[2]->line, 7);
	sc_dockerfile_free(df);
}

static void test_escape_directive(void **state)
{
	(void)state;
	struct sc_dockerfile *df = parse_ok("# escape=`\n# syntax=docker/dockerfile:1\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
					    "RUN powershell -Command `\n    Write-Host hi\nWORKDIR C:\\app\\\nUSER ContainerUser\n");
	assert_int_equal(df->escape, '`');
	assert_string_equal(df->syntax, "docker/dockerfile:1");
	assert_int_equal(df->n_instrs, 4);
	assert_true(df->stages[0].windows);
	assert_false(df->instrs[1]->posix_shell);
	assert_int_equal(df->instrs[1]->sh.n, 0);
	/* with ` as escape, a trailing backslash is a plain character */
	assert_string_equal(df->instrs[2]->argv[0], "C:\\app\\");
	sc_dockerfile_free(df);

	/* a directive after a comment is a comment */
	df = parse_ok("# hello\n# escape=`\nFROM x\nRUN a \\\n b\n");
	assert_int_equal(df->escape, '\\');
	assert_int_equal(df->n_instrs, 2);
	sc_dockerfile_free(df);
	parse_err("# escape=x\nFROM a\n", 18, SC_EINPUT, 1, 1, "invalid escape");
	parse_err("# escape=`\n# escape=\\\nFROM a\n", 29, SC_EINPUT, 2, 1, "only one");
}

static void test_json_and_shell_form(void **state)
{
	(void)state;
	struct sc_dockerfile *df = parse_ok("FROM a\nCMD [\"node\", \"server.js\"]\nENTRYPOINT [\"a\", 'b']\n"
					    "RUN [\"sh\", \"-c\", \"apt-get update && apt-get install -y curl\"]\n"
					    "CMD [bad json\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n");
	assert_true(df->instrs[1]->json);
	assert_int_equal(df->instrs[1]->argc, 2);
	assert_string_equal(df->instrs[1]->argv[1], "server.js");
	assert_false(df->instrs[2]->json); /* single quotes are not JSON: shell form */
	const struct sc_df_instr *run = df->instrs[3];
	assert_true(run->json);
	assert_int_equal(run->sh.n, 2);
	assert_string_equal(run->sh.cmds[1].argv[0], "apt-get");
	assert_int_equal(run->sh.cmds[0].sep, SC_SH_AND);
	assert_false(df->instrs[4]->json);
	assert_true(df->instrs[5]->json);
	assert_int_equal(df->instrs[5]->argc, 4);
	sc_dockerfile_free(df);
	parse_err("FROM a\nSHELL /bin/bash -c\n", 26, SC_EINPUT, 2, 7, "JSON");
}

static void test_heredocs(void **state)
{
	(void)state;
	const char *text = "FROM debian\n"
			   "RUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n"
			   "COPY <<-\"A\" <<'B' /etc/\n\tline a\n\tA\nline b $X\nB\n"
			   "RUN cat <<EOF > /x\nrm -rf /\nEOF\n"
			   "USER 1000\n";
	struct sc_dockerfile *df = parse_ok(text);
	assert_int_equal(df->n_instrs, 5);
	const struct sc_df_instr *r = df->instrs[1];
	assert_int_equal(r->n_heredocs, 1);
	assert_string_equal(r->heredocs[0].body, "apt-get update\napt-get install -y curl\n");
	assert_int_equal(r->heredocs[0].line, 3);
	assert_int_equal(r->end_line, 5);
	assert_int_equal(r->sh.n, 2);
	assert_string_equal(r->sh.cmds[1].argv[1], "install");
	const struct sc_df_instr *c = df->instrs[2];
	assert_int_equal(c->n_heredocs, 2);
	assert_true(c->heredocs[0].strip_tabs);
	assert_true(c->heredocs[0].quoted);
	assert_string_equal(c->heredocs[0].delim, "A");
	assert_string_equal(c->heredocs[0].body, "line a\n");
	assert_string_equal(c->heredocs[1].body, "line b $X\n");
	/* a heredoc fed to cat is data, not commands */
	const struct sc_df_instr *cat = df->instrs[3];
	assert_int_equal(cat->sh.n, 1);
	assert_string_equal(cat->sh.cmds[0].argv[0], "cat");
	assert_int_equal(df->instrs[4]->line, 14);
	sc_dockerfile_free(df);
	parse_err("FROM a\nRUN <<EOF\necho\n", 21, SC_EINPUT, 2, 1, "unterminated heredoc");
}

static void test_variables_and_stages(void **state)
{
	(void)state;
	const char *text = "ARG BASE=debian\nARG TAG=12\nARG NOVAL\n"
			   "FROM ${BASE}:${TAG:-11} AS build\n"
			   "ARG TAG\nENV APP=/srv HOME_DIR=\"$APP/home\"\nENV OLD form value here\n"
			   "WORKDIR ${APP:+/opt}/x\nUSER ${NOPE:-nobody}\nCOPY \\$HOME /a\nUSER $UNKNOWN\n"
			   "FROM build AS final\nLABEL a=b \"c d\"=\"e f\"\nWORKDIR $APP\nUSER $TAG\n"
			   "FROM $NOVAL\n";
	struct sc_dockerfile *df = parse_ok(text);
	assert_int_equal(df->n_stages, 3);
	assert_string_equal(df->stages[0].resolved, "debian:12");
	assert_int_equal(df->stages[1].base_stage, 0);
	assert_null(df->stages[2].resolved);
	const struct sc_df_instr *env = df->instrs[5];
	assert_int_equal(env->n_kvs, 2);
	assert_string_equal(env->kvs[1].key, "HOME_DIR");
	/* an ENV of the same instruction is not visible yet: $APP is unset (empty, as in Docker) and,
	 * since the base image might set it, unresolved */
	assert_string_equal(env->kvs[1].value, "/home");
	assert_false(env->resolved);
	const struct sc_df_instr *old = df->instrs[6];
	assert_int_equal(old->n_kvs, 1);
	assert_string_equal(old->kvs[0].key, "OLD");
	assert_string_equal(old->kvs[0].value, "form value here");
	assert_string_equal(df->instrs[7]->argv[0], "/opt/x");
	assert_string_equal(df->instrs[8]->argv[0], "nobody");
	assert_string_equal(df->instrs[9]->argv[0], "$HOME");
	assert_false(df->instrs[10]->resolved);
	/* ENV carries into a stage built on another one; ARGs do not */
	const struct sc_df_instr *lab = df->instrs[12];
	assert_int_equal(lab->n_kvs, 2);
	assert_string_equal(lab->kvs[1].key, "c d");
	assert_string_equal(lab->kvs[1].value, "e f");
	assert_string_equal(df->instrs[13]->argv[0], "/srv");
	assert_false(df->instrs[14]->resolved);
	/* ARG redeclared in a stage takes the global default */
	bool found;
	assert_string_equal(sc_df_var_get(df->instrs[5]->vars, "TAG", &found), "12");
	assert_true(found);
	sc_dockerfile_free(df);
}

static void test_expand(void **state)
{
	(void)state;
	struct sc_arena *a = sc_arena_new();
	struct sc_df_var empty = {"E", "", false, NULL};
	struct sc_df_var unk = {"U", NULL, false, &empty};
	struct sc_df_var v = {"V", "val", true, &unk};
	static const struct {
		const char *in, *out;
		bool resolved;
	} cases[] = {
		{"$V", "val", true},          {"${V}x", "valx", true},         {"${V:-d}", "val", true},
		{"${E:-d}", "d", true},       {"${E-d}", "", true},            {"${X:-d}", "d", true},
		{"${V:+a}", "a", true},       {"${E:+a}", "", true},           {"${E+a}", "a", true},
		{"'$V'", "$V", true},         {"\"$V\"", "val", true},         {"\\$V", "$V", true},
		{"$U", "", false},            {"${X}", "", false},             {"a$", "a$", true},
		{"${V#v}", "${V#v}", false},  {"\"a\\\"b\"", "a\"b", true},    {"${U:-d}", "", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool r = true;
		const char *out = sc_df_expand(a, NULL, cases[i].in, &v, &r);
		if (strcmp(out, cases[i].out) || r != cases[i].resolved)
			fail_msg("case %zu `%s`: got `%s` resolved=%d", i, cases[i].in, out, r);
	}
	sc_arena_free(a);
}

static void test_onbuild_and_case(void **state)
{
	(void)state;
	struct sc_dockerfile *df = parse_ok("FROM a\nOnBuild RUN sudo apt-get install -y x\nonbuild COPY . /app\n");
	assert_int_equal(df->n_instrs, 3);
	const struct sc_df_instr *ob = df->instrs[1];
	assert_int_equal(ob->kind, SC_DF_ONBUILD);
	assert_non_null(ob->inner);
	assert_true(ob->inner->onbuild);
	assert_int_equal(ob->inner->kind, SC_DF_RUN);
	assert_int_equal(ob->inner->col, 9);
	assert_int_equal(ob->inner->sh.n, 1);
	assert_string_equal(ob->inner->sh.cmds[0].argv[0], "sudo");
	assert_int_equal(df->instrs[2]->inner->kind, SC_DF_COPY);
	sc_dockerfile_free(df);
	parse_err("FROM a\nONBUILD FROM b\n", 22, SC_EINPUT, 2, 9, "not allowed in ONBUILD");
}

static void test_crlf_bom_no_newline(void **state)
{
	(void)state;
	struct sc_dockerfile *df = parse_ok("\xEF\xBB\xBF" "FROM a\r\nRUN echo a \\\r\n  b\r\nUSER x");
	assert_int_equal(df->n_instrs, 3);
	assert_string_equal(df->instrs[1]->args, "echo a   b");
	assert_string_equal(df->instrs[2]->argv[0], "x");
	assert_int_equal(df->instrs[0]->col, 1);
	sc_dockerfile_free(df);
}

static void test_errors(void **state)
{
	(void)state;
	parse_err("FROM a\n  FOO bar\n", 17, SC_EINPUT, 2, 3, "unknown instruction `FOO`");
	parse_err("FROM a\nRUN x\n\0binary", 20, SC_EINPUT, 3, 1, "binary");
	parse_err("RUN echo\n", 9, SC_EINPUT, 1, 1, "before the first FROM");
	parse_err("# only a comment\n", 17, SC_EINPUT, 1, 1, "no instructions");
	parse_err("ARG A=1\n", 8, SC_EINPUT, 1, 1, "no FROM");
	parse_err("FROM a\nUSER\n", 12, SC_EINPUT, 2, 1, "requires at least one argument");
	parse_err("FROM a b c d\n", 13, SC_EINPUT, 1, 6, "FROM expects");
}

static void test_hostile(void **state)
{
	(void)state;
	/* 100,000 continuation lines */
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 64u << 20);
	sc_strbuf_puts(&sb, "FROM a\nRUN true");
	for (int i = 0; i < 100000; i++)
		sc_strbuf_puts(&sb, " \\\n  && true");
	sc_strbuf_puts(&sb, "\n");
	struct sc_dockerfile *df = parse_ok(sc_strbuf_str(&sb));
	assert_int_equal(df->n_instrs, 2);
	assert_int_equal(df->instrs[1]->end_line, 100002);
	assert_int_equal(df->instrs[1]->sh.n, 20000); /* the tokenizer's command limit */
	assert_true(df->instrs[1]->sh.truncated);
	sc_dockerfile_free(df);

	/* a 50 MB single line */
	size_t n = 50u << 20;
	char *big = sc_xmalloc(n + 32);
	memcpy(big, "FROM a\nLABEL x=", 15);
	memset(big + 15, 'a', n);
	memcpy(big + 15 + n, "\n", 2);
	df = parse_ok(big);
	assert_int_equal(df->n_instrs, 2);
	assert_int_equal(strlen(df->instrs[1]->kvs[0].value), n);
	sc_dockerfile_free(df);

	/* over the line limit: a clean SC_ELIMIT */
	struct sc_df_limits lim = {.max_line = 1u << 20};
	struct sc_error err = {0};
	assert_int_equal(sc_dockerfile_parse("Dockerfile", big, strlen(big), &lim, &df, &err), SC_ELIMIT);
	assert_int_equal(err.line, 2);
	sc_error_clear(&err);
	free(big);

	/* values are copied where they are referenced: `ENV A=$A$A` 60 times would be 2^60 bytes (this
	 * test did not end before the substitution budget). Past the budget the value is unknown. */
	sc_strbuf_reset(&sb);
	sc_strbuf_puts(&sb, "FROM a\nENV A=xy\n");
	for (int i = 0; i < 60; i++)
		sc_strbuf_puts(&sb, "ENV A=$A$A\n");
	sc_strbuf_puts(&sb, "RUN echo $A\n");
	df = parse_ok(sc_strbuf_str(&sb));
	assert_int_equal(df->n_instrs, 63);
	assert_string_equal(df->instrs[2]->kvs[0].value, "xyxy"); /* small values are still substituted */
	assert_true(df->instrs[2]->resolved);
	assert_false(df->instrs[61]->resolved);
	bool found;
	assert_null(sc_df_var_get(df->instrs[62]->vars, "A", &found));
	assert_true(found);
	assert_true(sc_arena_used(df->arena) < 4 * SC_DF_EXPAND_BUDGET);
	sc_dockerfile_free(df);
	/* ${A:-${A:-...}} 200,000 deep: past 8 levels it is kept as written (this was quadratic, and
	 * the recursion would overflow the stack) */
	sc_strbuf_reset(&sb);
	sc_strbuf_puts(&sb, "FROM a\nENV X=");
	for (int i = 0; i < 200000; i++)
		sc_strbuf_puts(&sb, "${U:-");
	sc_strbuf_puts(&sb, "x");
	for (int i = 0; i < 200000; i++)
		sc_strbuf_putc(&sb, '}');
	sc_strbuf_puts(&sb, "\nENV Y=${U:-${U:-d}}\n");
	df = parse_ok(sc_strbuf_str(&sb));
	assert_false(df->instrs[1]->resolved);
	assert_true(strlen(df->instrs[1]->kvs[0].value) <= 7 * 200000 + 1);
	assert_string_equal(df->instrs[2]->kvs[0].value, "d");
	assert_true(df->instrs[2]->resolved);
	sc_dockerfile_free(df);
	sc_strbuf_free(&sb);

	/* unterminated JSON array: shell form, no error */
	df = parse_ok("FROM a\nCMD [\"a\", \"b\"\n");
	assert_false(df->instrs[1]->json);
	sc_dockerfile_free(df);

	/* invalid UTF-8 is bytes like any other */
	df = parse_ok("FROM a\nLABEL x=\xff\xfe\xc3\n");
	assert_int_equal(df->n_instrs, 2);
	sc_dockerfile_free(df);
}

static struct sc_sh_script sh(struct sc_arena *a, const char *text)
{
	struct sc_sh_script s;
	sc_sh_parse(a, text, strlen(text), &s);
	return s;
}

static void test_shell_tokenizer(void **state)
{
	(void)state;
	struct sc_arena *a = sc_arena_new();
	struct sc_sh_script s = sh(a, "DEBIAN_FRONTEND=noninteractive apt-get install -y 'a b' \"c$(echo d)\" e\\ f 2>/dev/null");
	assert_int_equal(s.n, 2); /* echo (nested) + apt-get */
	assert_string_equal(s.cmds[0].argv[0], "echo");
	assert_int_equal(s.cmds[0].depth, 1);
	const struct sc_sh_cmd *c = &s.cmds[1];
	assert_int_equal(c->argc, 6);
	assert_string_equal(c->argv[0], "apt-get");
	assert_string_equal(c->argv[3], "a b");
	assert_true(c->quoted[3]);
	assert_string_equal(c->argv[4], "c$(echo d)");
	assert_string_equal(c->argv[5], "e f");

	s = sh(a, "set -eux; curl -fsSL https://x | sh -s -- --flag || true & wait");
	assert_int_equal(s.n, 5);
	assert_int_equal(s.cmds[0].sep, SC_SH_SEMI);
	assert_int_equal(s.cmds[1].sep, SC_SH_PIPE);
	assert_int_equal(s.cmds[2].sep, SC_SH_OR);
	assert_int_equal(s.cmds[3].sep, SC_SH_BG);
	assert_string_equal(s.cmds[4].argv[0], "wait");

	s = sh(a, "su app -c 'cd /app && npm ci'; bash -ec \"apk add --no-cache git\"");
	size_t prog_first;
	assert_string_equal(s.cmds[0].argv[0], "su");
	assert_string_equal(s.cmds[1].argv[0], "cd");
	assert_int_equal(s.cmds[1].depth, 1);
	assert_string_equal(s.cmds[2].argv[0], "npm");
	assert_string_equal(s.cmds[4].argv[0], "apk");
	assert_string_equal(sc_sh_cmd_program(&s.cmds[3], &prog_first), "bash");

	s = sh(a, "if [ -f x ]; then sudo -u root env A=1 /usr/bin/apt-get update; fi; for i in 1 2; do echo $i; done");
	assert_int_equal(s.n, 3);
	assert_string_equal(s.cmds[0].argv[0], "[");
	assert_string_equal(sc_sh_cmd_program(&s.cmds[1], &prog_first), "apt-get");
	assert_int_equal(prog_first, 5);
	assert_string_equal(s.cmds[2].argv[0], "echo");

	/* case patterns are not commands, and `a|b)` is no pipe */
	s = sh(a, "case \"$arch\" in\n  amd64|arm64) url=x; curl -o f $url ;;\n  'i386') exit 1 ;;\n  *) echo other ;;\nesac; make");
	assert_int_equal(s.n, 4);
	assert_string_equal(s.cmds[0].argv[0], "curl");
	assert_int_equal(s.cmds[0].sep, SC_SH_SEMI);
	assert_string_equal(s.cmds[1].argv[0], "exit");
	assert_string_equal(s.cmds[2].argv[0], "echo");
	assert_string_equal(s.cmds[3].argv[0], "make");

	/* unterminated quote and substitution: incomplete, never a crash */
	s = sh(a, "echo 'abc");
	assert_true(s.incomplete);
	s = sh(a, "echo $(ls");
	assert_true(s.incomplete);
	/* nesting beyond the limit is cut */
	s = sh(a, "sh -c \"sh -c 'sh -c \\\"sh -c x\\\"'\"");
	assert_true(s.n >= 3);
	struct sc_strbuf deep;
	sc_strbuf_init(&deep, 4096);
	for (int i = 0; i < 20; i++)
		sc_strbuf_puts(&deep, "$(");
	sc_strbuf_puts(&deep, "x");
	for (int i = 0; i < 20; i++)
		sc_strbuf_puts(&deep, ")");
	s = sh(a, sc_strbuf_str(&deep));
	assert_true(s.truncated);
	sc_strbuf_free(&deep);
	sc_arena_free(a);
}

static void test_serialize_roundtrip(void **state)
{
	(void)state;
	const char *text = "# escape=`\nFROM --platform=$X a AS b\nRUN --mount=type=cache,target=/root/.cache `\n  pip install x\n"
			   "COPY <<EOF /etc/x\nhello\nEOF\nONBUILD RUN make\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"x\"]\n";
	struct sc_dockerfile *df = parse_ok(text);
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 20);
	sc_strbuf_puts(&sb, "# escape=`\n");
	for (size_t i = 0; i < df->n_instrs; i++) {
		sc_df_instr_serialize(df->instrs[i], df->escape, &sb);
		sc_strbuf_putc(&sb, '\n');
	}
	struct sc_dockerfile *df2 = parse_ok(sc_strbuf_str(&sb));
	assert_int_equal(df2->n_instrs, df->n_instrs);
	for (size_t i = 0; i < df->n_instrs; i++) {
		assert_int_equal(df2->instrs[i]->kind, df->instrs[i]->kind);
		assert_string_equal(df2->instrs[i]->args, df->instrs[i]->args);
		assert_int_equal(df2->instrs[i]->n_flags, df->instrs[i]->n_flags);
	}
	assert_string_equal(df2->instrs[2]->heredocs[0].body, "hello\n");
	assert_true(df2->instrs[4]->json);
	sc_strbuf_free(&sb);
	sc_dockerfile_free(df2);
	sc_dockerfile_free(df);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_positions),
		cmocka_unit_test(test_continuations),
		cmocka_unit_test(test_escape_directive),
		cmocka_unit_test(test_json_and_shell_form),
		cmocka_unit_test(test_heredocs),
		cmocka_unit_test(test_variables_and_stages),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_onbuild_and_case),
		cmocka_unit_test(test_crlf_bom_no_newline),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_shell_tokenizer),
		cmocka_unit_test(test_serialize_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
