/* extractors.c - the table of extractors built from extractors.def, and running them on a tree. */
#include "shipcheck/sc_scan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SC_EXTRACTOR(n) extern const struct sc_extractor sc_extractor_##n;
#include "extractors.def"
#undef SC_EXTRACTOR

static const struct sc_extractor *const table[] = {
#define SC_EXTRACTOR(n) &sc_extractor_##n,
#include "extractors.def"
#undef SC_EXTRACTOR
	NULL,
};

size_t sc_extractor_count(void)
{
	return sizeof(table) / sizeof(table[0]) - 1;
}

const struct sc_extractor *sc_extractor_at(size_t i)
{
	return i < sc_extractor_count() ? table[i] : NULL;
}

const struct sc_extractor *sc_extractor_find(const char *name)
{
	for (size_t i = 0; i < sc_extractor_count(); i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

bool sc_extractor_runs_on(const struct sc_extractor *x, unsigned target)
{
	return !x->targets || (x->targets & target);
}

void sc_extract_fs(const struct sc_fs *fs, const struct sc_limits *lim, struct sc_inventory *inv,
		   unsigned target)
{
	size_t n = sc_extractor_count();
	if (!n)
		return;
	for (size_t i = 0; i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (!S_ISREG(f->mode) || f->deleted)
			continue;
		char *data = NULL;
		size_t len = 0;
		for (size_t k = 0; k < n; k++) {
			const struct sc_extractor *x = sc_extractor_at(k);
			if (!sc_extractor_runs_on(x, target) || !x->wants(f->path, f->size, f->mode))
				continue;
			uint64_t limit = x->max_size ? x->max_size : lim->max_file_size;
			struct sc_error err = {0};
			if (!data && sc_fs_read(fs, f->path, limit, &data, &len, &err) != SC_OK) {
				sc_inventory_warn(inv, f->path, err.line, err.col, "%s: %s", x->name,
						  err.msg ? err.msg : "cannot read");
				sc_error_clear(&err);
				break;
			}
			if (len > limit) {
				sc_inventory_warn(inv, f->path, 0, 0, "%s: file is larger than %llu bytes, skipped",
						  x->name, (unsigned long long)limit);
				continue;
			}
			struct sc_extract_input in = {f->path, (const unsigned char *)data, len, f->layer, fs};
			if (x->extract(&in, inv, &err) != SC_OK) {
				/* a parser's message for nothing at all ("'[' or '{' expected near end of
				 * file") says less than this */
				size_t sp = 0;
				while (sp < len && data[sp] && strchr(" \t\r\n", data[sp])) /* (strchr finds a NUL) */
					sp++;
				if (sp == len)
					sc_inventory_warn(inv, f->path, 0, 0, "%s: empty file: nothing to check", x->name);
				else
					sc_inventory_warn(inv, err.file ? err.file : f->path, err.line, err.col, "%s: %s",
							  x->name, err.msg ? err.msg : "cannot parse");
			}
			sc_error_clear(&err);
		}
		free(data);
	}
}
