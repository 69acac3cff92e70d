/* baseline.c - .secrets.baseline in detect-secrets' JSON format (version, plugins_used,
 * filters_used, results{file: [{type, filename, hashed_secret, is_verified, line_number,
 * is_secret?}]}, generated_at): read files written by detect-secrets or shipcheck, write them back. */
#include "shipcheck/sc_secrets.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE_MAX_SIZE ((size_t)64 << 20)
#define BASELINE_MAX_ENTRIES 1000000u

struct sc_baseline *sc_baseline_new(void)
{
	struct sc_baseline *b = sc_xcalloc(1, sizeof(*b));
	b->version = sc_xstrdup("1.5.0");
	return b;
}

void sc_baseline_free(struct sc_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		free(b->items[i].path);
		free(b->items[i].type);
	}
	free(b->items);
	free(b->version);
	free(b->generated_at);
	free(b->raw_plugins);
	free(b->raw_filters);
	sc_map_free(b->index);
	sc_arena_free(b->keys);
	free(b);
}

/* Indexes item i by hash and path: a baseline of 200,000 entries against as many findings was a
 * scan per finding, minutes. Of one secret's entries in one file (detect-secrets writes one per
 * plugin that found it) the first wins, as a scan would find it, unless a later one is marked a
 * real secret (is_secret: true decides). */
static void index_item(struct sc_baseline *b, size_t i)
{
	if (!b->index) {
		b->index = sc_map_new();
		b->keys = sc_arena_new();
	}
	char *key = sc_arena_printf(b->keys, "%s %s", b->items[i].sha1, b->items[i].path);
	size_t have = (size_t)(uintptr_t)sc_map_get(b->index, key);
	if (!have || (b->items[i].is_secret == 1 && b->items[have - 1].is_secret != 1))
		sc_map_put(b->index, key, (void *)(uintptr_t)(i + 1));
}

struct sc_baseline_entry *sc_baseline_add(struct sc_baseline *b, const char *path, const char *type,
					  const char *sha1, unsigned line)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->items = sc_xrealloc(b->items, b->cap * sizeof(*b->items));
	}
	struct sc_baseline_entry *e = &b->items[b->n++];
	memset(e, 0, sizeof(*e));
	e->path = sc_xstrdup(path);
	e->type = sc_xstrdup(type);
	snprintf(e->sha1, sizeof(e->sha1), "%s", sha1);
	e->line = line;
	e->is_secret = -1;
	e->is_verified = -1;
	index_item(b, b->n - 1);
	return e;
}

struct sc_baseline_entry *sc_baseline_find(struct sc_baseline *b, const char *path, const char *sha1)
{
	if (!b->index)
		return NULL;
	char stack[512], *key = stack;
	size_t hl = strlen(sha1), pl = strlen(path);
	if (hl + pl + 2 > sizeof(stack))
		key = sc_xmalloc(hl + pl + 2);
	memcpy(key, sha1, hl);
	key[hl] = ' ';
	memcpy(key + hl + 1, path, pl + 1);
	size_t i1 = (size_t)(uintptr_t)sc_map_get(b->index, key);
	if (key != stack)
		free(key);
	return i1 ? &b->items[i1 - 1] : NULL;
}

void sc_baseline_prune(struct sc_baseline *b)
{
	/* entries of one secret in one file under several types (detect-secrets writes one per
	 * plugin that found it) are matched through one of them: they stay or go together, so that
	 * detect-secrets reading the file back still finds each */
	for (size_t i = 0; i < b->n; i++) {
		const struct sc_baseline_entry *twin = sc_baseline_find(b, b->items[i].path, b->items[i].sha1);
		if (twin && twin->seen)
			b->items[i].seen = true;
	}
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (b->items[i].seen) {
			b->items[k++] = b->items[i];
		} else {
			free(b->items[i].path);
			free(b->items[i].type);
		}
	}
	b->n = k;
	/* the items moved: index them again */
	sc_map_free(b->index);
	sc_arena_free(b->keys);
	b->index = NULL;
	b->keys = NULL;
	for (size_t i = 0; i < b->n; i++)
		index_item(b, i);
}

static bool is_sha1(const char *s)
{
	if (strlen(s) != 40)
		return false;
	for (size_t i = 0; i < 40; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

enum sc_status sc_baseline_parse(const char *path, const char *data, size_t len, struct sc_baseline **out,
				 struct sc_error *err)
{
	*out = NULL;
	if (len > BASELINE_MAX_SIZE)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "baseline is larger than %zu bytes", BASELINE_MAX_SIZE);
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return sc_error_set(err, SC_EINPUT, path, je.line > 0 ? (unsigned)je.line : 0,
				    je.column > 0 ? (unsigned)je.column : 0, "not a valid baseline: %s", je.text);
	enum sc_status st = SC_OK;
	struct sc_baseline *b = sc_xcalloc(1, sizeof(*b));
	if (!json_is_object(root)) {
		st = sc_error_set(err, SC_EINPUT, path, 1, 1, "not a valid baseline: the top level must be an object");
		goto out;
	}
	json_t *v = json_object_get(root, "version");
	b->version = sc_xstrdup(json_is_string(v) ? json_string_value(v) : "1.5.0");
	v = json_object_get(root, "generated_at");
	if (json_is_string(v))
		b->generated_at = sc_xstrdup(json_string_value(v));
	v = json_object_get(root, "plugins_used");
	if (json_is_array(v))
		b->raw_plugins = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	v = json_object_get(root, "filters_used");
	if (json_is_array(v))
		b->raw_filters = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_t *results = json_object_get(root, "results");
	if (!json_is_object(results)) {
		st = sc_error_set(err, SC_EINPUT, path, 0, 0, "not a valid baseline: `results` must be an object");
		goto out;
	}
	const char *file;
	json_t *list;
	json_object_foreach(results, file, list)
	{
		if (!json_is_array(list)) {
			st = sc_error_set(err, SC_EINPUT, path, 0, 0, "not a valid baseline: results[\"%s\"] must be a list",
					  file);
			goto out;
		}
		size_t i;
		json_t *it;
		json_array_foreach(list, i, it)
		{
			json_t *hs = json_object_get(it, "hashed_secret");
			json_t *ln = json_object_get(it, "line_number");
			json_t *ty = json_object_get(it, "type");
			json_t *fn = json_object_get(it, "filename");
			if (!json_is_object(it) || !json_is_string(hs) || !is_sha1(json_string_value(hs))) {
				st = sc_error_set(err, SC_EINPUT, path, 0, 0,
						  "not a valid baseline: results[\"%s\"][%zu] needs `hashed_secret` (40 hex digits)",
						  file, i);
				goto out;
			}
			if (ln && !json_is_integer(ln)) {
				st = sc_error_set(err, SC_EINPUT, path, 0, 0,
						  "not a valid baseline: results[\"%s\"][%zu].line_number must be an integer",
						  file, i);
				goto out;
			}
			if (b->n >= BASELINE_MAX_ENTRIES) {
				st = sc_error_set(err, SC_ELIMIT, path, 0, 0, "baseline has more than %u entries",
						  BASELINE_MAX_ENTRIES);
				goto out;
			}
			json_int_t line = ln ? json_integer_value(ln) : 0;
			struct sc_baseline_entry *e =
				sc_baseline_add(b, json_is_string(fn) ? json_string_value(fn) : file,
						json_is_string(ty) ? json_string_value(ty) : "Secret",
						json_string_value(hs), line > 0 && line < (1ll << 31) ? (unsigned)line : 0);
			json_t *is = json_object_get(it, "is_secret");
			if (json_is_boolean(is))
				e->is_secret = json_is_true(is) ? 1 : 0;
			if (e->is_secret == 1)
				index_item(b, b->n - 1); /* (added before is_secret was known) */
			json_t *iv = json_object_get(it, "is_verified");
			if (json_is_boolean(iv))
				e->is_verified = json_is_true(iv) ? 1 : 0;
		}
	}
out:
	json_decref(root);
	if (st != SC_OK) {
		sc_baseline_free(b);
		return st;
	}
	*out = b;
	return SC_OK;
}

enum sc_status sc_baseline_load(const char *path, struct sc_baseline **out, struct sc_error *err)
{
	char *data = NULL;
	size_t len = 0;
	enum sc_status st = sc_read_file(path, BASELINE_MAX_SIZE, &data, &len, err);
	if (st != SC_OK)
		return st;
	st = sc_baseline_parse(path, data, len, out, err);
	free(data);
	return st;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct sc_baseline_entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->sha1, y->sha1);
}

/* detect-secrets' own plugin list (names and limits), for baselines written from scratch. */
static json_t *default_plugins(void)
{
	static const char *const names[] = {
		"ArtifactoryDetector", "AWSKeyDetector", "AzureStorageKeyDetector", "BasicAuthDetector",
		"CloudantDetector", "DiscordBotTokenDetector", "GitHubTokenDetector", "GitLabTokenDetector",
		"IbmCloudIamDetector", "IbmCosHmacDetector", "JwtTokenDetector", "KeywordDetector",
		"MailchimpDetector", "NpmDetector", "OpenAIDetector", "PrivateKeyDetector", "PypiTokenDetector",
		"SendGridDetector", "SlackDetector", "SoftlayerDetector", "SquareOAuthDetector", "StripeDetector",
		"TelegramBotTokenDetector", "TwilioKeyDetector", NULL};
	json_t *a = json_array();
	for (size_t i = 0; names[i]; i++) {
		json_array_append_new(a, json_pack("{s:s}", "name", names[i]));
		if (!strcmp(names[i], "AzureStorageKeyDetector"))
			json_array_append_new(a, json_pack("{s:s,s:f}", "name", "Base64HighEntropyString", "limit", 4.5));
		if (!strcmp(names[i], "GitLabTokenDetector"))
			json_array_append_new(a, json_pack("{s:s,s:f}", "name", "HexHighEntropyString", "limit", 3.0));
	}
	return a;
}

static json_t *default_filters(void)
{
	static const char *const paths[] = {
		"detect_secrets.filters.allowlist.is_line_allowlisted",
		"detect_secrets.filters.heuristic.is_indirect_reference",
		"detect_secrets.filters.heuristic.is_likely_id_string",
		"detect_secrets.filters.heuristic.is_lock_file",
		"detect_secrets.filters.heuristic.is_not_alphanumeric_string",
		"detect_secrets.filters.heuristic.is_potential_uuid",
		"detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign",
		"detect_secrets.filters.heuristic.is_sequential_string",
		"detect_secrets.filters.heuristic.is_swagger_file",
		"detect_secrets.filters.heuristic.is_templated_secret",
		NULL};
	json_t *a = json_array();
	for (size_t i = 0; paths[i]; i++)
		json_array_append_new(a, json_pack("{s:s}", "path", paths[i]));
	return a;
}

static void today_iso(char *out, size_t n)
{
	/* civil_from_days (H. Hinnant) */
	int64_t z = sc_date_today() + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, n, "%04lld-%02u-%02uT00:00:00Z", (long long)(y + (m <= 2)) % 10000, m % 100, d % 100);
}

char *sc_baseline_to_json(const struct sc_baseline *b)
{
	json_t *root = json_object();
	json_object_set_new(root, "version", json_string(b->version ? b->version : "1.5.0"));
	json_t *plugins = b->raw_plugins ? json_loads(b->raw_plugins, 0, NULL) : NULL;
	json_object_set_new(root, "plugins_used", plugins ? plugins : default_plugins());
	json_t *filters = b->raw_filters ? json_loads(b->raw_filters, 0, NULL) : NULL;
	json_object_set_new(root, "filters_used", filters ? filters : default_filters());
	struct sc_baseline_entry *items = sc_xcalloc(b->n ? b->n : 1, sizeof(*items));
	if (b->n)
		memcpy(items, b->items, b->n * sizeof(*items));
	if (b->n > 1)
		qsort(items, b->n, sizeof(*items), cmp_entry);
	json_t *results = json_object();
	json_t *cur = NULL;
	const char *curpath = NULL;
	for (size_t i = 0; i < b->n; i++) {
		const struct sc_baseline_entry *e = &items[i];
		if (i && !strcmp(e->path, items[i - 1].path) && !strcmp(e->sha1, items[i - 1].sha1) &&
		    !strcmp(e->type, items[i - 1].type))
			continue;
		if (!curpath || strcmp(curpath, e->path)) {
			cur = json_array();
			json_object_set_new(results, e->path, cur);
			curpath = e->path;
		}
		json_t *o = json_object();
		json_object_set_new(o, "type", json_string(e->type));
		json_object_set_new(o, "filename", json_string(e->path));
		json_object_set_new(o, "hashed_secret", json_string(e->sha1));
		json_object_set_new(o, "is_verified", json_boolean(e->is_verified == 1));
		json_object_set_new(o, "line_number", json_integer(e->line));
		if (e->is_secret >= 0)
			json_object_set_new(o, "is_secret", json_boolean(e->is_secret == 1));
		json_array_append_new(cur, o);
	}
	free(items);
	json_object_set_new(root, "results", results);
	char when[64];
	today_iso(when, sizeof(when));
	json_object_set_new(root, "generated_at", json_string(when));
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(root);
	char *out = sc_xasprintf("%s\n", s ? s : "{}");
	free(s);
	return out;
}

enum sc_status sc_baseline_write(const struct sc_baseline *b, const char *path, struct sc_error *err)
{
	char *s = sc_baseline_to_json(b);
	enum sc_status st = sc_write_file_atomic(path, s, strlen(s), err);
	free(s);
	return st;
}
