/* versions.c - bench/versions: comparisons per second of every version scheme on the real version
 * pairs of ../shared/testvectors, the allocations they make (none expected), and the same pairs
 * through peers in the same run (python3-apt's apt_pkg.version_compare for dpkg, Python
 * packaging's Version for PEP 440), printed as ratios.
 * Usage: versions [SHARED_DIR] (default $SHIPCHECK_SHARED, else ../shared); BENCH_SECONDS=0.5. */
#include "shipcheck/sc_version.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#if defined(__SANITIZE_ADDRESS__)
#define COUNT_ALLOCS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COUNT_ALLOCS 0
#else
#define COUNT_ALLOCS 1
#endif
#else
#define COUNT_ALLOCS 1
#endif

#if COUNT_ALLOCS
/* Counting allocator: forwards to glibc's and counts calls made while `counting` is set. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static volatile int counting;
static unsigned long allocs;
void *malloc(size_t n);
void *calloc(size_t a, size_t b);
void *realloc(void *p, size_t n);
void *malloc(size_t n)
{
	if (counting)
		allocs++;
	return __libc_malloc(n);
}
void *calloc(size_t a, size_t b)
{
	if (counting)
		allocs++;
	return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n)
{
	if (counting)
		allocs++;
	return __libc_realloc(p, n);
}
#endif

struct pair {
	char *a, *b;
	size_t al, bl;
};

/* CPU time of this process: the machine is shared, so rates are per CPU-second. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Pairs from columns 0 and 1 of a TSV vector file, both valid for the scheme. */
static size_t load(const char *dir, const char *file, const struct sc_scheme *s, struct pair **out)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/testvectors/%s", dir, file);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char *line = NULL;
	size_t cap = 0, n = 0, pcap = 0;
	ssize_t len;
	*out = NULL;
	bool header = true;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (header) {
			header = false;
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char *b = tab + 1, *t2 = strchr(b, '\t');
		if (t2)
			*t2 = '\0';
		if (s->validate(line, strlen(line), NULL) != SC_OK || s->validate(b, strlen(b), NULL) != SC_OK)
			continue;
		if (n == pcap) {
			pcap = pcap ? pcap * 2 : 1024;
			*out = realloc(*out, pcap * sizeof(**out));
		}
		(*out)[n].a = strdup(line);
		(*out)[n].b = strdup(b);
		(*out)[n].al = strlen(line);
		(*out)[n].bl = strlen(b);
		n++;
	}
	free(line);
	fclose(f);
	/* Pack the strings into one block, in pair order, as a package list in memory would be. */
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += (*out)[i].al + (*out)[i].bl + 2;
	char *block = malloc(total ? total : 1), *q = block;
	for (size_t i = 0; i < n; i++) {
		memcpy(q, (*out)[i].a, (*out)[i].al + 1);
		free((*out)[i].a);
		(*out)[i].a = q;
		q += (*out)[i].al + 1;
		memcpy(q, (*out)[i].b, (*out)[i].bl + 1);
		free((*out)[i].b);
		(*out)[i].b = q;
		q += (*out)[i].bl + 1;
	}
	return n;
}

/* Runs python3 with a timing script on the pairs; returns comparisons/s or 0. */
static double peer(const char *kind, const struct pair *p, size_t n, double secs)
{
	char tmp[] = "/tmp/sc-bench-XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0)
		return 0;
	FILE *f = fdopen(fd, "w");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\t%s\n", p[i].a, p[i].b);
	fclose(f);
	static const char script[] =
		"import sys, time\n"
		"kind, path, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])\n"
		"pairs = [l.rstrip('\\n').split('\\t') for l in open(path)]\n"
		"if kind == 'deb':\n"
		"    import apt_pkg; apt_pkg.init_system(); cmp = apt_pkg.version_compare\n"
		"    work = pairs\n"
		"else:\n"
		"    from packaging.version import Version\n"
		"    work = [(Version(a), Version(b)) for a, b in pairs]\n"
		"    cmp = lambda a, b: (a > b) - (a < b)\n"
		"count = 0; t0 = time.process_time()\n"
		"while time.process_time() - t0 < secs:\n"
		"    for a, b in work: cmp(a, b)\n"
		"    count += len(work)\n"
		"print(count / (time.process_time() - t0))\n";
	char secbuf[32];
	snprintf(secbuf, sizeof(secbuf), "%g", secs);
	/* Debian's interpreter: python3-apt and python3-packaging are Debian packages. */
	char *argv[] = {"/usr/bin/python3", "-c", (char *)script, (char *)kind, tmp, secbuf, NULL};
	int pipefd[2];
	double rate = 0;
	if (pipe(pipefd) == 0) {
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
		posix_spawn_file_actions_addclose(&fa, pipefd[0]);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
		pid_t pid;
		if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0) {
			close(pipefd[1]);
			char buf[64] = {0};
			ssize_t r = read(pipefd[0], buf, sizeof(buf) - 1);
			int status;
			waitpid(pid, &status, 0);
			if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
				rate = strtod(buf, NULL);
		} else {
			close(pipefd[1]);
		}
		close(pipefd[0]);
		posix_spawn_file_actions_destroy(&fa);
	}
	unlink(tmp);
	return rate;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("SHIPCHECK_SHARED");
	if (!dir)
		dir = "../shared";
	double secs = getenv("BENCH_SECONDS") ? strtod(getenv("BENCH_SECONDS"), NULL) : 0.5;
	static const struct {
		const char *scheme, *file, *peer;
	} runs[] = {
		{"deb", "dpkg.tsv", "deb"},        {"rpm", "rpm.tsv", NULL},      {"apk", "apk.tsv", NULL},
		{"npm", "semver-compare.tsv", NULL}, {"semver", "semver-compare.tsv", NULL},
		{"pep440", "pep440-compare.tsv", "pep440"}, {"go", "gosemver.tsv", NULL},
		{"composer", "composer.tsv", NULL},
	};
	printf("%-9s %7s %16s %7s %18s %9s\n", "scheme", "pairs", "comparisons/s", "allocs", "peer comparisons/s",
	       "ratio");
	int rc = 0;
	double deb_rate = 0;
	for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		const struct sc_scheme *s = sc_scheme_find(runs[r].scheme);
		struct pair *p = NULL;
		size_t n = load(dir, runs[r].file, s, &p);
		if (n == 0) {
			printf("%-9s no pairs (is %s/testvectors/%s there?)\n", runs[r].scheme, dir, runs[r].file);
			rc = 1;
			continue;
		}
		unsigned long long count = 0;
		long sink = 0;
#if COUNT_ALLOCS
		allocs = 0;
		counting = 1;
#endif
		double t0 = now(), t;
		do {
			for (size_t i = 0; i < n; i++)
				sink += s->compare(p[i].a, p[i].al, p[i].b, p[i].bl);
			count += n;
		} while ((t = now() - t0) < secs);
#if COUNT_ALLOCS
		counting = 0;
		char al[32];
		snprintf(al, sizeof(al), "%lu", allocs);
#else
		const char *al = "n/a";
#endif
		double rate = (double)count / t;
		if (!strcmp(runs[r].scheme, "deb"))
			deb_rate = rate;
		printf("%-9s %7zu %16.0f %7s", runs[r].scheme, n, rate, al);
		if (runs[r].peer) {
			double pr = peer(runs[r].peer, p, n, secs);
			if (pr > 0)
				printf(" %18.0f %8.1fx", pr, rate / pr);
			else
				printf(" %18s %9s", "peer missing", "-");
		} else {
			printf(" %18s %9s", "-", "-");
		}
		printf("%s\n", sink == 42 ? " " : "");
		free(p[0].a); /* the packed block */
		free(p);
	}
	printf("rates are per CPU-second (CLOCK_PROCESS_CPUTIME_ID / time.process_time), so a loaded machine "
	       "does not skew the ratios\n");
	printf("peers: dpkg = python3-apt apt_pkg.version_compare (libapt-pkg), pep440 = Python packaging "
	       "Version (pre-parsed)\n");
	printf("dpkg: %.0f comparisons per CPU-second (goal >= 20,000,000: %s)\n", deb_rate,
	       deb_rate >= 20e6 ? "met" : "NOT met");
	return rc;
}
