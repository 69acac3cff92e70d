/* hash.c - SHA-1 and SHA-256 as lowercase hex, through OpenSSL's libcrypto. */
#include "shipcheck/sc_core.h"

#include <openssl/evp.h>

static void hex(const unsigned char *md, unsigned n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

static void digest(const EVP_MD *type, const void *data, size_t n, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (!EVP_Digest(data, n, md, &mdlen, type, NULL)) {
		fprintf(stderr, "shipcheck: libcrypto digest failed\n");
		abort();
	}
	hex(md, mdlen, out);
}

void sc_sha256_hex(const void *data, size_t n, char out[65])
{
	digest(EVP_sha256(), data, n, out);
}

void sc_sha1_hex(const void *data, size_t n, char out[41])
{
	digest(EVP_sha1(), data, n, out);
}
