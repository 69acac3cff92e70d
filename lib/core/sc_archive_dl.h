/* sc_archive_dl.h - libarchive, loaded on first use (see sc_curl.h for why: libarchive brings
 * libxml2 and ICU, half of the start-up of a run that reads no image or archive). lib/ files include
 * this instead of <archive.h>/<archive_entry.h>; archive_read_new() loads the library (a machine
 * without it is an installation error: message and exit 3, like running out of memory). */
#ifndef SHIPCHECK_SC_ARCHIVE_DL_H
#define SHIPCHECK_SC_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>

#define SC_ARCHIVE_FUNCS(X)                                                                              \
	X(archive_entry_filetype) X(archive_entry_hardlink) X(archive_entry_mode)                      \
	X(archive_entry_pathname) X(archive_entry_size) X(archive_entry_size_is_set)                   \
	X(archive_entry_symlink) X(archive_error_string) X(archive_filter_bytes) X(archive_filter_count) \
	X(archive_read_data) X(archive_read_data_block) X(archive_read_free) X(archive_read_new)        \
	X(archive_read_next_header) X(archive_read_open) X(archive_read_open_filename)                 \
	X(archive_read_open_memory) X(archive_read_support_filter_all)                                 \
	X(archive_read_support_filter_gzip) X(archive_read_support_filter_zstd)                        \
	X(archive_read_support_format_gnutar) X(archive_read_support_format_raw)                       \
	X(archive_read_support_format_tar) X(archive_read_support_format_zip_seekable)

struct sc_archive_api {
#define SC_ARCHIVE_MEMBER(f) __typeof__(f) *f;
	SC_ARCHIVE_FUNCS(SC_ARCHIVE_MEMBER)
#undef SC_ARCHIVE_MEMBER
};

extern const struct sc_archive_api *sc_archive_api;
struct archive *sc_archive_read_new(void);
/* NULL-safe without the library loaded (cleanup paths before any archive_read_new). */
int sc_archive_read_free(struct archive *a);

#ifndef SC_LAZY_LOADER
#define archive_read_new() sc_archive_read_new()
#define archive_entry_filetype sc_archive_api->archive_entry_filetype
#define archive_entry_hardlink sc_archive_api->archive_entry_hardlink
#define archive_entry_mode sc_archive_api->archive_entry_mode
#define archive_entry_pathname sc_archive_api->archive_entry_pathname
#define archive_entry_size sc_archive_api->archive_entry_size
#define archive_entry_size_is_set sc_archive_api->archive_entry_size_is_set
#define archive_entry_symlink sc_archive_api->archive_entry_symlink
#define archive_error_string sc_archive_api->archive_error_string
#define archive_filter_bytes sc_archive_api->archive_filter_bytes
#define archive_filter_count sc_archive_api->archive_filter_count
#define archive_read_data sc_archive_api->archive_read_data
#define archive_read_data_block sc_archive_api->archive_read_data_block
#define archive_read_free(a) sc_archive_read_free(a)
#define archive_read_next_header sc_archive_api->archive_read_next_header
#define archive_read_open sc_archive_api->archive_read_open
#define archive_read_open_filename sc_archive_api->archive_read_open_filename
#define archive_read_open_memory sc_archive_api->archive_read_open_memory
#define archive_read_support_filter_all sc_archive_api->archive_read_support_filter_all
#define archive_read_support_filter_gzip sc_archive_api->archive_read_support_filter_gzip
#define archive_read_support_filter_zstd sc_archive_api->archive_read_support_filter_zstd
#define archive_read_support_format_gnutar sc_archive_api->archive_read_support_format_gnutar
#define archive_read_support_format_raw sc_archive_api->archive_read_support_format_raw
#define archive_read_support_format_tar sc_archive_api->archive_read_support_format_tar
#define archive_read_support_format_zip_seekable sc_archive_api->archive_read_support_format_zip_seekable
#endif

#endif
