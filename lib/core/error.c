/* error.c - status names and struct sc_error, which owns copies of its location and message. */
#include "shipcheck/sc_core.h"

#include <stdlib.h>
#include <string.h>

const char *sc_status_name(enum sc_status st)
{
	switch (st) {
	case SC_OK: return "ok";
	case SC_WARN: return "warning";
	case SC_EINPUT: return "bad input";
	case SC_ELIMIT: return "limit exceeded";
	case SC_EIO: return "I/O error";
	case SC_EDB: return "database error";
	case SC_EINTERNAL: return "internal error";
	}
	return "unknown status";
}

enum sc_status sc_error_setv(struct sc_error *err, enum sc_status st, const char *file, unsigned line,
			     unsigned col, const char *fmt, va_list ap)
{
	if (!err || err->msg)
		return st;
	err->status = st;
	err->file = file ? sc_xstrdup(file) : NULL;
	err->line = line;
	err->col = col;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	err->msg = sc_xmalloc((size_t)n + 1);
	vsnprintf(err->msg, (size_t)n + 1, fmt, ap);
	return st;
}

enum sc_status sc_error_set(struct sc_error *err, enum sc_status st, const char *file, unsigned line,
			    unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sc_error_setv(err, st, file, line, col, fmt, ap);
	va_end(ap);
	return st;
}

enum sc_status sc_error_reset(struct sc_error *err, enum sc_status st, const char *file, unsigned line,
			      unsigned col, const char *fmt, ...)
{
	sc_error_clear(err);
	va_list ap;
	va_start(ap, fmt);
	sc_error_setv(err, st, file, line, col, fmt, ap);
	va_end(ap);
	return st;
}

void sc_error_clear(struct sc_error *err)
{
	if (!err)
		return;
	free(err->file);
	free(err->msg);
	memset(err, 0, sizeof(*err));
}

void sc_error_format(const struct sc_error *err, char *buf, size_t size)
{
	if (!size)
		return;
	const char *msg = err && err->msg ? err->msg : (err ? sc_status_name(err->status) : "error");
	if (err && err->file && err->line && err->col)
		snprintf(buf, size, "%s:%u:%u: %s", err->file, err->line, err->col, msg);
	else if (err && err->file && err->line)
		snprintf(buf, size, "%s:%u: %s", err->file, err->line, msg);
	else if (err && err->file)
		snprintf(buf, size, "%s: %s", err->file, msg);
	else
		snprintf(buf, size, "%s", msg);
}
