/* vulndb.c - benchmark of the vulnerability DB: import of every OSV zip of a directory (time,
 * records/s, DB size on disk, peak RSS) and lookup latency per package (median, p99) over real
 * package names and versions taken from the data. No peer imports OSV here, so the numbers are
 * absolute, printed beside the goals (>= 20,000 records/s; median lookup < 20 us). Lookup latency
 * is wall time per query (median, p99); CPU time per lookup is printed too (the machine is shared).
 * Usage: vulndb [OSV_ZIP_DIR] (default $SHIPCHECK_SHARED/vulndata/osv-zip or ../shared/...). */
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shipcheck/sc_db.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec / 1e6;
}

static double thread_cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct triple {
	char *eco, *name, *version;
};

int main(int argc, char **argv)
{
	const char *shared = getenv("SHIPCHECK_SHARED");
	char *dir = argc > 1 ? sc_xstrdup(argv[1])
			     : sc_xasprintf("%s/vulndata/osv-zip", shared && *shared ? shared : "../shared");
	struct sc_ptrvec zips = {0};
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "vulndb bench: cannot read %s\n", dir);
		return 2;
	}
	struct dirent *de;
	while ((de = readdir(d)))
		if (strstr(de->d_name, ".zip"))
			sc_ptrvec_push(&zips, sc_path_join(dir, de->d_name));
	closedir(d);
	char tmpl[] = "/tmp/shipcheck-bench-XXXXXX";
	if (!mkdtemp(tmpl))
		return 3;
	char *db = sc_path_join(tmpl, "db.sqlite");

	/* import */
	struct sc_db_import_stats st = {0};
	struct sc_error err = {0};
	double t0 = now_s(), c0 = cpu_s();
	if (sc_db_import(db, (const char *const *)zips.items, zips.len, true, &st, &err) != SC_OK) {
		fprintf(stderr, "vulndb bench: import failed: %s\n", err.msg);
		return 3;
	}
	double secs = now_s() - t0, cpu = cpu_s() - c0;
	struct stat sb;
	stat(db, &sb);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double rate = (double)st.records / secs;
	printf("import: %llu records from %zu zips in %.2f s = %.0f records/s (goal >= 20000: %s)\n",
	       (unsigned long long)st.records, zips.len, secs, rate, rate >= 20000 ? "met" : "NOT met");
	printf("import: CPU time %.2f s (user+sys, all threads) = %.0f records per CPU-second; load average now %s",
	       cpu, (double)st.records / cpu, "");
	{
		FILE *la = fopen("/proc/loadavg", "r");
		char buf[64] = "?\n";
		if (la) {
			if (!fgets(buf, sizeof(buf), la))
				snprintf(buf, sizeof(buf), "?\n");
			fclose(la);
		}
		fputs(buf, stdout);
	}
	printf("import: DB size %.1f MiB, peak RSS %.1f MiB\n", (double)sb.st_size / 1048576.0,
	       (double)ru.ru_maxrss / 1024.0);

	/* lookups: one real (ecosystem, name, version) per package: the last event version of its
	 * first range (ranges are stored packed: tagged NUL-terminated entries, lib/vulndb/vulndb.h).
	 * The sample is a fixed pseudo-random order, so runs compare. */
	sqlite3 *h;
	sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(h,
			   "SELECT ecosystem, raw_name, ranges FROM affected WHERE length(ranges) > 0"
			   " GROUP BY ecosystem, name ORDER BY (min(rowid) * 2654435761) % 4294967296 LIMIT 5000",
			   -1, &s, NULL);
	struct triple *t = sc_xcalloc(5000, sizeof(*t));
	size_t nt = 0;
	while (sqlite3_step(s) == SQLITE_ROW && nt < 5000) {
		const char *p = sqlite3_column_blob(s, 2), *last = NULL;
		size_t len = (size_t)sqlite3_column_bytes(s, 2);
		if (!p || !len || p[len - 1] != '\0')
			continue;
		for (const char *q = p + strlen(p) + 1; q < p + len && *q != 'E' && *q != 'S'; q += strlen(q) + 1)
			last = q + 1;
		if (!last)
			continue;
		t[nt].eco = sc_xstrdup((const char *)sqlite3_column_text(s, 0));
		t[nt].name = sc_xstrdup((const char *)sqlite3_column_text(s, 1));
		t[nt].version = sc_xstrdup(last);
		nt++;
	}
	sqlite3_finalize(s);
	sqlite3_close(h);
	struct sc_db *vdb = NULL;
	if (sc_db_open(db, &vdb, &err) != SC_OK) {
		fprintf(stderr, "vulndb bench: %s\n", err.msg);
		return 3;
	}
	double *lat = sc_xcalloc(nt ? nt : 1, sizeof(double));
	size_t nok = 0, matches = 0, noscheme = 0;
	/* pass 0 warms the page cache; pass 1 times each query by the wall clock; pass 2 by the
	 * thread's CPU clock (a syscall per reading, so apart), which a busy machine does not
	 * inflate: on a shared machine the wall-clock tail holds queries that were descheduled. */
	double *cpulat = sc_xcalloc(nt ? nt : 1, sizeof(double));
	double cpu_lookups = 0;
	size_t ncpu = 0;
	for (int pass = 0; pass < 3; pass++) {
		if (pass < 2) {
			nok = 0;
			matches = 0;
		}
		ncpu = 0;
		noscheme = 0;
		double pc0 = cpu_s();
		for (size_t i = 0; i < nt; i++) {
			struct sc_arena *a = sc_arena_new();
			struct sc_vuln_match *m;
			size_t n;
			double q0 = pass == 2 ? thread_cpu_s() : now_s();
			enum sc_status qs = sc_db_query(vdb, t[i].eco, t[i].name, t[i].version, a, &m, &n, &err);
			double q1 = pass == 2 ? thread_cpu_s() : now_s();
			sc_error_clear(&err);
			sc_arena_free(a);
			if (qs != SC_OK) {
				noscheme++;
				continue;
			}
			if (pass == 2) {
				cpulat[ncpu++] = (q1 - q0) * 1e6;
			} else {
				lat[nok++] = (q1 - q0) * 1e6;
				matches += n;
			}
		}
		if (pass == 1)
			cpu_lookups = cpu_s() - pc0;
	}
	qsort(lat, nok, sizeof(double), cmp_double);
	qsort(cpulat, ncpu, sizeof(double), cmp_double);
	if (nok) {
		double med = lat[nok / 2], p99 = lat[(size_t)((double)nok * 0.99)];
		printf("lookup: %zu packages (%zu matches; %zu rejected: the version taken from the data is not valid in the scheme),\n"
		       "lookup: median %.1f us, p99 %.1f us (goal median < 20 us: %s)\n",
		       nok, matches, noscheme, med, p99, med < 20 ? "met" : "NOT met");
		if (ncpu)
			printf("lookup: CPU time per query: median %.1f us, p99 %.1f us, max %.1f us; %.1f us on average "
			       "(user+sys of the whole timed pass)\n",
			       cpulat[ncpu / 2], cpulat[(size_t)((double)ncpu * 0.99)], cpulat[ncpu - 1],
			       cpu_lookups / (double)nt * 1e6);
	} else {
		printf("lookup: no package could be queried\n");
	}
	free(cpulat);
	sc_db_close(vdb);
	unlink(db);
	rmdir(tmpl);
	return 0;
}
