/* bigbuf.c - buffers of megabytes that a hot path fills once and reads once (a package index, its
 * decompression windows, the table made from it): anonymous mappings in whole 2 MiB units, aligned
 * and advised as transparent huge pages. Touching a fresh 4 KiB page costs a page fault (on a
 * virtual machine with shadow page tables, microseconds each: 18 MB read into malloc'd memory took
 * 52 ms here, into a huge-page buffer 3.5 ms). Smaller buffers come from malloc. */
#include "shipcheck/sc_core.h"

#include <sys/mman.h>

#include <malloc.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HUGE ((size_t)2 << 20)
#define MAPPED_MIN HUGE /* smaller capacities come from malloc */

static size_t round_huge(size_t n)
{
	return (n + HUGE - 1) & ~(HUGE - 1);
}

/* An anonymous mapping of `size` bytes (a multiple of HUGE) starting on a HUGE boundary. */
static char *map_aligned(size_t size)
{
	size_t span = size + HUGE;
	char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	uintptr_t a = ((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
	char *q = (char *)a;
	if (q > p)
		munmap(p, (size_t)(q - p));
	if (q + size < p + span)
		munmap(q + size, (size_t)(p + span - (q + size)));
#ifdef MADV_HUGEPAGE
	madvise(q, size, MADV_HUGEPAGE);
#endif
	return q;
}

void sc_bigbuf_init(struct sc_bigbuf *b, size_t limit)
{
	memset(b, 0, sizeof(*b));
	b->limit = limit;
}

enum sc_status sc_bigbuf_reserve(struct sc_bigbuf *b, size_t n)
{
	if (n > b->limit || b->len > b->limit - n)
		return SC_ELIMIT;
	size_t want = b->len + n + 1; /* room for the terminating NUL */
	if (want <= b->cap)
		return SC_OK;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (cap < MAPPED_MIN) {
		b->buf = sc_xrealloc(b->buf, cap);
		b->cap = cap;
		return SC_OK;
	}
	cap = round_huge(cap);
	char *p = map_aligned(cap);
	if (!p) {
		fputs("shipcheck: out of memory\n", stderr);
		abort();
	}
	if (b->len)
		memcpy(p, b->buf, b->len);
	p[b->len] = '\0';
	if (b->mapped)
		munmap(b->buf, b->cap);
	else
		free(b->buf);
	b->buf = p;
	b->cap = cap;
	b->mapped = true;
	return SC_OK;
}

enum sc_status sc_bigbuf_append(struct sc_bigbuf *b, const void *data, size_t n)
{
	if (n > b->limit || b->len > b->limit - n)
		return SC_ELIMIT;
	if (b->len + n + 1 > b->cap) {
		enum sc_status st = sc_bigbuf_reserve(b, n);
		if (st != SC_OK)
			return st;
	}
	if (n)
		memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return SC_OK;
}

void sc_bigbuf_free(struct sc_bigbuf *b)
{
	if (b->mapped)
		munmap(b->buf, b->cap);
	else
		free(b->buf);
	size_t limit = b->limit;
	memset(b, 0, sizeof(*b));
	b->limit = limit;
}

enum sc_status sc_bigbuf_read_file(struct sc_bigbuf *b, const char *path, struct sc_error *err)
{
	uint64_t size = 0;
	b->len = 0;
	int fd;
	enum sc_status st = sc_open_regular(path, b->limit, &fd, &size, err);
	if (st != SC_OK)
		return st;
	/* the size may change while the file is read: read until EOF, up to the limit */
	size_t chunk = (size_t)size + 1;
	for (;;) {
		if (chunk > b->limit - b->len)
			chunk = b->limit - b->len;
		if (!chunk) { /* at the limit: only the end of the file may follow */
			char c;
			ssize_t r = read(fd, &c, 1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r > 0)
				st = sc_error_set(err, SC_ELIMIT, path, 0, 0, "grew past %llu bytes",
						  (unsigned long long)b->limit);
			else if (r < 0)
				st = sc_error_set(err, SC_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
			if (st != SC_OK)
				goto out;
			break;
		}
		if (b->len + chunk + 1 > b->cap)
			sc_bigbuf_reserve(b, chunk); /* within the limit: cannot fail */
		ssize_t r = read(fd, b->buf + b->len, b->cap - 1 - b->len < chunk ? b->cap - 1 - b->len : chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			st = sc_error_set(err, SC_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
		chunk = 64u << 10;
	}
	if (b->buf)
		b->buf[b->len] = '\0';
out:
	close(fd);
	if (st != SC_OK)
		b->len = 0;
	return st;
}

/* The main heap in huge pages, for a program that owns its process (the CLI calls this first):
 * malloc grows the heap by 64 MiB at a time, that part is advised as transparent huge pages, and
 * freed memory stays (up to 128 MiB) instead of being returned and faulted in again. Measured on
 * whole `shipcheck outdated` runs, interleaved with the binary before: warm (perf stat -r 31) 905
 * page faults -> 400-750 and 15-17% less time (28.0 -> 23.2-25.0 ms; 32.3 -> 27.6 ms when the
 * machine was slower), cold (11 runs) 92-96 -> 80-81 ms; the secrets bench unchanged (+5 MB RSS).
 * Worker threads keep their own malloc arenas; under a sanitizer's allocator the heap does not
 * grow and nothing is advised. */
void sc_heap_use_huge_pages(void)
{
	mallopt(M_TOP_PAD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	/* one block larger than the heap's free top, taken from the heap (not mmap): the heap grows
	 * by it plus the pad; the mmap threshold goes back to glibc's default after */
	size_t want = mallinfo2().keepcost + (64 << 10);
	if (want > (16u << 20))
		return;
	mallopt(M_MMAP_THRESHOLD, (int)(want + (1 << 20)));
	char *b0 = sbrk(0);
	void *x = malloc(want);
	char *b1 = sbrk(0);
	mallopt(M_MMAP_THRESHOLD, 128 << 10);
	if (x && b0 != (char *)-1 && b1 != (char *)-1 && b1 > b0 + HUGE && (char *)x < b1) {
		/* from the block on (it starts in the heap's old top): the heap is contiguous up to b1 */
		uintptr_t lo = (uintptr_t)x < (uintptr_t)b0 ? (uintptr_t)x : (uintptr_t)b0;
		lo = (lo + 4095) & ~(uintptr_t)4095;
		madvise((void *)lo, (size_t)((uintptr_t)b1 - lo), MADV_HUGEPAGE);
	}
	free(x);
}
