/* sc_git2.h - libgit2, loaded on first use (see sc_curl.h for why: libgit2 brings its own TLS and
 * SSH libraries, and only `secrets --staged/--since/history` need it). lib/ files include this
 * instead of <git2.h> and call sc_git2_load() before git_libgit2_init(); the git_* calls they
 * write then go through a table filled by dlopen("libgit2.so.1.5"). */
#ifndef SHIPCHECK_SC_GIT2_H
#define SHIPCHECK_SC_GIT2_H

#include <git2.h>

#include "shipcheck/sc_core.h"

#define SC_GIT2_FUNCS(X)                                                                                 \
	X(git_blob_free) X(git_blob_is_binary) X(git_blob_lookup) X(git_blob_rawcontent)                \
	X(git_blob_rawsize) X(git_commit_free) X(git_commit_lookup) X(git_commit_parent_id)             \
	X(git_commit_parentcount) X(git_commit_time) X(git_commit_tree) X(git_diff_free)                \
	X(git_diff_num_deltas) X(git_diff_options_init) X(git_diff_tree_to_index)                      \
	X(git_diff_tree_to_workdir_with_index) X(git_error_last) X(git_ignore_path_is_ignored)          \
	X(git_index_find_prefix) X(git_index_free) X(git_index_get_bypath)                             \
	X(git_libgit2_init) X(git_libgit2_shutdown) X(git_merge_base) X(git_object_free)               \
	X(git_object_id) X(git_object_peel) X(git_oid_is_zero) X(git_oid_tostr) X(git_patch_free)       \
	X(git_patch_from_diff) X(git_patch_get_delta) X(git_patch_get_hunk)                            \
	X(git_patch_get_line_in_hunk) X(git_patch_num_hunks) X(git_repository_free)                     \
	X(git_repository_index) X(git_repository_open_ext) X(git_repository_workdir)                   \
	X(git_revparse_single) X(git_revwalk_free) X(git_revwalk_new) X(git_revwalk_next)             \
	X(git_revwalk_push_glob) X(git_revwalk_push_head) X(git_revwalk_sorting)                       \
	X(git_tree_entry_filemode) X(git_tree_entry_id) X(git_tree_entry_name)                         \
	X(git_tree_entry_type) X(git_tree_free) X(git_tree_walk)

struct sc_git2_api {
#define SC_GIT2_MEMBER(f) __typeof__(f) *f;
	SC_GIT2_FUNCS(SC_GIT2_MEMBER)
#undef SC_GIT2_MEMBER
};

extern const struct sc_git2_api *sc_git2_api;
/* Loads libgit2 once (thread-safe); SC_EINTERNAL with the loader's message when it cannot. */
enum sc_status sc_git2_load(struct sc_error *err);

#ifndef SC_LAZY_LOADER
#define git_blob_free sc_git2_api->git_blob_free
#define git_blob_is_binary sc_git2_api->git_blob_is_binary
#define git_blob_lookup sc_git2_api->git_blob_lookup
#define git_blob_rawcontent sc_git2_api->git_blob_rawcontent
#define git_blob_rawsize sc_git2_api->git_blob_rawsize
#define git_commit_free sc_git2_api->git_commit_free
#define git_commit_lookup sc_git2_api->git_commit_lookup
#define git_commit_parent_id sc_git2_api->git_commit_parent_id
#define git_commit_parentcount sc_git2_api->git_commit_parentcount
#define git_commit_time sc_git2_api->git_commit_time
#define git_commit_tree sc_git2_api->git_commit_tree
#define git_diff_free sc_git2_api->git_diff_free
#define git_diff_num_deltas sc_git2_api->git_diff_num_deltas
#define git_diff_options_init sc_git2_api->git_diff_options_init
#define git_diff_tree_to_index sc_git2_api->git_diff_tree_to_index
#define git_diff_tree_to_workdir_with_index sc_git2_api->git_diff_tree_to_workdir_with_index
#define git_error_last sc_git2_api->git_error_last
#define git_ignore_path_is_ignored sc_git2_api->git_ignore_path_is_ignored
#define git_index_find_prefix sc_git2_api->git_index_find_prefix
#define git_index_free sc_git2_api->git_index_free
#define git_index_get_bypath sc_git2_api->git_index_get_bypath
#define git_libgit2_init sc_git2_api->git_libgit2_init
#define git_libgit2_shutdown sc_git2_api->git_libgit2_shutdown
#define git_merge_base sc_git2_api->git_merge_base
#define git_object_free sc_git2_api->git_object_free
#define git_object_id sc_git2_api->git_object_id
#define git_object_peel sc_git2_api->git_object_peel
#define git_oid_is_zero sc_git2_api->git_oid_is_zero
#define git_oid_tostr sc_git2_api->git_oid_tostr
#define git_patch_free sc_git2_api->git_patch_free
#define git_patch_from_diff sc_git2_api->git_patch_from_diff
#define git_patch_get_delta sc_git2_api->git_patch_get_delta
#define git_patch_get_hunk sc_git2_api->git_patch_get_hunk
#define git_patch_get_line_in_hunk sc_git2_api->git_patch_get_line_in_hunk
#define git_patch_num_hunks sc_git2_api->git_patch_num_hunks
#define git_repository_free sc_git2_api->git_repository_free
#define git_repository_index sc_git2_api->git_repository_index
#define git_repository_open_ext sc_git2_api->git_repository_open_ext
#define git_repository_workdir sc_git2_api->git_repository_workdir
#define git_revparse_single sc_git2_api->git_revparse_single
#define git_revwalk_free sc_git2_api->git_revwalk_free
#define git_revwalk_new sc_git2_api->git_revwalk_new
#define git_revwalk_next sc_git2_api->git_revwalk_next
#define git_revwalk_push_glob sc_git2_api->git_revwalk_push_glob
#define git_revwalk_push_head sc_git2_api->git_revwalk_push_head
#define git_revwalk_sorting sc_git2_api->git_revwalk_sorting
#define git_tree_entry_filemode sc_git2_api->git_tree_entry_filemode
#define git_tree_entry_id sc_git2_api->git_tree_entry_id
#define git_tree_entry_name sc_git2_api->git_tree_entry_name
#define git_tree_entry_type sc_git2_api->git_tree_entry_type
#define git_tree_free sc_git2_api->git_tree_free
#define git_tree_walk sc_git2_api->git_tree_walk
#endif

#endif
