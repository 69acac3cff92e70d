/* filters.h - internal to lib/secrets: per-file context and the false-positive filters. */
#ifndef SC_SECRETS_FILTERS_H
#define SC_SECRETS_FILTERS_H

#include "shipcheck/sc_secrets.h"

/* What a file's name says of its syntax: which of detect-secrets' keyword regexes apply (engine.c),
 * and whether it is the source of a programming language, where an unquoted right-hand side is an
 * expression (SX_CODE and after). */
enum sc_secrets_syntax {
	SX_CONFIG,     /* .env, YAML, INI, shell, no extension...: unquoted values too */
	SX_DOCKERFILE, /* ENV/ARG */
	SX_QUOTED,     /* markup, prose, Terraform, Apex: quoted values only */
	SX_CODE,       /* Java, JavaScript, TypeScript, Python, Ruby, PHP...: quoted values only */
	SX_GO,         /* := and Go's forms */
	SX_C,          /* C and Objective-C: double quotes */
	SX_CPP,        /* C++ and C# */
	SX_OTHER_CODE, /* other languages: detect-secrets reads them as config */
};
struct sc_scan_file_ctx {
	const char *path;
	const char *buf;
	size_t len;
	bool no_generic; /* lockfile, checksum file, minified code: only specific rules run */
	bool fixture;    /* a test, fixture, example or docs file, or third-party code: contextual
			  * rules do not run */
	bool classified; /* no_generic and fixture are known */
	bool text;       /* a config string, not a file */
	bool image;      /* a file of an image layer (a repository has its own lib/) */
	bool patch;      /* a unified diff: hunks are judged by the path they change */
	bool makefile;   /* Makefile, *.mk: `name: prerequisites` is a rule, not an assignment */
	size_t patch_seen, patch_hdr; /* hunk_path()'s progress */
	enum sc_secrets_syntax syntax; /* of path, known from the start */
};

enum sc_secrets_syntax sc_secrets_syntax(const char *path);

void sc_secrets_file_ctx(struct sc_scan_file_ctx *fc, const char *path, const char *buf, size_t len, bool text);
/* Is path a test, fixture, example or documentation file (by its directories and name), and is it
 * inside third-party code (vendor/, node_modules/, deps/, site-packages/...; not the package
 * manager's install-time files, such as pip's direct_url.json)? */
void sc_secrets_path_class(const char *path, bool *fixture, bool *third_party);
/* Is r contextual: its format does not prove a real credential, so it does not run in tests and
 * docs (the connection-string family, and the rows flagged SR_CONTEXT)? */
bool sc_secrets_contextual(const struct sc_secret_rule *r);
/* The start of the line holding offset at in buf, or at - max when the line starts before that. */
size_t sc_secrets_line_start(const char *buf, size_t at, size_t max);
/* True when a hit at offset off of a generic rule (lockfiles, tests, docs, generated, minified) or
 * of a contextual one (connection strings, URL credentials, Authorization headers, .netrc: the
 * format does not prove a real credential; tests and docs) is not confirmed at all. */
bool sc_secrets_skip_hit(struct sc_scan_file_ctx *fc, size_t off, bool generic, bool contextual);
/* Decides whether a candidate secret (buf[off, off+n)) found by rule r is reported. */
/* In a unified diff, is the hunk holding off one that changes a test, fixture, example or docs
 * file (`+++ b/t/data/keys/root.key`)? */
bool sc_secrets_hunk_fixture(struct sc_scan_file_ctx *fc, size_t off);
/* GitHub's and npm's token checksum: the last six characters of prefix_ + 36 are the base62 CRC32
 * of the 30 before them. False when it fails (or s has another shape). */
bool sc_secrets_checksum_ok(const char *s, size_t n);
/* Does s hold ten or more consecutive characters of 0-9a-z, A-Z or 1-90 ("abcdefghij", "1234567890")? */
bool sc_secrets_sequence_run(const char *s, size_t n);
/* sc_secrets_accept's verdicts: not a secret; a secret; a credential's format holding a
 * placeholder or a documented example (AKIAZZZZZZZZZZZZZZZZ, tvly-xxxx..., ...EXAMPLEKEY) */
enum { SC_VERDICT_REJECT, SC_VERDICT_SECRET, SC_VERDICT_PLACEHOLDER };
int sc_secrets_accept(const struct sc_secret_rule *r, const char *buf, size_t buflen, size_t off, size_t n,
		      const struct sc_scan_file_ctx *fc);

#endif
