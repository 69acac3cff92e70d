/* apt_impl.h - helpers shared by the files of lib/apt (not part of the public sc_apt.h). */
#ifndef SHIPCHECK_APT_IMPL_H
#define SHIPCHECK_APT_IMPL_H

#include <stddef.h>

#include <archive.h>

#include "shipcheck/sc_core.h"

/* Opens a compressed package index held in memory (any filter libarchive knows, raw format) and
 * positions it at the decompressed bytes. *out is always set (free it with archive_read_free);
 * SC_EINPUT naming path when the data is not a compressed file or cannot be read. */
enum sc_status sc_apt_open_compressed(const char *path, const void *data, size_t len, struct archive **out,
				      struct sc_error *err);

/* The same, reading the compressed bytes through reader (libarchive's read callback, given ud). */
enum sc_status sc_apt_open_compressed_reader(const char *path, void *ud, archive_read_callback *reader,
					     struct archive **out, struct sc_error *err);
/* Whether an index file's name says it is compressed (.gz .xz .lz4 .zst .bz2 .lzma). */
bool sc_apt_compressed_name(const char *path);

/* Frees the buffers sc_apt_index_scan keeps in c->scratch (NULL-safe). */
void sc_apt_scratch_free(struct sc_apt_scratch *s);

#endif
