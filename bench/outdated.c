/* outdated.c - benchmark of the outdated check against its peer, `apt-get -s dist-upgrade`, on the
 * same dpkg status and the same apt lists: by default the host's own full status file and its real
 * /var/lib/apt/lists. Times the check after the image is read (fs + inventory are built first),
 * prints medians and the ratio, and whether both found the same upgrades.
 * Usage: bench-outdated [STATUS_FILE [LISTS_DIR [RUNS]]] */
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int run_sh(const char *cmd)
{
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	const char *status = argc > 1 ? argv[1] : "/var/lib/dpkg/status";
	const char *lists = argc > 2 ? argv[2] : "/var/lib/apt/lists";
	int runs = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 11;
	if (runs < 1 || runs > 1000)
		runs = 11;
	char tmpl[] = "/tmp/bench-outdated.XXXXXX";
	char *t = mkdtemp(tmpl);
	if (!t)
		return 3;
	char cmd[8192];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/root/var/lib/dpkg %s/etc/sources.list.d %s/etc/conf.d %s/state %s/cache %s/prefs && "
		 "cp '%s' %s/root/var/lib/dpkg/status && "
		 "(cp /etc/apt/sources.list %s/etc/ 2>/dev/null; cp /etc/apt/sources.list.d/*.list "
		 "/etc/apt/sources.list.d/*.sources %s/etc/sources.list.d/ 2>/dev/null; true)",
		 t, t, t, t, t, t, status, t, t, t);
	if (run_sh(cmd) != 0) {
		fprintf(stderr, "bench-outdated: cannot prepare %s\n", t);
		return 3;
	}

	/* the image as the check sees it: built once, not timed */
	char root[4096];
	snprintf(root, sizeof(root), "%s/root", t);
	struct sc_scan_options so;
	sc_scan_options_init(&so);
	so.apt_lists = lists;
	char cdir[4200];
	snprintf(cdir, sizeof(cdir), "%s/cache", t);
	so.cache_dir = cdir; /* run 1 fills the parsed-index cache (cold), the others use it (warm) */
	struct sc_error err = {0};
	struct sc_fs *fs = NULL;
	if (sc_fs_open_dir(root, NULL, &so.limits, &fs, &err) != SC_OK)
		return 3;
	struct sc_inventory *inv = sc_inventory_new();
	inv->os_id = "debian";
	inv->os_version = "12";
	char *data;
	size_t len;
	if (sc_fs_read(fs, "var/lib/dpkg/status", 256u << 20, &data, &len, &err) != SC_OK)
		return 3;
	struct sc_extract_input in = {"var/lib/dpkg/status", (const unsigned char *)data, len, 1, fs};
	sc_extractor_find("dpkg")->extract(&in, inv, &err);
	sc_error_clear(&err);
	struct sc_policy *pol = sc_policy_new_default();
	const struct sc_check *c = sc_check_find("outdated");

	double *ours = calloc((size_t)runs, sizeof(double)), *peer = calloc((size_t)runs, sizeof(double));
	double *ours_cpu = calloc((size_t)runs, sizeof(double));
	size_t found = 0;
	for (int i = 0; i < runs; i++) {
		struct sc_result *r = sc_result_new();
		struct sc_scan_ctx ctx = {.opts = &so, .policy = pol, .result = r, .image_fs = fs, .image_inv = inv};
		double t0 = now_ms(), c0 = cpu_ms();
		enum sc_status st = c->run(&ctx, &err);
		ours[i] = now_ms() - t0;
		ours_cpu[i] = cpu_ms() - c0;
		if (st != SC_OK) {
			fprintf(stderr, "bench-outdated: %s: %s\n", err.file ? err.file : "", err.msg);
			return 3;
		}
		found = r->findings.len;
		sc_result_free(r);
	}
	snprintf(cmd, sizeof(cmd),
		 "apt-get -s -q -o Debug::NoLocking=1 -o Dir::State='%s/state' -o Dir::State::status='%s/root/var/lib/dpkg/status' "
		 "-o Dir::State::Lists='%s' -o Dir::Etc::SourceList='%s/etc/sources.list' "
		 "-o Dir::Etc::SourceParts='%s/etc/sources.list.d' -o Dir::Etc::Parts='%s/etc/conf.d' "
		 "-o Dir::Etc::Preferences='%s/prefs/preferences' -o Dir::Etc::PreferencesParts='%s/prefs' "
		 "-o Dir::Cache='%s/cache' -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= dist-upgrade "
		 "> %s/apt.out 2>/dev/null",
		 t, t, lists, t, t, t, t, t, t, t);
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		if (run_sh(cmd) != 0) {
			fprintf(stderr, "bench-outdated: apt-get -s dist-upgrade failed\n");
			return 3;
		}
		peer[i] = now_ms() - t0;
	}
	snprintf(cmd, sizeof(cmd), "grep -c '^Inst [^ ]* \\[' %s/apt.out > %s/apt.n", t, t);
	run_sh(cmd);
	snprintf(cmd, sizeof(cmd), "%s/apt.n", t);
	FILE *f = fopen(cmd, "r");
	long apt_n = -1;
	if (f) {
		if (fscanf(f, "%ld", &apt_n) != 1)
			apt_n = -1;
		fclose(f);
	}
	double cold = ours[0], cold_cpu = ours_cpu[0];
	if (runs > 1) { /* the warm runs only */
		memmove(ours, ours + 1, (size_t)(runs - 1) * sizeof(double));
		memmove(ours_cpu, ours_cpu + 1, (size_t)(runs - 1) * sizeof(double));
	}
	int warm = runs > 1 ? runs - 1 : 1;
	qsort(ours, (size_t)warm, sizeof(double), cmp_double);
	qsort(ours_cpu, (size_t)warm, sizeof(double), cmp_double);
	qsort(peer, (size_t)runs, sizeof(double), cmp_double);
	double mo = ours[warm / 2], mp = peer[runs / 2];
	printf("bench-outdated: %zu installed packages (%s), lists %s, %d runs\n", inv->packages.len, status, lists, runs);
	printf("  shipcheck outdated check, cold (reads, decompresses, hashes, parses every index, fills the\n"
	       "  parsed-index cache): %.1f ms (CPU %.1f ms)\n", cold, cold_cpu);
	printf("  shipcheck outdated check, warm (cached by index SHA256): median %.1f ms (min %.1f; CPU median %.1f ms), "
	       "%zu findings\n", mo, ours[0], ours_cpu[warm / 2], found);
	printf("  apt-get -s dist-upgrade:  median %.1f ms (min %.1f), %ld upgrades (incl. held: see findings)\n", mp,
	       peer[0], apt_n);
	printf("  ratio apt-get/shipcheck: %.2fx warm, %.2fx cold (goal: shipcheck under 50 ms: %s warm, %s cold)\n", mp / mo,
	       mp / cold, mo < 50 ? "met" : "NOT met", cold < 50 ? "met" : "NOT met");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t);
	run_sh(cmd);
	free(ours);
	free(ours_cpu);
	free(peer);
	free(data);
	sc_policy_free(pol);
	sc_inventory_free(inv);
	sc_fs_free(fs);
	return 0;
}
