/* sc_dockerfile.h - the Dockerfile parser (BuildKit syntax, with line and column for every
 * instruction) and the POSIX-shell tokenizer for RUN commands. Everything a parse returns lives in
 * the document's arena and dies with sc_dockerfile_free(). */
#ifndef SHIPCHECK_SC_DOCKERFILE_H
#define SHIPCHECK_SC_DOCKERFILE_H

#include "sc_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- shell tokenizer ---- */

/* The operator that ends a simple command. */
enum sc_sh_sep {
	SC_SH_END = 0, /* end of the script */
	SC_SH_SEMI,    /* ; or a newline */
	SC_SH_AND,     /* && */
	SC_SH_OR,      /* || */
	SC_SH_PIPE,    /* | or |& : the output goes into the next command */
	SC_SH_BG,      /* & */
};

/* One simple command: its words with quotes removed (expansions are kept as written, e.g.
 * "$HOME/x"), leading VAR=value assignments and redirections left out. */
struct sc_sh_cmd {
	const char **argv;
	size_t argc;
	enum sc_sh_sep sep; /* what follows it */
	unsigned depth;     /* 0 = top level; >0 inside `$(...)`, backticks or `sh -c '...'` */
	bool *quoted;       /* argc flags: the word had quotes (so `*` or `=` in it were literal) */
	const char *program;  /* sc_sh_cmd_program(), set by the tokenizer (NULL: worked out per call) */
	size_t program_index; /* its index in argv */
	void *memo;           /* the Dockerfile rules' package-manager parse of it, NULL until asked */
};

struct sc_sh_script {
	struct sc_sh_cmd *cmds;
	size_t n;
	bool truncated; /* a limit was hit (nesting, commands, words): the list is incomplete */
	bool incomplete; /* unterminated quote or substitution */
};

/* Tokenizes a shell script (text need not be NUL-terminated). Never fails: bad input yields an
 * incomplete script. Allocates in arena. */
void sc_sh_parse(struct sc_arena *arena, const char *text, size_t len, struct sc_sh_script *out);
/* The command's program name without its directory ("/usr/bin/apt-get" -> "apt-get"), skipping
 * wrappers (sudo, env, nice, nohup, command, exec, time, xargs); *first is the index of that word. */
const char *sc_sh_cmd_program(const struct sc_sh_cmd *c, size_t *first);

/* ---- Dockerfile ---- */

enum sc_df_kind {
	SC_DF_UNKNOWN = 0,
	SC_DF_ADD,
	SC_DF_ARG,
	SC_DF_CMD,
	SC_DF_COPY,
	SC_DF_ENTRYPOINT,
	SC_DF_ENV,
	SC_DF_EXPOSE,
	SC_DF_FROM,
	SC_DF_HEALTHCHECK,
	SC_DF_LABEL,
	SC_DF_MAINTAINER,
	SC_DF_ONBUILD,
	SC_DF_RUN,
	SC_DF_SHELL,
	SC_DF_STOPSIGNAL,
	SC_DF_USER,
	SC_DF_VOLUME,
	SC_DF_WORKDIR,
};
/* "FROM", "RUN", ... */
const char *sc_df_kind_name(enum sc_df_kind k);

/* A `--name=value` flag (BuildKit: --mount, --chown, --from, --platform, ...). */
struct sc_df_flag {
	const char *name;  /* without the dashes */
	const char *value; /* NULL for a bare --name */
	unsigned col;
};

struct sc_df_heredoc {
	const char *delim;
	const char *body; /* the lines between the opening word and the delimiter, '\n'-joined */
	bool strip_tabs;  /* <<- */
	bool quoted;      /* quoted delimiter: no expansion */
	unsigned line;    /* first body line */
};

/* ENV / ARG / LABEL key-value pair. value NULL = ARG without default. */
struct sc_df_kv {
	const char *key;
	const char *value;
	bool resolved; /* every variable in value had a known value */
};

/* A variable in scope (ARG or ENV) at an instruction; a persistent list, newest first. */
struct sc_df_var {
	const char *name;
	const char *value; /* NULL: declared, value unknown (build argument without default) */
	bool is_env;
	const struct sc_df_var *next;
};

/* `# shipcheck ignore=RULE[,RULE] reason="..."` on the line above an instruction. */
struct sc_df_pragma {
	const char **rules;
	size_t n_rules;
	const char *reason; /* NULL when missing */
	unsigned line;
	unsigned col;
};

struct sc_df_instr {
	enum sc_df_kind kind;
	const char *keyword; /* as written */
	unsigned line, col;  /* of the keyword */
	unsigned end_line;   /* last line, heredoc bodies included */
	const char *args;    /* the logical line after the keyword and flags, continuations joined */
	unsigned args_line, args_col;
	struct sc_df_flag *flags;
	size_t n_flags;
	bool json; /* exec form: argv holds the JSON array */
	/* JSON form: the array. Shell form: the words of args, quotes removed and, for instructions
	 * where Docker substitutes variables, variables substituted (see `resolved`). */
	const char **argv;
	size_t argc;
	bool resolved;  /* every variable in argv had a known value */
	struct sc_df_kv *kvs; /* ENV, ARG, LABEL */
	size_t n_kvs;
	struct sc_df_heredoc *heredocs;
	size_t n_heredocs;
	struct sc_df_instr *inner; /* ONBUILD: the triggered instruction */
	bool onbuild;              /* this is the inner instruction of an ONBUILD */
	int stage;                 /* index of its stage; -1 before the first FROM */
	const struct sc_df_var *vars; /* ARG/ENV in scope before this instruction */
	bool posix_shell;          /* RUN/CMD shell form runs a POSIX shell (not cmd/powershell) */
	struct sc_sh_script sh;    /* RUN: the tokenized commands (shell form, heredoc scripts and
				    * `sh -c` bodies of exec form) */
	const struct sc_df_pragma *pragma; /* inline suppression, or NULL */
};

struct sc_df_stage {
	const char *image;    /* FROM reference as written */
	const char *resolved; /* with global ARGs substituted (NULL when unresolvable) */
	const char *name;     /* `AS name` (lower-cased), or NULL */
	const char *platform; /* --platform, or NULL */
	int base_stage;       /* index of an earlier stage it builds on, -1 for an image */
	size_t first;         /* index of its FROM in instrs */
	size_t end;           /* one past its last instruction */
	const struct sc_df_instr *from;
	bool windows;         /* a Windows base (or Windows SHELL): POSIX shell rules do not apply */
};

struct sc_dockerfile {
	struct sc_arena *arena;
	const char *path;
	char escape;          /* '\\' or '`' */
	const char *syntax;   /* `# syntax=` directive, or NULL */
	const char *check;    /* `# check=` directive, or NULL */
	struct sc_df_instr **instrs;
	size_t n_instrs;
	struct sc_df_stage *stages;
	size_t n_stages;
	struct sc_df_pragma **pragmas; /* every pragma, attached or not */
	size_t n_pragmas;
	const struct sc_df_var *global_args; /* ARGs before the first FROM */
	unsigned n_lines;
	/* Bytes that variable substitution may still copy, in the parse and in the rules (values are
	 * copied where they are referenced: without a bound `ENV A=$A$A` repeated is exponential).
	 * Past it, a variable's value is unknown, as when it has none. */
	size_t *expand_left;
	struct sc_map *stage_index; /* stage name (lower case) -> index + 1 of the first stage so named */
};
#define SC_DF_EXPAND_BUDGET ((size_t)16 << 20)

struct sc_df_limits {
	size_t max_instructions; /* default 100000 */
	size_t max_heredocs;     /* per instruction, default 64 */
	size_t max_line;         /* one logical line, default 64 MiB */
};

/* Parses a Dockerfile. Errors (SC_EINPUT / SC_ELIMIT) carry path:line:col: binary content, an
 * unknown instruction, an unterminated heredoc, no FROM, a limit exceeded. lim may be NULL. */
enum sc_status sc_dockerfile_parse(const char *path, const char *data, size_t len,
				   const struct sc_df_limits *lim, struct sc_dockerfile **out,
				   struct sc_error *err);
void sc_dockerfile_free(struct sc_dockerfile *df);

/* Looks a variable up in a scope list; *found says whether it is declared. */
const char *sc_df_var_get(const struct sc_df_var *vars, const char *name, bool *found);
/* Substitutes variables in one word the way Docker does ($V, ${V}, ${V:-d}, ${V-d}, ${V:+a},
 * ${V+a}, escapes, quotes removed), with df's escape character and substitution budget (NULL: `\`
 * and a budget of its own). *resolved is false when a variable had no known value. */
char *sc_df_expand(struct sc_arena *a, const struct sc_dockerfile *df, const char *word,
		   const struct sc_df_var *vars, bool *resolved);
/* The stage a `COPY --from` / `FROM` name refers to (name or index), or -1. */
int sc_df_stage_find(const struct sc_dockerfile *df, const char *name, size_t before);
/* Writes the instruction back as one logical line (plus heredoc bodies) that parses to the same
 * instruction. */
void sc_df_instr_serialize(const struct sc_df_instr *in, char escape, struct sc_strbuf *sb);

#ifdef __cplusplus
}
#endif
#endif
