/* progress.c - a one-line progress bar on stderr, shown only on a terminal. */
#include "shipcheck/sc_core.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sc_progress_start(struct sc_progress *p, const char *label, uint64_t total, bool quiet)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->last_ms = 0;
	p->enabled = !quiet && isatty(STDERR_FILENO) && !getenv("SHIPCHECK_NO_PROGRESS");
}

static void draw(struct sc_progress *p)
{
	if (p->total) {
		unsigned pct = (unsigned)(p->done * 100 / (p->total ? p->total : 1));
		if (pct > 100)
			pct = 100;
		unsigned fill = pct * 30 / 100;
		fprintf(stderr, "\r%s [", p->label);
		for (unsigned i = 0; i < 30; i++)
			fputc(i < fill ? '#' : ' ', stderr);
		fprintf(stderr, "] %3u%%", pct);
	} else {
		fprintf(stderr, "\r%s %llu", p->label, (unsigned long long)p->done);
	}
	fflush(stderr);
}

void sc_progress_update(struct sc_progress *p, uint64_t done)
{
	p->done = done;
	if (!p->enabled)
		return;
	int64_t t = now_ms();
	if (t - p->last_ms < 100)
		return;
	p->last_ms = t;
	draw(p);
}

void sc_progress_finish(struct sc_progress *p)
{
	if (!p->enabled)
		return;
	if (p->total)
		p->done = p->total;
	draw(p);
	fputc('\n', stderr);
}
