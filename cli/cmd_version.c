/* cmd_version.c - `shipcheck version compare|satisfies|schemes`: version comparisons of every
 * ecosystem from the command line, one query or tab-separated lines on standard input. */
#include "cli.h"

#include "shipcheck/sc_version.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: shipcheck version compare ECOSYSTEM A B\n"
	"       shipcheck version satisfies [--include-prerelease] ECOSYSTEM VERSION RANGE\n"
	"       shipcheck version compare|satisfies [--include-prerelease] [ECOSYSTEM] -\n"
	"       shipcheck version schemes\n\n"
	"compare prints `<`, `=` or `>`; satisfies prints `true` or `false`. RANGE is the ecosystem's\n"
	"native syntax (npm `^1.2 || >=3`, PyPI `>=1.0,!=1.5.*`, Packagist `^1.2 | ~2.0@dev`, Debian/RPM/Go\n"
	"`>= 1.0, << 2.0`, Alpine `>=1.2-r0 <2`) or an OSV range as JSON ({\"type\":\"ECOSYSTEM\",\"events\":[...]},\n"
	"an array of them, or an `affected` entry with \"ranges\" and \"versions\").\n"
	"ECOSYSTEM is an OSV name (Debian, Ubuntu, Alpine, Red Hat, npm, PyPI, Packagist, Go, crates.io,\n"
	"optionally with :RELEASE) or a scheme name (deb, rpm, apk, semver, npm, pep440, composer, go).\n"
	"With `-`, lines of standard input are read, tab-separated: `A<TAB>B` / `VERSION<TAB>RANGE`, or with\n"
	"the ecosystem first when ECOSYSTEM is `-` too; one answer line each (`error<TAB>message` for a bad\n"
	"line, and exit code 2 at the end).\n"
	"  --include-prerelease   npm/PyPI/crates.io: let prereleases match any range\n\n" SC_CLI_EXIT_HELP;

#define LINE_MAX_BYTES (1 << 20)

static const struct sc_scheme *find(const char *eco, struct sc_error *err)
{
	const struct sc_scheme *s = sc_scheme_find(eco);
	if (!s)
		sc_error_set(err, SC_EINPUT, NULL, 0, 0,
			     "unknown ecosystem `%s` (see `shipcheck version schemes`)", eco);
	return s;
}

/* One query: fields are ECOSYSTEM, A, B. Prints the answer; returns the status. */
static enum sc_status one(bool sat, bool incpr, const char *eco, const char *a, const char *b, struct sc_error *err)
{
	const struct sc_scheme *s = find(eco, err);
	if (!s)
		return SC_EINPUT;
	if (sat) {
		bool out;
		const char *note = NULL;
		enum sc_status st = sc_version_in_range(s, a, b, incpr, &out, &note, err);
		if (st != SC_OK)
			return st;
		if (note)
			fprintf(stderr, "shipcheck: note: %s\n", note);
		puts(out ? "true" : "false");
		return SC_OK;
	}
	int c;
	enum sc_status st = sc_version_compare(s, a, b, &c, err);
	if (st != SC_OK)
		return st;
	puts(c < 0 ? "<" : c > 0 ? ">" : "=");
	return SC_OK;
}

static int batch(bool sat, bool incpr, const char *eco)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = SC_EXIT_PASS;
	unsigned lineno = 0;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		struct sc_error err = {0};
		char *f[3] = {0};
		size_t want = eco ? 2 : 3, nf = 0;
		char *p = line;
		while (nf < want) {
			f[nf++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		enum sc_status st;
		if ((size_t)n > LINE_MAX_BYTES)
			st = sc_error_set(&err, SC_ELIMIT, "<stdin>", lineno, 0, "line longer than %d bytes", LINE_MAX_BYTES);
		else if (nf != want || strchr(f[want - 1], '\t'))
			st = sc_error_set(&err, SC_EINPUT, "<stdin>", lineno, 0, "expected %zu tab-separated fields", want);
		else if (eco)
			st = one(sat, incpr, eco, f[0], f[1], &err);
		else
			st = one(sat, incpr, f[0], f[1], f[2], &err);
		if (st != SC_OK) {
			char buf[1024];
			sc_error_format(&err, buf, sizeof(buf));
			if (err.file)
				printf("error\t%s\n", buf);
			else
				printf("error\t<stdin>:%u: %s\n", lineno, buf);
			rc = SC_EXIT_USAGE;
		}
		sc_error_clear(&err);
	}
	free(line);
	fflush(stdout);
	return rc;
}

int cmd_version(int argc, char **argv)
{
	if (argc < 2)
		return sc_cli_usage_error("version", "expected compare, satisfies or schemes");
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		fputs(help, stdout);
		return SC_EXIT_PASS;
	}
	if (!strcmp(sub, "schemes")) {
		for (size_t i = 0; i < sc_scheme_count(); i++) {
			const struct sc_scheme *s = sc_scheme_at(i);
			printf("%-9s", s->name);
			for (const char *const *e = s->ecosystems; e && *e; e++)
				printf("%s%s", e == s->ecosystems ? " " : ", ", *e);
			putchar('\n');
		}
		return SC_EXIT_PASS;
	}
	bool sat = !strcmp(sub, "satisfies");
	if (!sat && strcmp(sub, "compare"))
		return sc_cli_usage_error("version", "unknown subcommand `%s`", sub);
	bool incpr = false;
	int i = 2;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--include-prerelease"))
			incpr = true;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return SC_EXIT_PASS;
		} else
			return sc_cli_usage_error("version", "unknown option `%s`", argv[i]);
	}
	int n = argc - i;
	char **a = argv + i;
	if (n == 1 && !strcmp(a[0], "-"))
		return batch(sat, incpr, NULL);
	if (n == 2 && !strcmp(a[1], "-")) {
		struct sc_error err = {0};
		if (!find(a[0], &err))
			return sc_cli_error(&err, SC_EINPUT);
		return batch(sat, incpr, a[0]);
	}
	if (n != 3)
		return sc_cli_usage_error("version", "expected ECOSYSTEM and two arguments, or `-`");
	struct sc_error err = {0};
	enum sc_status st = one(sat, incpr, a[0], a[1], a[2], &err);
	int rc = st == SC_OK ? SC_EXIT_PASS : sc_cli_error(&err, st);
	sc_error_clear(&err);
	return rc;
}
