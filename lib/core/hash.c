/* hash.c - SHA-1 and SHA-256 as lowercase hex, through OpenSSL's libcrypto. Its low-level
 * SHA256_Init/Update/Final are used rather than EVP_Digest() or SHA256(), which fetch the algorithm
 * from a provider on every call (~15k instructions each, ~5M for the first one: a scan of one
 * Dockerfile spent a sixth of its CPU there). They are deprecated in OpenSSL 3 but not removed. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "shipcheck/sc_core.h"

#include <openssl/sha.h>

static void hex(const unsigned char *md, unsigned n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

void sc_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256_CTX c;
	SHA256_Init(&c);
	SHA256_Update(&c, data, n);
	SHA256_Final(md, &c);
	hex(md, SHA256_DIGEST_LENGTH, out);
}

void sc_sha1_hex(const void *data, size_t n, char out[41])
{
	unsigned char md[SHA_DIGEST_LENGTH];
	SHA_CTX c;
	SHA1_Init(&c);
	SHA1_Update(&c, data, n);
	SHA1_Final(md, &c);
	hex(md, SHA_DIGEST_LENGTH, out);
}
