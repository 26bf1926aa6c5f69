/* hash.h - fast hashing that mixes every input byte.
 *
 * Flow keys from benchmark captures share long prefixes (all servers in one
 * /15, all clients in 10/8), so a hash of leading bytes collapses. These
 * mix the whole input through a 64-bit multiply-xorshift.
 */
#ifndef WT_BASE_HASH_H
#define WT_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t hash_mix64(uint64_t x)
{
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 32;
	return x;
}

/* Hash of n bytes; n need not be a multiple of 8. */
static inline uint64_t hash_bytes(const void *data, size_t n, uint64_t seed)
{
	const uint8_t *p = (const uint8_t *)data;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = hash_mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, p, n);
		h = hash_mix64(h ^ w ^ ((uint64_t)n << 56));
	}
	return hash_mix64(h);
}

#endif
