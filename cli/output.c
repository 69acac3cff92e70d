/* output.c - report output options shared by the commands, atomic report files, exit codes. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int sc_cli_error(const struct sc_error *err, enum sc_status st)
{
	char buf[4096];
	sc_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "shipcheck: %s\n", buf);
	switch (st) {
	case SC_EINPUT:
	case SC_ELIMIT:
	case SC_EIO:
	case SC_EDB:
		return SC_EXIT_USAGE;
	default:
		return SC_EXIT_INTERNAL;
	}
}

int sc_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("shipcheck: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\n(see `shipcheck %s --help`)\n", cmd);
	else
		fputs("\n(see `shipcheck --help`)\n", stderr);
	return SC_EXIT_USAGE;
}

bool sc_cli_output_option(struct sc_cli_outputs *o, int opt, const char *arg, bool *bad)
{
	switch (opt) {
	case 'f': {
		const struct sc_reporter *rep = sc_reporter_find(arg);
		if (!rep) {
			fprintf(stderr, "shipcheck: unknown format `%s` (expected", arg);
			for (size_t i = 0; i < sc_reporter_count(); i++)
				fprintf(stderr, "%s%s", i ? ", " : " ", sc_reporter_at(i)->name);
			fprintf(stderr, ")\n");
			*bad = true;
			return true;
		}
		if (o->n == sizeof(o->items) / sizeof(o->items[0])) {
			fprintf(stderr, "shipcheck: too many --format options\n");
			*bad = true;
			return true;
		}
		o->items[o->n].reporter = rep;
		o->items[o->n].path = NULL;
		o->n++;
		return true;
	}
	case 'o':
		if (!o->n) {
			/* --output before any --format: the default text report goes there */
			o->items[0].reporter = sc_reporter_find("text");
			o->n = 1;
		}
		if (o->items[o->n - 1].path) {
			fprintf(stderr, "shipcheck: --output `%s` follows another --output; give a --format before each\n", arg);
			*bad = true;
			return true;
		}
		o->items[o->n - 1].path = arg;
		return true;
	case 'q':
		o->quiet = true;
		return true;
	case 0x101:
		o->show_suppressed = true;
		return true;
	case 0x102:
		o->docs_url = arg;
		return true;
	case 0x103:
		o->notify_url = arg;
		return true;
	}
	return false;
}

bool sc_cli_outputs_validate(struct sc_cli_outputs *o)
{
	if (!o->n) {
		o->items[0].reporter = sc_reporter_find("text");
		o->items[0].path = NULL;
		o->n = 1;
	}
	size_t on_stdout = 0;
	for (size_t i = 0; i < o->n; i++) {
		const char *p = o->items[i].path;
		if (!p || !strcmp(p, "-")) {
			on_stdout++;
			continue;
		}
		char *dir = sc_xstrdup(p);
		char *slash = strrchr(dir, '/');
		const char *d = ".";
		if (slash) {
			*slash = '\0';
			d = *dir ? dir : "/";
		}
		struct stat sb;
		if (stat(d, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			fprintf(stderr, "shipcheck: %s: output directory %s does not exist\n", p, d);
			free(dir);
			return false;
		}
		if (access(d, W_OK) != 0) {
			fprintf(stderr, "shipcheck: %s: output directory %s is not writable\n", p, d);
			free(dir);
			return false;
		}
		free(dir);
		for (size_t k = 0; k < i; k++) {
			if (o->items[k].path && !strcmp(o->items[k].path, p)) {
				fprintf(stderr, "shipcheck: %s: given as --output for two formats\n", p);
				return false;
			}
		}
	}
	if (on_stdout > 1) {
		fprintf(stderr, "shipcheck: %zu formats would go to standard output; give --output FILE after each --format but one\n", on_stdout);
		return false;
	}
	return true;
}

int sc_cli_write_reports(const struct sc_cli_outputs *o, const struct sc_result *r)
{
	struct sc_report_options ro = {
		.quiet = o->quiet,
		.show_suppressed = o->show_suppressed,
		.runbook = r->runbook,
		.docs_base_uri = o->docs_url,
	};
	const char *nc = getenv("NO_COLOR");
	int rc = SC_EXIT_PASS;
	for (size_t i = 0; i < o->n; i++) {
		const struct sc_cli_output *out = &o->items[i];
		struct sc_error err = {0};
		enum sc_status st;
		if (!out->path || !strcmp(out->path, "-")) {
			ro.color = isatty(STDOUT_FILENO) && !(nc && *nc) && !getenv("SHIPCHECK_NO_COLOR");
			st = out->reporter->write(r, &ro, stdout, &err);
			fflush(stdout);
		} else {
			ro.color = false;
			struct sc_outfile of;
			st = sc_outfile_open(&of, out->path, &err);
			if (st == SC_OK) {
				st = out->reporter->write(r, &ro, of.fp, &err);
				if (st == SC_OK)
					st = sc_outfile_commit(&of, &err);
				else
					sc_outfile_abort(&of);
			}
		}
		if (st != SC_OK) {
			int e = sc_cli_error(&err, st);
			if (e > rc)
				rc = e;
		}
		sc_error_clear(&err);
	}
	return rc;
}

int sc_cli_verdict(const struct sc_result *r)
{
	return r->failed ? SC_EXIT_FAIL : SC_EXIT_PASS;
}

bool sc_cli_apt_option(struct sc_cli_apt *a, struct sc_scan_options *so, int opt, const char *arg,
		       const char *cmd, int *rc)
{
	*rc = 0;
	switch (opt) {
	case 0x501:
		so->apt_lists = arg;
		return true;
	case 0x502:
		if (a->nsrc == 32)
			*rc = sc_cli_usage_error(cmd, "--apt-source: at most 32");
		else
			a->sources[a->nsrc++] = arg;
		return true;
	case 0x503:
		if (a->nkeys == 32)
			*rc = sc_cli_usage_error(cmd, "--keyring: at most 32");
		else
			a->keyrings[a->nkeys++] = arg;
		return true;
	}
	return false;
}

int sc_cli_apt_finish(struct sc_cli_apt *a, struct sc_scan_options *so, const char *cmd)
{
	if (so->apt_lists && a->nsrc)
		return sc_cli_usage_error(cmd, "--apt-lists and --apt-source exclude each other");
	if (a->nsrc) {
		a->sources[a->nsrc] = NULL;
		so->apt_sources = a->sources;
	}
	if (a->nkeys) {
		a->keyrings[a->nkeys] = NULL;
		so->keyrings = a->keyrings;
	}
	return 0;
}

int sc_cli_fail_on(struct sc_scan_options *so, const char *arg, const char *cmd)
{
	if (!strcasecmp(arg, "none"))
		so->fail_none = true;
	else if (!sc_severity_parse(arg, &so->fail_on))
		return sc_cli_usage_error(cmd, "--fail-on: unknown severity `%s` (critical, high, medium, low, unknown, none)",
					  arg);
	so->fail_on_set = true;
	return 0;
}

int sc_cli_only(struct sc_cli_only *o, struct sc_scan_options *so, const char *arg, const char *cmd)
{
	if (!sc_check_find(arg))
		return sc_cli_usage_error(cmd, "--only: unknown check `%s`", arg);
	if (o->n == sizeof(o->names) / sizeof(o->names[0]) - 1)
		return sc_cli_usage_error(cmd, "--only: at most %zu checks", o->n);
	o->names[o->n++] = arg;
	o->names[o->n] = NULL;
	so->only_checks = o->names;
	/* the checks named are the whole run: the repository's lockfiles are read (and their parse
	 * warnings shown) only when one of them uses the inventory */
	so->skip_inventory = true;
	return 0;
}

bool sc_cli_scan_option(struct sc_scan_options *so, struct sc_cli_only *only, int opt, const char *arg,
			const char *cmd, int *rc)
{
	*rc = 0;
	switch (opt) {
	case 'c': so->config_path = arg; return true;
	case 0x601: *rc = sc_cli_fail_on(so, arg, cmd); return true;
	case 0x602: so->service = arg; return true;
	case 0x603: so->commit = arg; return true;
	case 0x604: so->db_path = arg; return true;
	case 0x605: so->no_db = true; return true;
	case 0x606: *rc = sc_cli_only(only, so, arg, cmd); return true;
	case 0x607: so->include_dev = true; return true;
	case 0x611: so->rootfs_dir = arg; return true;
	case 0x612: so->platform = arg; return true;
	case 0x613: so->cache_dir = arg; return true;
	case 0x614: so->no_cache = true; return true;
	}
	return false;
}

void sc_cli_scan_init(struct sc_cli_scan *c, const char *cmd)
{
	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	sc_scan_options_init(&c->so);
}

bool sc_cli_common_option(struct sc_cli_scan *c, int opt, const char *arg, int *rc)
{
	bool bad = false;
	*rc = 0;
	if (sc_cli_output_option(&c->outs, opt, arg, &bad)) {
		*rc = bad ? SC_EXIT_USAGE : 0;
		return true;
	}
	return sc_cli_apt_option(&c->apt, &c->so, opt, arg, c->cmd, rc) ||
	       sc_cli_scan_option(&c->so, &c->only, opt, arg, c->cmd, rc);
}

int sc_cli_parse(struct sc_cli_scan *c, int argc, char **argv, const char *shortopts,
		 const struct option *longopts, const char *help, sc_cli_own_fn *own, void *ud)
{
	int opt, rc;
	optind = 1;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (own && (rc = own(ud, c, opt, optarg)) != SC_CLI_NOT_MINE) {
			if (rc)
				return rc;
			continue;
		}
		if (sc_cli_common_option(c, opt, optarg, &rc)) {
			if (rc)
				return rc;
			continue;
		}
		if (opt == 'h') {
			fputs(help, stdout);
			return SC_EXIT_PASS;
		}
		fputs(help, stderr);
		return SC_EXIT_USAGE;
	}
	return SC_CLI_NOT_MINE;
}

int sc_cli_image_operand(struct sc_cli_scan *c, int argc, char **argv, const char *noun)
{
	int rest = argc - optind;
	if (c->so.rootfs_dir ? rest != 0 : rest != 1)
		return c->so.rootfs_dir
			       ? sc_cli_usage_error(c->cmd, "--rootfs takes the directory; no %s expected", noun)
			       : sc_cli_usage_error(c->cmd, "expected one %s (or --rootfs DIR)", noun);
	if (!c->so.rootfs_dir)
		c->so.image_path = argv[optind];
	return 0;
}
