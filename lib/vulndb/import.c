/* import.c - `shipcheck db import`: OSV JSON files, directory trees and all.zip exports into the
 * SQLite DB, in one transaction (a new DB is built under a temporary name and renamed into place),
 * idempotent (a record replaces the stored one only when its `modified` is newer), with a progress
 * bar and per-record warnings. */
#include "vulndb.h"

#include "sc_archive_dl.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_ZIP_TOTAL (8ull << 30) /* decompressed bytes of one zip */
#define QUEUE_CAP 256              /* parsed records waiting for the writer */
#define WRITER_BATCH 64            /* the writer wakes for this many (or a reader's end) */

/* Reader threads inflate and parse documents (each its share of the input files); the calling
 * thread writes rows. Items pass through a bounded queue, so they overlap and memory stays bounded. */
enum item_kind { IT_DOC, IT_END };
struct item {
	enum item_kind kind;
	struct item *next;
	struct sc_arena *a;      /* IT_DOC: owns rec's strings */
	struct osv_record rec;   /* IT_DOC when ok */
	bool ok;
	char *msg;               /* IT_DOC: parse error */
	char *origin;            /* IT_DOC */
	size_t src;              /* IT_DOC: index of its source */
	enum sc_status st;       /* IT_END */
	struct sc_error err;     /* IT_END */
};

struct queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	struct item *head, *tail;
	size_t len;
	size_t ends; /* IT_END items waiting */
	bool abort;  /* the writer failed: the reader stops */
};

/* One input file and the source it belongs to. */
struct job {
	char *path;
	uint64_t size;
	size_t src;
};

/* A reader thread: its files, and how it ended. */
struct reader {
	struct queue *q;
	atomic_uint_least64_t *done; /* input bytes consumed by every reader */
	struct job **jobs;
	size_t n_jobs;
	size_t src; /* source of the file being read */
	pthread_t th;
};

struct importer {
	sqlite3 *h;
	const char *path;
	sqlite3_stmt *sel, *del_ali, *del_aff, *ins_adv, *upd_adv, *ins_ali, *ins_aff;
	struct sc_db_import_stats *st;
	const char *src_name;
	const struct vulndb_source *srcs;
	size_t n_srcs;
	uint64_t *src_records; /* per source */
	struct queue q;
	struct sc_progress prog;
	atomic_uint_least64_t done_bytes;
};

static void push(struct queue *q, struct item *it)
{
	pthread_mutex_lock(&q->mu);
	while (q->len >= QUEUE_CAP && !q->abort)
		pthread_cond_wait(&q->not_full, &q->mu);
	it->next = NULL;
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->len++;
	q->ends += it->kind == IT_END;
	if (q->len == WRITER_BATCH || it->kind == IT_END) /* what pop_all waits for */
		pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
}

/* Takes every waiting item at once (a list linked by next) once WRITER_BATCH have come or a reader
 * has ended: one lock hand-off and one wake-up per batch, not a context switch per record. */
static struct item *pop_all(struct queue *q)
{
	pthread_mutex_lock(&q->mu);
	while (q->len < WRITER_BATCH && !q->ends)
		pthread_cond_wait(&q->not_empty, &q->mu);
	struct item *it = q->head;
	q->head = q->tail = NULL;
	q->len = 0;
	q->ends = 0;
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->mu);
	return it;
}

static bool aborted(struct queue *q)
{
	pthread_mutex_lock(&q->mu);
	bool a = q->abort;
	pthread_mutex_unlock(&q->mu);
	return a;
}

static void item_free(struct item *it)
{
	sc_arena_free(it->a);
	free(it->msg);
	free(it->origin);
	sc_error_clear(&it->err);
	free(it);
}

static void add_warning(struct sc_db_import_stats *st, const char *fmt, ...) SC_PRINTF(2, 3);
static void add_warning(struct sc_db_import_stats *st, const char *fmt, ...)
{
	st->warnings++;
	if (st->n_warning_msgs >= SC_DB_MAX_WARNINGS)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *m = NULL;
	if (vasprintf(&m, fmt, ap) < 0)
		m = NULL;
	va_end(ap);
	if (!m)
		return;
	st->warning_msgs = sc_xrealloc(st->warning_msgs, (st->n_warning_msgs + 1) * sizeof(char *));
	st->warning_msgs[st->n_warning_msgs++] = m;
}

void sc_db_import_stats_clear(struct sc_db_import_stats *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_warning_msgs; i++)
		free(s->warning_msgs[i]);
	free(s->warning_msgs);
	memset(s, 0, sizeof(*s));
}

static int bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

static enum sc_status step_done(struct importer *im, sqlite3_stmt *s, struct sc_error *err)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return sc_vulndb_sqlerr(im->h, im->path, "cannot write the database", err);
	return SC_OK;
}

static enum sc_status bind_advisory(struct importer *im, const struct osv_record *r)
{
	sqlite3_stmt *s = im->ins_adv;
	bind_text(s, 2, r->id);
	bind_text(s, 3, r->modified);
	bind_text(s, 4, r->published);
	bind_text(s, 5, r->withdrawn);
	bind_text(s, 6, r->summary);
	bind_text(s, 7, r->details);
	bind_text(s, 8, r->aliases_json);
	sqlite3_bind_int(s, 9, (int)r->severity);
	if (r->cvss_vector)
		sqlite3_bind_double(s, 10, r->score);
	else
		sqlite3_bind_null(s, 10);
	bind_text(s, 11, r->cvss_vector);
	bind_text(s, 12, r->severity_source);
	bind_text(s, 13, r->url);
	bind_text(s, 14, r->refs_json);
	bind_text(s, 15, im->src_name);
	bind_text(s, 16, r->content_hash);
	return SC_OK;
}

/* Stores one parsed record: insert; when the id exists, replace it only when `modified` is newer. */
static enum sc_status store(struct importer *im, const struct osv_record *r, struct sc_error *err)
{
	enum sc_status st;
	sqlite3_int64 pk = 0;
	/* the common case first: a new id (INSERT ... ON CONFLICT DO NOTHING changes nothing otherwise) */
	sqlite3_bind_null(im->ins_adv, 1);
	bind_advisory(im, r);
	if ((st = step_done(im, im->ins_adv, err)) != SC_OK)
		return st;
	bool exists = sqlite3_changes(im->h) == 0;
	if (!exists) {
		pk = sqlite3_last_insert_rowid(im->h);
	} else {
		sqlite3_bind_text(im->sel, 1, r->id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(im->sel);
		if (rc != SQLITE_ROW) {
			sqlite3_reset(im->sel);
			return sc_vulndb_sqlerr(im->h, im->path, "cannot read the database", err);
		}
		pk = sqlite3_column_int64(im->sel, 0);
		const char *old = (const char *)sqlite3_column_text(im->sel, 1);
		bool newer = old && strcmp(r->modified, old) > 0;
		sqlite3_reset(im->sel);
		if (!newer) {
			im->st->unchanged++;
			return SC_OK;
		}
		sqlite3_bind_int64(im->del_ali, 1, pk);
		if ((st = step_done(im, im->del_ali, err)) != SC_OK)
			return st;
		sqlite3_bind_int64(im->del_aff, 1, pk);
		if ((st = step_done(im, im->del_aff, err)) != SC_OK)
			return st;
		sqlite3_bind_int64(im->upd_adv, 1, pk);
		sqlite3_stmt *keep = im->ins_adv;
		im->ins_adv = im->upd_adv;
		bind_advisory(im, r);
		im->ins_adv = keep;
		if ((st = step_done(im, im->upd_adv, err)) != SC_OK)
			return st;
	}
	for (size_t i = 0; i < r->n_ids; i++) {
		sqlite3_bind_text(im->ins_ali, 1, r->ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(im->ins_ali, 2, pk);
		if ((st = step_done(im, im->ins_ali, err)) != SC_OK)
			return st;
	}
	for (size_t i = 0; i < r->n_affected; i++) {
		const struct osv_affected *f = &r->affected[i];
		sqlite3_stmt *s = im->ins_aff;
		sqlite3_bind_int64(s, 1, pk);
		bind_text(s, 2, f->ecosystem);
		bind_text(s, 3, f->norm_name);
		bind_text(s, 4, f->name);
		bind_text(s, 5, f->purl);
		sqlite3_bind_blob(s, 6, f->ranges ? f->ranges : "", (int)f->ranges_len, SQLITE_STATIC);
		if (f->versions)
			sqlite3_bind_blob(s, 7, f->versions, (int)f->versions_len, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, 7);
		bind_text(s, 8, f->note);
		sqlite3_bind_int(s, 9, (int)f->rating);
		bind_text(s, 10, f->vector);
		if ((st = step_done(im, s, err)) != SC_OK)
			return st;
	}
	if (exists)
		im->st->updated++;
	else
		im->st->inserted++;
	return SC_OK;
}

/* Reader side: a document that cannot be read (the writer counts it as skipped). */
static void reader_skip(struct reader *rd, const char *fmt, ...) SC_PRINTF(2, 3);
static void reader_skip(struct reader *rd, const char *fmt, ...)
{
	struct item *it = sc_xcalloc(1, sizeof(*it));
	it->kind = IT_DOC;
	it->src = rd->src;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&it->msg, fmt, ap) < 0)
		it->msg = NULL;
	va_end(ap);
	push(rd->q, it);
}

/* Reader side: one JSON document, parsed and handed to the writer. */
static enum sc_status import_doc(struct reader *rd, const char *origin, const char *data, size_t len,
				 struct sc_error *err)
{
	(void)err;
	if (aborted(rd->q))
		return SC_EINTERNAL;
	struct item *it = sc_xcalloc(1, sizeof(*it));
	it->kind = IT_DOC;
	it->src = rd->src;
	it->a = sc_arena_new();
	it->origin = sc_xstrdup(origin);
	struct sc_error perr = {0};
	if (sc_osv_parse(origin, data, len, it->a, &it->rec, &perr) == SC_OK) {
		it->ok = true;
	} else {
		char buf[1024];
		sc_error_format(&perr, buf, sizeof(buf));
		it->msg = sc_xstrdup(buf);
		sc_error_clear(&perr);
	}
	push(rd->q, it);
	return SC_OK;
}

/* Writer side: warnings and rows of one parsed document. */
static enum sc_status write_doc(struct importer *im, struct item *it, struct sc_error *err)
{
	im->st->files++;
	if (!it->ok) {
		add_warning(im->st, "%s (record skipped)", it->msg ? it->msg : "unreadable");
		im->st->skipped++;
		return SC_OK;
	}
	const struct osv_record *r = &it->rec;
	im->st->records++;
	im->src_records[it->src]++;
	for (size_t i = 0; i < r->n_warnings; i++)
		add_warning(im->st, "%s: %s: %s", it->origin, r->id, r->warnings[i]);
	if (r->more_warnings) {
		im->st->warnings += r->more_warnings - 1;
		add_warning(im->st, "%s: %s: %zu more warnings", it->origin, r->id, r->more_warnings);
	}
	return store(im, r, err);
}


static enum sc_status import_zip(struct reader *rd, const char *path, uint64_t size, struct sc_error *err)
{
	uint64_t reported = 0;
	struct archive *ar = archive_read_new();
	archive_read_support_format_zip_seekable(ar);
	enum sc_status st = SC_OK;
	uint64_t total = 0;
	if (archive_read_open_filename(ar, path, 1 << 16) != ARCHIVE_OK) {
		st = sc_error_set(err, SC_EINPUT, path, 0, 0, "corrupt or truncated zip: %s", archive_error_string(ar));
		goto out;
	}
	struct archive_entry *e;
	int rc;
	while ((rc = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (archive_entry_filetype(e) != AE_IFREG || !name || !sc_str_has_suffix(name, ".json"))
			continue;
		la_int64_t esize = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
		char origin[4096];
		snprintf(origin, sizeof(origin), "%s:%s", path, name);
		if (esize > (la_int64_t)OSV_MAX_RECORD) {
			reader_skip(rd, "%s: larger than %u bytes", origin, OSV_MAX_RECORD);
			continue;
		}
		struct sc_strbuf sb;
		sc_strbuf_init(&sb, OSV_MAX_RECORD + 1);
		char chunk[65536];
		la_ssize_t got;
		bool toobig = false;
		while ((got = archive_read_data(ar, chunk, sizeof(chunk))) > 0) {
			if (sc_strbuf_append(&sb, chunk, (size_t)got) != SC_OK) {
				toobig = true;
				break;
			}
		}
		if (got < 0) {
			sc_strbuf_free(&sb);
			st = sc_error_set(err, SC_EINPUT, path, 0, 0, "corrupt zip entry %s: %s", name,
					  archive_error_string(ar));
			goto out;
		}
		total += sb.len;
		if (total > MAX_ZIP_TOTAL) {
			sc_strbuf_free(&sb);
			st = sc_error_set(err, SC_ELIMIT, path, 0, 0, "zip expands to more than %llu bytes",
					  (unsigned long long)MAX_ZIP_TOTAL);
			goto out;
		}
		if (toobig) {
			reader_skip(rd, "%s: larger than %u bytes", origin, OSV_MAX_RECORD);
		} else {
			st = import_doc(rd, origin, sc_strbuf_str(&sb), sb.len, err);
		}
		sc_strbuf_free(&sb);
		if (st != SC_OK)
			goto out;
		la_int64_t consumed = archive_filter_bytes(ar, -1);
		if (consumed > 0 && (uint64_t)consumed <= size && (uint64_t)consumed > reported) {
			atomic_fetch_add(rd->done, (uint64_t)consumed - reported);
			reported = (uint64_t)consumed;
		}
	}
	atomic_fetch_add(rd->done, size - reported);
	if (rc != ARCHIVE_EOF)
		st = sc_error_set(err, SC_EINPUT, path, 0, 0, "corrupt or truncated zip: %s", archive_error_string(ar));
out:
	archive_read_free(ar);
	return st;
}

static enum sc_status import_json_file(struct reader *rd, const char *path, uint64_t size, struct sc_error *err)
{
	char *data = NULL;
	size_t len = 0;
	struct sc_error rerr = {0};
	if (sc_read_file(path, OSV_MAX_RECORD, &data, &len, &rerr) != SC_OK) {
		char buf[1024];
		sc_error_format(&rerr, buf, sizeof(buf));
		reader_skip(rd, "%s", buf);
		sc_error_clear(&rerr);
		atomic_fetch_add(rd->done, size);
		return SC_OK;
	}
	enum sc_status st = import_doc(rd, path, data, len, err);
	free(data);
	atomic_fetch_add(rd->done, size);
	return st;
}

static bool is_zip(const char *path)
{
	if (sc_str_has_suffix(path, ".zip"))
		return true;
	unsigned char magic[4] = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, magic, 4);
	close(fd);
	return n == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Collects the .json and .zip files under a directory (sorted, symlinks not followed). Runs on the
 * calling thread, before the readers start. */
static enum sc_status walk(const char *dir, unsigned depth, struct sc_ptrvec *files, uint64_t *bytes,
			   struct importer *im, struct sc_error *err)
{
	if (depth > 32)
		return sc_error_set(err, SC_ELIMIT, dir, 0, 0, "directory tree deeper than 32 levels");
	DIR *d = opendir(dir);
	if (!d)
		return sc_error_set(err, SC_EIO, dir, 0, 0, "cannot read directory: %s", strerror(errno));
	struct sc_ptrvec names = {0};
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			sc_ptrvec_push(&names, sc_xstrdup(de->d_name));
	closedir(d);
	sc_ptrvec_sort(&names, cmp_str);
	enum sc_status st = SC_OK;
	for (size_t i = 0; i < names.len; i++) {
		char *p = sc_path_join(dir, names.items[i]);
		struct stat sb;
		if (st != SC_OK || lstat(p, &sb) != 0) {
			free(p);
			continue;
		}
		if (S_ISLNK(sb.st_mode)) {
			add_warning(im->st, "%s: symbolic link not followed", p);
			free(p);
		} else if (S_ISDIR(sb.st_mode)) {
			st = walk(p, depth + 1, files, bytes, im, err);
			free(p);
		} else if (S_ISREG(sb.st_mode) && (sc_str_has_suffix(p, ".json") || sc_str_has_suffix(p, ".zip"))) {
			*bytes += (uint64_t)sb.st_size;
			sc_ptrvec_push(files, p);
		} else {
			free(p);
		}
	}
	for (size_t i = 0; i < names.len; i++)
		free(names.items[i]);
	sc_ptrvec_free(&names);
	return st;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	struct item *end = sc_xcalloc(1, sizeof(*end));
	end->kind = IT_END;
	for (size_t i = 0; i < rd->n_jobs && end->st == SC_OK; i++) {
		const struct job *j = rd->jobs[i];
		rd->src = j->src;
		if (is_zip(j->path))
			end->st = import_zip(rd, j->path, j->size, &end->err);
		else
			end->st = import_json_file(rd, j->path, j->size, &end->err);
	}
	push(rd->q, end);
	return NULL;
}

/* Writer side: the sources rows, with the number of records each gave. */
static enum sc_status write_sources(struct importer *im, struct sc_error *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(im->h, "INSERT OR REPLACE INTO sources(name, url, etag, last_modified, fetched_at, records)"
				      " VALUES (?, ?, ?, ?, ?, ?)",
			       -1, &s, NULL) != SQLITE_OK)
		return sc_vulndb_sqlerr(im->h, im->path, "sources", err);
	char now[32];
	sc_vulndb_now_iso(now);
	enum sc_status st = SC_OK;
	for (size_t i = 0; i < im->n_srcs && st == SC_OK; i++) {
		const struct vulndb_source *src = &im->srcs[i];
		bind_text(s, 1, src->name);
		bind_text(s, 2, src->url);
		bind_text(s, 3, src->etag);
		bind_text(s, 4, src->last_modified);
		bind_text(s, 5, now);
		sqlite3_bind_int64(s, 6, (sqlite3_int64)im->src_records[i]);
		st = step_done(im, s, err);
	}
	sqlite3_finalize(s);
	return st;
}

static int cmp_job_size(const void *a, const void *b)
{
	const struct job *x = *(const struct job *const *)a, *y = *(const struct job *const *)b;
	return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

/* Lists the input files, shares them among reader threads (largest first, to the least loaded),
 * and writes what the readers produce until each has ended. */
static enum sc_status run_pipeline(struct importer *im, struct sc_error *err)
{
	struct sc_ptrvec jobs = {0};
	uint64_t total = 0;
	enum sc_status st = SC_OK;
	for (size_t i = 0; i < im->n_srcs && st == SC_OK; i++) {
		const struct vulndb_source *src = &im->srcs[i];
		struct stat sb;
		struct sc_ptrvec files = {0};
		if (stat(src->path, &sb) != 0) {
			st = sc_error_set(err, SC_EIO, src->path, 0, 0, "cannot read: %s", strerror(errno));
		} else if (S_ISDIR(sb.st_mode)) {
			uint64_t ignored = 0;
			st = walk(src->path, 0, &files, &ignored, im, err);
		} else {
			sc_ptrvec_push(&files, sc_xstrdup(src->path));
		}
		for (size_t k = 0; k < files.len; k++) {
			struct job *j = sc_xcalloc(1, sizeof(*j));
			j->path = files.items[k];
			j->src = i;
			struct stat fs;
			j->size = stat(j->path, &fs) == 0 ? (uint64_t)fs.st_size : 0;
			total += j->size;
			sc_ptrvec_push(&jobs, j);
		}
		sc_ptrvec_free(&files);
	}
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nr = ncpu > 4 ? 4 : ncpu < 1 ? 1 : (size_t)ncpu;
	if (nr > jobs.len)
		nr = jobs.len ? jobs.len : 1;
	struct reader *rd = sc_xcalloc(nr, sizeof(*rd));
	uint64_t *load = sc_xcalloc(nr, sizeof(uint64_t));
	struct sc_ptrvec by_size = {0};
	for (size_t i = 0; i < jobs.len; i++)
		sc_ptrvec_push(&by_size, jobs.items[i]);
	sc_ptrvec_sort(&by_size, cmp_job_size);
	for (size_t i = 0; i < nr; i++)
		rd[i].jobs = sc_xcalloc(jobs.len ? jobs.len : 1, sizeof(struct job *));
	for (size_t i = 0; i < by_size.len; i++) {
		size_t best = 0;
		for (size_t k = 1; k < nr; k++)
			if (load[k] < load[best])
				best = k;
		struct job *j = by_size.items[i];
		rd[best].jobs[rd[best].n_jobs++] = j;
		load[best] += j->size + 1;
	}
	sc_ptrvec_free(&by_size);
	free(load);
	if (st != SC_OK)
		goto out;

	im->prog.total = total;
	pthread_mutex_init(&im->q.mu, NULL);
	pthread_cond_init(&im->q.not_empty, NULL);
	pthread_cond_init(&im->q.not_full, NULL);
	size_t started = 0;
	for (size_t i = 0; i < nr; i++) {
		rd[i].q = &im->q;
		rd[i].done = &im->done_bytes;
		if (pthread_create(&rd[i].th, NULL, reader_main, &rd[i]) != 0) {
			st = sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "cannot start a reader thread");
			break;
		}
		started++;
	}
	size_t ended = 0;
	struct item *batch = NULL;
	while (ended < started || batch) {
		if (!batch)
			batch = pop_all(&im->q);
		struct item *it = batch;
		batch = it->next;
		if (it->kind == IT_END) {
			ended++;
			if (st == SC_OK && it->st != SC_OK && it->st != SC_EINTERNAL) {
				st = it->st;
				sc_error_set(err, it->err.status, it->err.file, it->err.line, it->err.col, "%s",
					     it->err.msg ? it->err.msg : "import failed");
			}
		} else if (st == SC_OK) {
			im->src_name = im->srcs[it->src].name;
			st = write_doc(im, it, err);
			sc_progress_update(&im->prog, atomic_load(&im->done_bytes));
		}
		if (st != SC_OK) {
			pthread_mutex_lock(&im->q.mu);
			im->q.abort = true;
			pthread_cond_broadcast(&im->q.not_full);
			pthread_mutex_unlock(&im->q.mu);
		}
		item_free(it);
	}
	if (st == SC_OK && started < nr)
		st = SC_EINTERNAL;
	for (size_t i = 0; i < started; i++)
		pthread_join(rd[i].th, NULL);
	pthread_cond_destroy(&im->q.not_empty);
	pthread_cond_destroy(&im->q.not_full);
	pthread_mutex_destroy(&im->q.mu);
	if (st == SC_OK)
		st = write_sources(im, err);
out:
	for (size_t i = 0; i < nr; i++)
		free(rd[i].jobs);
	free(rd);
	for (size_t i = 0; i < jobs.len; i++) {
		struct job *j = jobs.items[i];
		free(j->path);
		free(j);
	}
	sc_ptrvec_free(&jobs);
	return st;
}

static enum sc_status prepare(struct importer *im, struct sc_error *err)
{
	static const struct {
		size_t off;
		const char *sql;
	} stmts[] = {
		{offsetof(struct importer, sel), "SELECT pk, modified FROM advisories WHERE id = ?"},
		{offsetof(struct importer, del_ali), "DELETE FROM aliases WHERE advisory = ?"},
		{offsetof(struct importer, del_aff), "DELETE FROM affected WHERE advisory = ?"},
		{offsetof(struct importer, ins_adv),
		 "INSERT INTO advisories(pk, id, modified, published, withdrawn, summary, details, aliases,"
		 " severity, score, cvss_vector, severity_source, url, refs, source, content_hash)"
		 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING"},
		{offsetof(struct importer, upd_adv),
		 "INSERT OR REPLACE INTO advisories(pk, id, modified, published, withdrawn, summary, details, aliases,"
		 " severity, score, cvss_vector, severity_source, url, refs, source, content_hash)"
		 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
		{offsetof(struct importer, ins_ali), "INSERT INTO aliases(alias, advisory) VALUES (?, ?)"},
		{offsetof(struct importer, ins_aff),
		 "INSERT INTO affected(advisory, ecosystem, name, raw_name, purl, ranges, versions, note, rating, cvss_vector)"
		 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
	};
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		sqlite3_stmt **slot = (sqlite3_stmt **)((char *)im + stmts[i].off);
		if (sqlite3_prepare_v3(im->h, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
			return sc_vulndb_sqlerr(im->h, im->path, "cannot prepare the import", err);
	}
	return SC_OK;
}

static void finalize(struct importer *im)
{
	sqlite3_stmt **all[] = {&im->sel, &im->del_ali, &im->del_aff, &im->ins_adv, &im->upd_adv, &im->ins_ali, &im->ins_aff};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		sqlite3_finalize(*all[i]);
		*all[i] = NULL;
	}
}

/* mkdir -p of the directory part of path. */
static void make_parent(const char *path)
{
	char *d = sc_xstrdup(path);
	char *slash = strrchr(d, '/');
	if (slash && slash != d) {
		*slash = '\0';
		for (char *p = d + 1; *p; p++) {
			if (*p == '/') {
				*p = '\0';
				mkdir(d, 0755);
				*p = '/';
			}
		}
		mkdir(d, 0755);
	}
	free(d);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum sc_status sc_vulndb_import(const char *db_path, const struct vulndb_source *srcs, size_t n, bool quiet,
				struct sc_db_import_stats *stats, struct sc_error *err)
{
	struct sc_db_import_stats local = {0};
	if (!stats)
		stats = &local;
	double t0 = now_s();
	struct importer im = {.path = db_path, .st = stats};
	char *tmp = NULL;
	enum sc_status st = SC_OK;
	bool fresh = access(db_path, F_OK) != 0;
	bool in_tx = false;
	const char *open_path = db_path;
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (stat(srcs[i].path, &sb) != 0)
			return sc_error_set(err, SC_EIO, srcs[i].path, 0, 0, "cannot read: %s", strerror(errno));
	}
	if (fresh) {
		make_parent(db_path);
		tmp = sc_xasprintf("%s.tmp.XXXXXX", db_path);
		int fd = mkstemp(tmp);
		if (fd < 0) {
			st = sc_error_set(err, SC_EIO, db_path, 0, 0, "cannot create the database: %s", strerror(errno));
			free(tmp);
			return st;
		}
		fchmod(fd, 0644);
		close(fd);
		open_path = tmp;
	}
	if (sqlite3_open_v2(open_path, &im.h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		st = sc_vulndb_sqlerr(im.h, db_path, "cannot open the database for writing", err);
		goto out;
	}
	sqlite3_busy_timeout(im.h, 10000);
	bool empty;
	if ((st = sc_vulndb_check_schema(im.h, db_path, &empty, err)) != SC_OK)
		goto out;
	sqlite3_exec(im.h, fresh ? "PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF; PRAGMA cache_size=-131072"
				 : "PRAGMA cache_size=-131072",
		     NULL, NULL, NULL);
	if (sqlite3_exec(im.h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		st = sc_vulndb_sqlerr(im.h, db_path, "cannot start the import", err);
		goto out;
	}
	in_tx = true;
	if (empty && (st = sc_vulndb_create_schema(im.h, db_path, err)) != SC_OK)
		goto out;
	if ((st = prepare(&im, err)) != SC_OK)
		goto out;
	im.srcs = srcs;
	im.n_srcs = n;
	im.src_records = sc_xcalloc(n ? n : 1, sizeof(uint64_t));
	sc_progress_start(&im.prog, "importing", 0, quiet);
	st = run_pipeline(&im, err);
	sc_progress_finish(&im.prog);
	if (st != SC_OK)
		goto out;
	if ((st = sc_vulndb_create_indexes(im.h, db_path, err)) != SC_OK)
		goto out;
	if ((st = sc_vulndb_finish_meta(im.h, db_path, err)) != SC_OK)
		goto out;
	finalize(&im);
	if (sqlite3_exec(im.h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		st = sc_vulndb_sqlerr(im.h, db_path, "cannot commit the import", err);
		goto out;
	}
	in_tx = false;
out:
	free(im.src_records);
	finalize(&im);
	if (in_tx)
		sqlite3_exec(im.h, "ROLLBACK", NULL, NULL, NULL);
	if (im.h && sqlite3_close(im.h) != SQLITE_OK && st == SC_OK)
		st = sc_error_set(err, SC_EIO, db_path, 0, 0, "cannot close the database");
	if (fresh) {
		if (st == SC_OK) {
			int fd = open(tmp, O_RDONLY | O_CLOEXEC);
			bool synced = fd >= 0 && fsync(fd) == 0;
			if (fd >= 0)
				close(fd);
			if (!synced || rename(tmp, db_path) != 0)
				st = sc_error_set(err, SC_EIO, db_path, 0, 0, "cannot write the database: %s", strerror(errno));
		}
		if (st != SC_OK)
			unlink(tmp);
		free(tmp);
	}
	stats->seconds = now_s() - t0;
	if (stats == &local)
		sc_db_import_stats_clear(&local);
	return st;
}

enum sc_status sc_db_import(const char *db_path, const char *const *paths, size_t n, bool quiet,
			    struct sc_db_import_stats *stats, struct sc_error *err)
{
	struct vulndb_source *srcs = sc_xcalloc(n ? n : 1, sizeof(*srcs));
	char **names = sc_xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(paths[i]);
		while (len > 1 && paths[i][len - 1] == '/')
			len--;
		names[i] = sc_xstrndup(paths[i], len);
		srcs[i].path = paths[i];
		srcs[i].name = names[i];
	}
	enum sc_status st = sc_vulndb_import(db_path, srcs, n, quiet, stats, err);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(srcs);
	return st;
}
