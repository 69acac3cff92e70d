/* Batch reading of many small files beneath a directory with io_uring: the opens and reads of a
 * whole batch cost one system call instead of three per file (open, read, close). On this kind of
 * machine (a VM where every system call is a hypervisor round trip) that halves the kernel time of
 * a scan of a tree of small files. Each file is opened into a registered ("direct") descriptor
 * slot, the read is linked behind its open, and the next batch's open into the same slot closes
 * the previous file, so no close is ever issued. Files are opened as sc_open_beneath would: never
 * through a symlink, never outside the directory. When io_uring is not there (old kernel,
 * seccomp, io_uring_disabled, or SHIPCHECK_IO_URING=0 in the environment) the caller is told and
 * uses plain system calls. */
#include "shipcheck/sc_core.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>

struct sc_batch_reader {
	struct io_uring ring;
	unsigned max;
	bool broken; /* a ring call failed: every later batch is refused */
};

enum sc_status sc_batch_reader_new(unsigned max_batch, struct sc_batch_reader **out)
{
	*out = NULL;
	if (!max_batch || max_batch > 1024)
		return SC_EINTERNAL;
	const char *env = getenv("SHIPCHECK_IO_URING"); /* "0": plain system calls (tests, debugging) */
	if (env && !strcmp(env, "0"))
		return SC_EIO;
	struct sc_batch_reader *r = sc_xcalloc(1, sizeof(*r));
	r->max = max_batch;
	/* one thread submits and reaps (the worker that owns the reader): completions are run when it
	 * waits, not by interrupting it; kernels before 6.1 refuse these flags and get a plain ring */
	struct io_uring_params p = {.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN};
	int rc = io_uring_queue_init_params(2 * max_batch, &r->ring, &p);
	if (rc == -EINVAL) {
		memset(&p, 0, sizeof(p));
		rc = io_uring_queue_init_params(2 * max_batch, &r->ring, &p);
	}
	if (rc < 0) {
		free(r);
		return SC_EIO;
	}
	if (io_uring_register_files_sparse(&r->ring, max_batch) < 0) {
		io_uring_queue_exit(&r->ring);
		free(r);
		return SC_EIO;
	}
	*out = r;
	return SC_OK;
}

void sc_batch_reader_free(struct sc_batch_reader *r)
{
	if (!r)
		return;
	io_uring_queue_exit(&r->ring); /* closes the files still in the slots */
	free(r);
}

enum sc_status sc_batch_read(struct sc_batch_reader *r, int dirfd, struct sc_batch_file *files, unsigned n)
{
	if (!r || r->broken || n > r->max)
		return SC_EIO;
	if (!n)
		return SC_OK;
	/* copied by the kernel when the batch is submitted */
	struct open_how how = {
		.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK, /* O_CLOEXEC is refused for direct slots */
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	for (unsigned i = 0; i < n; i++) {
		struct sc_batch_file *f = &files[i];
		f->len = 0;
		f->err = 0;
		f->open_failed = false;
		struct io_uring_sqe *s = io_uring_get_sqe(&r->ring);
		io_uring_prep_openat2_direct(s, dirfd, f->path, &how, i);
		s->flags |= IOSQE_IO_LINK; /* the read waits for the open, and is cancelled when it fails */
		io_uring_sqe_set_data64(s, (uint64_t)i << 1);
		s = io_uring_get_sqe(&r->ring);
		io_uring_prep_read(s, (int)i, f->buf, (unsigned)f->want, 0);
		s->flags |= IOSQE_FIXED_FILE;
		io_uring_sqe_set_data64(s, (uint64_t)i << 1 | 1);
	}
	/* every request must be in the kernel before waiting for all of them: a part left in the
	 * submission queue would never complete. When submitting fails, the requests already sent are
	 * waited for (they write into the caller's buffers) and the reader is given up. */
	int rc;
	do
		rc = io_uring_submit_and_wait(&r->ring, 2 * n);
	while (rc == -EINTR);
	unsigned sent = rc > 0 ? (unsigned)rc : 0;
	while (rc >= 0 && sent < 2 * n) {
		rc = io_uring_submit(&r->ring);
		if (rc == -EINTR)
			rc = 0;
		else if (rc == 0)
			rc = -EAGAIN;
		else if (rc > 0)
			sent += (unsigned)rc;
	}
	if (rc < 0) {
		r->broken = true;
		for (unsigned seen = 0; seen < sent;) {
			struct io_uring_cqe *c;
			int w = io_uring_wait_cqe(&r->ring, &c);
			if (w == -EINTR)
				continue;
			if (w < 0)
				break;
			io_uring_cqe_seen(&r->ring, c);
			seen++;
		}
		return SC_EIO;
	}
	for (unsigned seen = 0; seen < 2 * n;) {
		struct io_uring_cqe *c;
		rc = io_uring_wait_cqe(&r->ring, &c);
		if (rc == -EINTR)
			continue;
		if (rc < 0) { /* the reads in flight still target the buffers: this reader is done */
			r->broken = true;
			return SC_EIO;
		}
		uint64_t d = io_uring_cqe_get_data64(c);
		struct sc_batch_file *f = &files[d >> 1];
		if (!(d & 1)) {
			if (c->res < 0) {
				f->open_failed = true;
				f->err = -c->res;
			}
		} else if (c->res >= 0) {
			f->len = (size_t)c->res;
		} else if (c->res != -ECANCELED) { /* cancelled: the open failed and says why */
			f->err = -c->res;
		}
		io_uring_cqe_seen(&r->ring, c);
		seen++;
	}
	return SC_OK;
}
