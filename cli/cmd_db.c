/* cmd_db.c - `shipcheck db import|update|status|query`: builds, refreshes, describes and queries
 * the vulnerability database (lib/vulndb does the work; this file parses options and prints). */
#include "cli.h"
#include "shipcheck/sc_db.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: shipcheck db import [--db FILE] [-q] PATH...\n"
	"       shipcheck db update [--db FILE] [--mirror URL] [--ecosystem ECO]... [--force] [-q]\n"
	"       shipcheck db status [--db FILE] [--max-age DAYS] [--format text|json]\n"
	"       shipcheck db query  [--db FILE] [--format text|json] ECOSYSTEM NAME VERSION\n"
	"       shipcheck db query  [--db FILE] [--format text|json] -   (ECOSYSTEM<TAB>NAME<TAB>VERSION lines on stdin)\n\n"
	"The vulnerability database is one SQLite file built from OSV advisories.\n"
	"  import   OSV JSON files, directory trees, or zips shaped like OSV's all.zip exports.\n"
	"           Re-importing replaces a record only when its `modified` is newer; one transaction.\n"
	"  update   downloads <base>/<Ecosystem>/all.zip for each ecosystem (default base\n"
	"           " SC_DB_DEFAULT_BASE_URL ") with conditional requests and retries,\n"
	"           builds a new DB beside the old one and swaps it in when complete.\n"
	"  status   path, schema version, sources, counts per ecosystem, build time, content digest;\n"
	"           warns when the DB is older than --max-age days (default 7).\n"
	"  query    is this exact package version affected, and by which advisories and ranges?\n\n"
	"Options:\n"
	"      --db FILE          the database (default: $SHIPCHECK_DB, else\n"
	"                         $XDG_CACHE_HOME/shipcheck/db.sqlite, else ~/.cache/shipcheck/db.sqlite)\n"
	"      --mirror URL       base URL of an internal mirror of the OSV exports\n"
	"      --ecosystem ECO    update only these ecosystems (repeatable; default: Alpine, crates.io,\n"
	"                         Debian, Go, Maven, npm, NuGet, Packagist, PyPI, RubyGems, Ubuntu)\n"
	"      --force            download even when the cached export is current\n"
	"      --max-age DAYS     status: warn when the DB is older (default 7)\n"
	"  -f, --format FMT       status, query: text (default) or json\n"
	"  -q, --quiet            no progress bar, only errors and the summary\n"
	"  -h, --help             this help\n\n"
	"Exit codes: 0 ok (query: not affected), 1 query: affected, 2 bad usage, bad input or an\n"
	"unusable database, 3 internal error.\n";

struct db_opts {
	const char *db;
	const char *mirror;
	const char *format;
	const char *ecos[64];
	size_t n_ecos;
	long max_age_days;
	bool quiet;
	bool force;
};

static int usage(const char *fmt, const char *arg)
{
	fputs("shipcheck: db: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(see `shipcheck db --help`)\n", stderr);
	return SC_EXIT_USAGE;
}

static int parse(int argc, char **argv, struct db_opts *o)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 0x301},
		{"mirror", required_argument, NULL, 0x302},
		{"ecosystem", required_argument, NULL, 0x303},
		{"force", no_argument, NULL, 0x304},
		{"max-age", required_argument, NULL, 0x305},
		{"format", required_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 0x301: o->db = optarg; break;
		case 0x302: o->mirror = optarg; break;
		case 0x303:
			if (o->n_ecos >= sizeof(o->ecos) / sizeof(o->ecos[0]) - 1)
				return usage("too many --ecosystem options%s", "");
			o->ecos[o->n_ecos++] = optarg;
			break;
		case 0x304: o->force = true; break;
		case 0x305: {
			char *end;
			o->max_age_days = strtol(optarg, &end, 10);
			if (*end || o->max_age_days < 0)
				return usage("--max-age: not a number of days: `%s`", optarg);
			break;
		}
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return usage("--format must be text or json, not `%s`", optarg);
			o->format = optarg;
			break;
		case 'q': o->quiet = true; break;
		case 'h': fputs(help, stdout); return -1;
		default: fputs(help, stderr); return SC_EXIT_USAGE;
		}
	}
	return 0;
}

static const char *db_path(const struct db_opts *o)
{
	return o->db ? o->db : sc_db_default_path();
}

static void print_import_stats(const struct sc_db_import_stats *s)
{
	for (size_t i = 0; i < s->n_warning_msgs; i++)
		fprintf(stderr, "shipcheck: warning: %s\n", s->warning_msgs[i]);
	if (s->warnings > s->n_warning_msgs)
		fprintf(stderr, "shipcheck: warning: ... and %llu more warnings\n",
			(unsigned long long)(s->warnings - s->n_warning_msgs));
	printf("imported %llu records from %llu documents in %.2fs: %llu new, %llu updated, %llu unchanged, "
	       "%llu skipped, %llu warnings\n",
	       (unsigned long long)s->records, (unsigned long long)s->files, s->seconds, (unsigned long long)s->inserted,
	       (unsigned long long)s->updated, (unsigned long long)s->unchanged, (unsigned long long)s->skipped,
	       (unsigned long long)s->warnings);
}

static int do_import(struct db_opts *o, int argc, char **argv)
{
	if (optind >= argc)
		return usage("import: expected at least one PATH%s", "");
	struct sc_db_import_stats stats = {0};
	struct sc_error err = {0};
	bool existed = access(db_path(o), F_OK) == 0;
	enum sc_status st = sc_db_import(db_path(o), (const char *const *)argv + optind, (size_t)(argc - optind),
					 o->quiet, &stats, &err);
	int rc = SC_EXIT_PASS;
	if (st != SC_OK) {
		for (size_t i = 0; i < stats.n_warning_msgs; i++)
			fprintf(stderr, "shipcheck: warning: %s\n", stats.warning_msgs[i]);
		rc = sc_cli_error(&err, st);
		fprintf(stderr, "shipcheck: nothing imported; %s %s\n", db_path(o), existed ? "is unchanged" : "was not created");
	} else {
		print_import_stats(&stats);
		printf("database: %s\n", db_path(o));
	}
	sc_error_clear(&err);
	sc_db_import_stats_clear(&stats);
	return rc;
}

static int do_update(struct db_opts *o, int argc, char **argv)
{
	if (optind < argc)
		return usage("update: unexpected argument `%s`", argv[optind]);
	struct sc_db_update_options uo = {
		.db_path = db_path(o),
		.base_url = o->mirror,
		.quiet = o->quiet,
		.force = o->force,
	};
	if (o->n_ecos) {
		o->ecos[o->n_ecos] = NULL;
		uo.ecosystems = o->ecos;
	}
	struct sc_db_update_stats stats = {0};
	struct sc_error err = {0};
	enum sc_status st = sc_db_update(&uo, &stats, &err);
	int rc = SC_EXIT_PASS;
	if (st != SC_OK) {
		rc = sc_cli_error(&err, st);
		fprintf(stderr, "shipcheck: update failed; %s is unchanged\n", uo.db_path);
	} else {
		printf("downloaded %u, not modified %u\n", stats.downloaded, stats.not_modified);
		if (stats.rebuilt)
			print_import_stats(&stats.import);
		else
			printf("database is up to date\n");
		printf("database: %s\n", uo.db_path);
	}
	sc_error_clear(&err);
	sc_db_import_stats_clear(&stats.import);
	return rc;
}

static int open_db(const struct db_opts *o, struct sc_db **db)
{
	struct sc_error err = {0};
	enum sc_status st = sc_db_open(db_path(o), db, &err);
	if (st != SC_OK) {
		int rc = sc_cli_error(&err, st);
		if (st == SC_EIO)
			fprintf(stderr, "shipcheck: run `shipcheck db update` or `shipcheck db import` first\n");
		sc_error_clear(&err);
		return rc;
	}
	return 0;
}

static int do_status(struct db_opts *o, int argc, char **argv)
{
	if (optind < argc)
		return usage("status: unexpected argument `%s`", argv[optind]);
	struct sc_db *db = NULL;
	int rc = open_db(o, &db);
	if (rc)
		return rc;
	struct sc_arena *a = sc_arena_new();
	struct sc_db_info in;
	struct sc_error err = {0};
	enum sc_status st = sc_db_info(db, a, &in, &err);
	if (st != SC_OK) {
		rc = sc_cli_error(&err, st);
		goto out;
	}
	bool old = in.age_seconds > o->max_age_days * 86400;
	if (o->format && !strcmp(o->format, "json")) {
		json_t *j = json_pack("{sssisssssssIsIsIsb}", "path", in.path, "schema_version", in.schema_version,
				      "built_at", in.built_at ? in.built_at : "", "digest", in.digest ? in.digest : "",
				      "tool_version", in.tool_version ? in.tool_version : "", "advisories",
				      (json_int_t)in.advisories, "withdrawn", (json_int_t)in.withdrawn, "age_seconds",
				      (json_int_t)in.age_seconds, "stale", old);
		json_t *srcs = json_array();
		for (size_t i = 0; i < in.n_sources; i++) {
			const struct sc_db_source *s = &in.source_list[i];
			json_t *x = json_pack("{sssssI}", "name", s->name, "fetched_at", s->fetched_at ? s->fetched_at : "",
					      "records", (json_int_t)s->records);
			if (s->url)
				json_object_set_new(x, "url", json_string(s->url));
			if (s->etag && *s->etag)
				json_object_set_new(x, "etag", json_string(s->etag));
			if (s->last_modified && *s->last_modified)
				json_object_set_new(x, "last_modified", json_string(s->last_modified));
			json_array_append_new(srcs, x);
		}
		json_object_set_new(j, "sources", srcs);
		json_t *ecos = json_object();
		for (size_t i = 0; i < in.n_ecosystems; i++)
			json_object_set_new(ecos, in.ecosystems[i].ecosystem,
					    json_pack("{sIsI}", "advisories", (json_int_t)in.ecosystems[i].advisories,
						      "affected", (json_int_t)in.ecosystems[i].affected));
		json_object_set_new(j, "ecosystems", ecos);
		char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(j);
	} else {
		printf("path:           %s\n", in.path);
		printf("schema version: %d\n", in.schema_version);
		printf("built at:       %s (by shipcheck %s)\n", in.built_at ? in.built_at : "?",
		       in.tool_version ? in.tool_version : "?");
		printf("digest:         %s\n", in.digest ? in.digest : "?");
		printf("advisories:     %lld (%lld withdrawn, kept but never matched)\n", (long long)in.advisories,
		       (long long)in.withdrawn);
		printf("sources:\n");
		for (size_t i = 0; i < in.n_sources; i++) {
			const struct sc_db_source *s = &in.source_list[i];
			printf("  %-28s %7lld records  %s%s%s\n", s->name, (long long)s->records, s->fetched_at,
			       s->url ? "  " : "", s->url ? s->url : "");
		}
		printf("ecosystems:\n");
		for (size_t i = 0; i < in.n_ecosystems; i++)
			printf("  %-28s %7lld advisories %8lld affected entries\n", in.ecosystems[i].ecosystem,
			       (long long)in.ecosystems[i].advisories, (long long)in.ecosystems[i].affected);
	}
	if (old)
		fprintf(stderr, "shipcheck: warning: the database is %lld days old (more than %ld): run `shipcheck db update`\n",
			(long long)(in.age_seconds / 86400), o->max_age_days);
out:
	sc_error_clear(&err);
	sc_arena_free(a);
	sc_db_close(db);
	return rc;
}

static json_t *strings_json(const char *const *v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* Prints one package's matches; returns 1 when affected, 0 when not, 2 on bad input. */
static int query_one(struct sc_db *db, const char *eco, const char *name, const char *version, bool json,
		     json_t *jout, unsigned line)
{
	struct sc_arena *a = sc_arena_new();
	struct sc_vuln_match *m = NULL;
	size_t n = 0;
	struct sc_error err = {0};
	enum sc_status st = sc_db_query(db, eco, name, version, a, &m, &n, &err);
	int rc = n ? 1 : 0;
	if (st != SC_OK) {
		char buf[2048];
		sc_error_format(&err, buf, sizeof(buf));
		if (line)
			fprintf(stderr, "shipcheck: <stdin>:%u: %s %s %s: %s\n", line, eco, name, version, buf);
		else
			fprintf(stderr, "shipcheck: %s %s %s: %s\n", eco, name, version, buf);
		rc = 2;
		goto out;
	}
	if (json) {
		json_t *pkg = json_pack("{sssssss[]}", "ecosystem", eco, "name", name, "version", version, "vulnerabilities");
		json_t *arr = json_object_get(pkg, "vulnerabilities");
		for (size_t i = 0; i < n; i++) {
			json_t *v = json_pack("{sssossso}", "id", m[i].id, "aliases", strings_json(m[i].aliases), "severity",
					      sc_severity_name(m[i].severity), "fixed", strings_json(m[i].fixed));
			if (m[i].cvss_vector) {
				json_object_set_new(v, "score", json_real(m[i].score));
				json_object_set_new(v, "cvss_vector", json_string(m[i].cvss_vector));
			}
			if (m[i].severity_source)
				json_object_set_new(v, "severity_source", json_string(m[i].severity_source));
			if (m[i].range_desc)
				json_object_set_new(v, "matched_range", json_string(m[i].range_desc));
			if (m[i].summary)
				json_object_set_new(v, "summary", json_string(m[i].summary));
			if (m[i].url)
				json_object_set_new(v, "url", json_string(m[i].url));
			if (m[i].ecosystem_note)
				json_object_set_new(v, "note", json_string(m[i].ecosystem_note));
			json_array_append_new(arr, v);
		}
		json_array_append_new(jout, pkg);
	} else {
		if (n)
			printf("%s %s %s: %zu %s\n", eco, name, version, n, n == 1 ? "vulnerability" : "vulnerabilities");
		else
			printf("%s %s %s: no known vulnerabilities\n", eco, name, version);
		for (size_t i = 0; i < n; i++) {
			printf("  %s %s", sc_severity_name(m[i].severity), m[i].id);
			for (size_t k = 0; m[i].aliases && m[i].aliases[k]; k++)
				printf("%s%s", k ? ", " : " (", m[i].aliases[k]);
			if (m[i].aliases && m[i].aliases[0])
				putchar(')');
			putchar('\n');
			if (m[i].summary && *m[i].summary)
				printf("      %s\n", m[i].summary);
			printf("      affected: %s\n", m[i].range_desc ? m[i].range_desc : "?");
			printf("      fixed in: ");
			if (!m[i].fixed || !m[i].fixed[0])
				printf("no fixed version known");
			for (size_t k = 0; m[i].fixed && m[i].fixed[k]; k++)
				printf("%s%s", k ? ", " : "", m[i].fixed[k]);
			putchar('\n');
			if (m[i].cvss_vector)
				printf("      score:    %.1f %s\n", m[i].score, m[i].cvss_vector);
			else if (m[i].severity_source)
				printf("      severity: from %s\n", m[i].severity_source);
			if (m[i].ecosystem_note)
				printf("      note:     %s\n", m[i].ecosystem_note);
			if (m[i].url)
				printf("      see:      %s\n", m[i].url);
		}
	}
out:
	sc_error_clear(&err);
	sc_arena_free(a);
	return rc;
}

static int do_query(struct db_opts *o, int argc, char **argv)
{
	bool stdin_mode = argc - optind == 1 && !strcmp(argv[optind], "-");
	if (!stdin_mode && argc - optind != 3)
		return usage("query: expected ECOSYSTEM NAME VERSION, or - to read them from stdin%s", "");
	struct sc_db *db = NULL;
	int rc = open_db(o, &db);
	if (rc)
		return rc;
	bool json = o->format && !strcmp(o->format, "json");
	json_t *jout = json_array();
	int worst = 0;
	if (!stdin_mode) {
		worst = query_one(db, argv[optind], argv[optind + 1], argv[optind + 2], json, jout, 0);
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;
		unsigned no = 0;
		while ((len = getline(&line, &cap, stdin)) >= 0) {
			no++;
			while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				line[--len] = '\0';
			if (!len || line[0] == '#')
				continue;
			char *f[3];
			char *p = line;
			int k = 0;
			for (; k < 3 && p; k++) {
				f[k] = p;
				p = strchr(p, '\t');
				if (p)
					*p++ = '\0';
			}
			if (k != 3 || p) {
				fprintf(stderr, "shipcheck: <stdin>:%u: expected ECOSYSTEM<TAB>NAME<TAB>VERSION\n", no);
				worst = 2;
				continue;
			}
			int r = query_one(db, f[0], f[1], f[2], json, jout, no);
			if (r > worst)
				worst = r;
		}
		free(line);
	}
	if (json) {
		char *s = json_dumps(stdin_mode ? jout : json_array_get(jout, 0), JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(3));
		if (s)
			puts(s);
		free(s);
	}
	json_decref(jout);
	sc_db_close(db);
	return worst;
}

int cmd_db(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? SC_EXIT_USAGE : SC_EXIT_PASS;
	}
	const char *sub = argv[1];
	struct db_opts o = {.max_age_days = 7};
	int rc = parse(argc - 1, argv + 1, &o);
	if (rc)
		return rc < 0 ? SC_EXIT_PASS : rc;
	argc--;
	argv++;
	if (!strcmp(sub, "import"))
		return do_import(&o, argc, argv);
	if (!strcmp(sub, "update"))
		return do_update(&o, argc, argv);
	if (!strcmp(sub, "status"))
		return do_status(&o, argc, argv);
	if (!strcmp(sub, "query"))
		return do_query(&o, argc, argv);
	return usage("unknown subcommand `%s` (import, update, status, query)", sub);
}
