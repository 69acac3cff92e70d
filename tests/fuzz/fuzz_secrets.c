/* fuzz_secrets.c - libFuzzer target: the secrets scanner on arbitrary bytes. The first byte picks
 * the file name (so every keyword syntax and file filter is reached); matches must lie inside the
 * buffer and their redacted form must not contain the secret. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {"a.txt", "a.py", "a.c", "a.go", "a.cpp", "a.js", ".env", "config.yml",
				    "package-lock.json", "a.min.js", "Dockerfile", "settings.ini", "fix.patch",
				    "tests/data/test1", "main.tf", "a.pas", "a.rb", "a.php", "README", "config/locales/de.yml",
				    "pkg.dist-info/RECORD", "a.vim",
				    /* rules for some files only; third-party code */
				    "config/master.key", ".vault_pass", "node_modules/p/index.js",
				    /* syntaxes and paths with their own filters: Makefile rules, registry files,
				     * IDL, Perl, manual pages, Go's doc.go, Perl's t/, a Kubernetes Secret */
				    "Makefile.in", "a.reg", "a.idl", "a.pm", "a.5", "doc.go", "t/keys/a.key",
				    "k8s/secret.yaml"};

struct bounds {
	const uint8_t *lo, *hi;
};

static bool check(void *ud, const struct sc_secret_match *m)
{
	const struct bounds *b = ud;
	if ((const uint8_t *)m->secret < b->lo || (const uint8_t *)m->secret + m->secret_len > b->hi || !m->line ||
	    !m->col)
		abort();
	if (m->secret_len >= 8 && memmem(m->redacted, strlen(m->redacted), m->secret, m->secret_len))
		abort();
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sc_secrets_engine *engine;
	static struct sc_secrets_scanner *scanner;
	if (!engine) {
		struct sc_error err = {0};
		if (sc_secrets_engine_new(&engine, &err) != SC_OK || sc_secrets_scanner_new(engine, &scanner, &err) != SC_OK)
			abort();
	}
	if (!size)
		return 0;
	const char *name = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	struct bounds b = {data + 1, data + size};
	struct sc_error err = {0};
	sc_secrets_scan_buffer(scanner, name, data + 1, size - 1, 0, false, check, &b, &err);
	sc_error_clear(&err);
	sc_secrets_scan_raw(scanner, name, data + 1, size - 1, 2, true, check, &b, &err);
	sc_error_clear(&err);
	return 0;
}
