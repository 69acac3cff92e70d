/* outdated.c - benchmark of the outdated check against its peer, `apt-get -s dist-upgrade`, on the
 * same dpkg status and the same apt lists: by default the host's own full status file and its real
 * /var/lib/apt/lists. Prints, each as a median of RUNS with wall and CPU time (CPU = user + sys of
 * every thread): reading the image (fs + dpkg inventory), the check after the image is read, cold
 * (empty parsed-index cache) and warm (cache filled), what the cold lists load spends (reading +
 * decompressing, SHA256, the whole streaming load), apt-get, the ratios, and whether both found the
 * same upgrades.
 * With KEYRING, the lists' InRelease/Release signatures are checked too (gpgv; cached by content
 * and key identity in the warm runs).
 * Usage: bench-outdated [STATUS_FILE [LISTS_DIR [RUNS [KEYRING]]]]
 * With BENCH_OUTDATED_COLD_ONLY set, only the cold check runs (for a profiler). */
#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
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

/* CPU time of the calling thread only: the critical path of a run whose SHA256 runs in a second
 * thread (on an idle machine the wall time is about the larger of the two threads' CPU times). */
static double thread_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
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

/* Wall and CPU samples of one measured thing. */
struct samples {
	double wall[1000], cpu[1000], main_cpu[1000];
	int n;
	double t0; /* thread CPU at the start of the run */
};

static void sample(struct samples *s, double w0, double c0)
{
	if (s->n < 1000) {
		s->wall[s->n] = now_ms() - w0;
		s->cpu[s->n] = cpu_ms() - c0;
		s->main_cpu[s->n] = thread_cpu_ms() - s->t0;
		s->n++;
	}
}

/* Starts a run: the wall and process CPU clocks through *w0 and *c0, the thread's in s. */
static void start(struct samples *s, double *w0, double *c0)
{
	*w0 = now_ms();
	*c0 = cpu_ms();
	s->t0 = thread_cpu_ms();
}

static double median(double *v, int n)
{
	if (n < 1)
		return 0;
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void report(const char *what, struct samples *s)
{
	double minw = 0;
	for (int i = 0; i < s->n; i++)
		if (!i || s->wall[i] < minw)
			minw = s->wall[i];
	double mw = median(s->wall, s->n), mc = median(s->cpu, s->n), mm = median(s->main_cpu, s->n);
	printf("  %-44s wall median %7.1f ms (min %6.1f)  CPU median %7.1f ms (main thread %6.1f)  (%d runs)\n",
	       what, mw, minw, mc, mm, s->n);
}

/* The image as the check sees it: the status file in a root directory, read like a scan does. */
static struct sc_inventory *read_image(const char *root, const struct sc_scan_options *so, struct sc_fs **fs)
{
	struct sc_error err = {0};
	if (sc_fs_open_dir(root, NULL, &so->limits, fs, &err) != SC_OK)
		return NULL;
	struct sc_inventory *inv = sc_inventory_new();
	inv->os_id = "debian";
	inv->os_version = "12";
	char *data;
	size_t len;
	if (sc_fs_read(*fs, "var/lib/dpkg/status", 256u << 20, &data, &len, &err) != SC_OK)
		return NULL;
	struct sc_extract_input in = {"var/lib/dpkg/status", (const unsigned char *)data, len, 1, *fs};
	sc_extractor_find("dpkg")->extract(&in, inv, &err);
	sc_error_clear(&err);
	free(data);
	return inv;
}

/* What the cold lists load is made of: reading + decompressing every index, and SHA256 over the
 * decompressed bytes (both as the old whole-file code did them), against the streaming load. */
static void breakdown(const char *lists, const struct sc_inventory *inv, int runs)
{
	struct samples dec = {0}, sha = {0}, load = {0};
	struct sc_map *wanted = sc_map_new();
	for (size_t i = 0; i < inv->packages.len; i++) {
		const struct sc_package *p = inv->packages.items[i];
		sc_map_put(wanted, p->name, (void *)p);
	}
	DIR *d = opendir(lists);
	struct sc_ptrvec files = {0};
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (strstr(de->d_name, "_Packages"))
			sc_ptrvec_push(&files, sc_xasprintf("%s/%s", lists, de->d_name));
	if (d)
		closedir(d);
	uint64_t bytes = 0;
	for (int r = 0; r < runs; r++) {
		double w0, c0;
		start(&dec, &w0, &c0);
		struct sc_ptrvec plain = {0};
		struct sc_ptrvec lens = {0};
		for (size_t i = 0; i < files.len; i++) {
			char *raw = NULL, *out = NULL;
			size_t rlen = 0, olen = 0;
			struct sc_error err = {0};
			if (sc_read_file(files.items[i], SC_APT_MAX_INDEX, &raw, &rlen, &err) == SC_OK &&
			    sc_apt_decompress(files.items[i], raw, rlen, SC_APT_MAX_INDEX, &out, &olen, &err) == SC_OK) {
				sc_ptrvec_push(&plain, out);
				sc_ptrvec_push(&lens, (void *)(uintptr_t)olen);
			}
			sc_error_clear(&err);
			free(raw);
		}
		sample(&dec, w0, c0);
		start(&sha, &w0, &c0);
		bytes = 0;
		for (size_t i = 0; i < plain.len; i++) {
			char hex[65];
			size_t n = (size_t)(uintptr_t)lens.items[i];
			sc_sha256_hex(plain.items[i], n, hex);
			bytes += n;
		}
		sample(&sha, w0, c0);
		for (size_t i = 0; i < plain.len; i++)
			free(plain.items[i]);
		sc_ptrvec_free(&plain);
		sc_ptrvec_free(&lens);
		struct sc_apt_cache *c = sc_apt_cache_new();
		c->wanted = wanted;
		struct sc_error err = {0};
		start(&load, &w0, &c0);
		sc_apt_cache_load_lists(c, lists, &err);
		sample(&load, w0, c0);
		sc_error_clear(&err);
		sc_apt_cache_free(c);
	}
	printf("  cold lists load, %zu indexes, %.1f MB decompressed:\n", files.len, (double)bytes / 1e6);
	report("  read + decompress whole files (reference)", &dec);
	report("  SHA256 of the decompressed bytes (reference)", &sha);
	report("  streaming load (decompress+hash+scan)", &load);
	for (size_t i = 0; i < files.len; i++)
		free(files.items[i]);
	sc_ptrvec_free(&files);
	sc_map_free(wanted);
}

int main(int argc, char **argv)
{
	sc_heap_use_huge_pages(); /* as the CLI does */
	const char *status = argc > 1 ? argv[1] : "/var/lib/dpkg/status";
	const char *lists = argc > 2 ? argv[2] : "/var/lib/apt/lists";
	int runs = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 7;
	if (runs < 1 || runs > 1000)
		runs = 7;
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
	char root[4096];
	snprintf(root, sizeof(root), "%s/root", t);
	struct sc_scan_options so;
	sc_scan_options_init(&so);
	so.apt_lists = lists;
	char cdir[4200];
	snprintf(cdir, sizeof(cdir), "%s/cache", t);
	so.cache_dir = cdir;
	const char *keyrings[] = {argc > 4 ? argv[4] : NULL, NULL};
	if (keyrings[0])
		so.keyrings = keyrings;

	/* 1. reading the image: not part of the check */
	struct samples img = {0};
	struct sc_fs *fs = NULL;
	struct sc_inventory *inv = NULL;
	for (int i = 0; i < runs; i++) {
		sc_inventory_free(inv);
		sc_fs_free(fs);
		fs = NULL;
		double w0, c0;
		start(&img, &w0, &c0);
		inv = read_image(root, &so, &fs);
		sample(&img, w0, c0);
		if (!inv) {
			fprintf(stderr, "bench-outdated: cannot read %s\n", root);
			return 3;
		}
	}
	struct sc_policy *pol = sc_policy_new_default();
	const struct sc_check *c = sc_check_find("outdated");

	/* 2. the check after the image is read: cold (empty parsed-index cache) and warm */
	struct samples cold = {0}, warm = {0};
	size_t found = 0;
	struct sc_error err = {0};
	for (int pass = 0; pass < (getenv("BENCH_OUTDATED_COLD_ONLY") ? 1 : 2); pass++) {
		for (int i = 0; i < runs; i++) {
			if (pass == 0) {
				snprintf(cmd, sizeof(cmd), "rm -rf '%s/apt'", cdir);
				run_sh(cmd);
			}
			struct sc_result *r = sc_result_new();
			struct sc_scan_ctx ctx = {.opts = &so, .policy = pol, .result = r, .image_fs = fs, .image_inv = inv};
			double w0, c0;
			start(pass ? &warm : &cold, &w0, &c0);
			enum sc_status st = c->run(&ctx, &err);
			sample(pass ? &warm : &cold, w0, c0);
			if (st != SC_OK) {
				fprintf(stderr, "bench-outdated: %s: %s\n", err.file ? err.file : "", err.msg);
				return 3;
			}
			found = r->findings.len;
			sc_result_free(r);
		}
	}

	if (getenv("BENCH_OUTDATED_COLD_ONLY")) { /* for a profiler: only the cold check runs */
		printf("cold wall median %.1f ms\n", median(cold.wall, cold.n));
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t);
		run_sh(cmd);
		return 0;
	}

	/* 3. the peer */
	struct samples peer = {0};
	snprintf(cmd, sizeof(cmd),
		 "apt-get -s -q -o Debug::NoLocking=1 -o Dir::State='%s/state' -o Dir::State::status='%s/root/var/lib/dpkg/status' "
		 "-o Dir::State::Lists='%s' -o Dir::Etc::SourceList='%s/etc/sources.list' "
		 "-o Dir::Etc::SourceParts='%s/etc/sources.list.d' -o Dir::Etc::Parts='%s/etc/conf.d' "
		 "-o Dir::Etc::Preferences='%s/prefs/preferences' -o Dir::Etc::PreferencesParts='%s/prefs' "
		 "-o Dir::Cache='%s/cache' -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= dist-upgrade "
		 "> %s/apt.out 2>/dev/null",
		 t, t, lists, t, t, t, t, t, t, t);
	int peer_runs = runs < 3 ? runs : 3; /* apt-get takes seconds: three runs are enough */
	struct rusage ru0, ru1;
	getrusage(RUSAGE_CHILDREN, &ru0);
	for (int i = 0; i < peer_runs; i++) {
		double w0 = now_ms();
		if (run_sh(cmd) != 0) {
			fprintf(stderr, "bench-outdated: apt-get -s dist-upgrade failed\n");
			return 3;
		}
		peer.wall[peer.n++] = now_ms() - w0;
	}
	getrusage(RUSAGE_CHILDREN, &ru1);
	double child_cpu = ((double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
			    (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec)) * 1e3 +
			   ((double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) +
			    (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec)) / 1e3;
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

	printf("bench-outdated: %zu installed packages (%s), lists %s%s%s\n", inv->packages.len, status, lists,
	       keyrings[0] ? ", signatures checked with " : "", keyrings[0] ? keyrings[0] : "");
	report("read the image (fs + dpkg inventory)", &img);
	double cold_w = median(cold.wall, cold.n), cold_c = median(cold.cpu, cold.n);
	double warm_w = median(warm.wall, warm.n), warm_c = median(warm.cpu, warm.n);
	report("outdated check, cold (no parsed-index cache)", &cold);
	report("outdated check, warm (parsed-index cache)", &warm);
	breakdown(lists, inv, runs);
	double mp = median(peer.wall, peer.n);
	printf("  %-44s wall median %8.1f ms                 CPU median %8.1f ms   (%d runs)\n",
	       "apt-get -s dist-upgrade", mp, peer.n ? child_cpu / peer.n : 0, peer.n);
	printf("  findings: %zu; apt-get upgrades: %ld (the findings also list held packages)\n", found, apt_n);
	printf("  ratio apt-get/shipcheck (wall): %.1fx cold, %.1fx warm\n", mp / cold_w, mp / warm_w);
	double cold_m = median(cold.main_cpu, cold.n);
	printf("  goal, the check under 50 ms after the image is read: cold %s (wall %.1f, CPU %.1f ms, main "
	       "thread %.1f ms), warm %s (wall %.1f, CPU %.1f ms)\n",
	       cold_w < 50 ? "met" : "NOT met", cold_w, cold_c, cold_m, warm_w < 50 ? "met" : "NOT met", warm_w, warm_c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t);
	run_sh(cmd);
	sc_policy_free(pol);
	sc_inventory_free(inv);
	sc_fs_free(fs);
	return 0;
}
