/* sc_json_alloc.h - a per-thread bump allocator for jansson documents that live only inside one
 * function (an OSV record parsed, read and dropped): between sc_json_scope_begin() and
 * sc_json_scope_end() on a thread, jansson's allocations on that thread come from a block that is
 * reset at the end, and its frees of them cost nothing. Everywhere else jansson uses malloc/free
 * unchanged (json_dumps results are still freed with free()). Nothing allocated inside a scope may
 * be used after it ends. */
#ifndef SHIPCHECK_SC_JSON_ALLOC_H
#define SHIPCHECK_SC_JSON_ALLOC_H

void sc_json_scope_begin(void);
void sc_json_scope_end(void);

#endif
