/* quic_keys.c - QUIC version table and Initial packet protection
 * (RFC 9001 §5.2 Initial secrets, §5.3 AEAD usage, §5.4 header
 * protection; RFC 9369 §3.3 v2 salt and labels; RFC 9000 §A.3 packet
 * number decoding). The only file of the project that includes OpenSSL.
 *
 *   initial_secret = HKDF-Extract(salt, client_dcid)
 *   {client,server}_secret = HKDF-Expand-Label(initial_secret, "client in" | "server in")
 *   key/iv/hp = HKDF-Expand-Label(secret, "quic key" | "quic iv" | "quic hp")
 */
#include "dissect/quic_keys.h"

#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>

#include "base/macros.h"

/* ---- versions ---------------------------------------------------------- */

struct quic_version_row {
	uint32_t lo, hi;
	uint8_t wire, salt, draft;
	bool gquic;
};

/* draft 0 in an 0xff0000NN row means "the low byte" */
static const struct quic_version_row quic_versions[] = {
	{ 0x00000001, 0x00000001, QUIC_WIRE_IETF, QUIC_SALT_V1, 0, false },
	{ 0x6b3343cf, 0x6b3343cf, QUIC_WIRE_V2, QUIC_SALT_V2, 0, false },
	{ 0xff000016, 0xff000016, QUIC_WIRE_IETF, QUIC_SALT_D22, 0, false },
	{ 0xff000017, 0xff00001c, QUIC_WIRE_IETF, QUIC_SALT_D23, 0, false },
	{ 0xff00001d, 0xff000020, QUIC_WIRE_IETF, QUIC_SALT_D29, 0, false },
	{ 0xff000021, 0xff000022, QUIC_WIRE_IETF, QUIC_SALT_V1, 0, false },
	/* mvfst: faceb001 follows draft 22, faceb002/faceb00e draft 27 */
	{ 0xfaceb001, 0xfaceb001, QUIC_WIRE_IETF, QUIC_SALT_D22, 22, false },
	{ 0xfaceb002, 0xfaceb002, QUIC_WIRE_IETF, QUIC_SALT_D23, 27, false },
	{ 0xfaceb00e, 0xfaceb00e, QUIC_WIRE_IETF, QUIC_SALT_D23, 27, false },
	/* Google: Q050 carries QUIC crypto, T050/T051 TLS, in protected Initials */
	{ 0x51303530, 0x51303530, QUIC_WIRE_IETF, QUIC_SALT_Q050, 27, true },
	{ 0x54303530, 0x54303530, QUIC_WIRE_IETF, QUIC_SALT_T050, 27, true },
	{ 0x54303531, 0x54303531, QUIC_WIRE_IETF, QUIC_SALT_T051, 27, true },
};

static bool quic_is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* "Qnnn": the Google versions that predate Q050 */
static bool quic_gquic_legacy(uint32_t v, struct quic_version *out)
{
	if ((v >> 24) != 'Q' || !quic_is_digit((v >> 16) & 0xff) || !quic_is_digit((v >> 8) & 0xff) ||
	    !quic_is_digit(v & 0xff))
		return false;
	unsigned n = ((v >> 16) & 0xff) * 100u + ((v >> 8) & 0xff) * 10u + (v & 0xff) - '0' * 111u;
	if (n >= 50)
		return false;
	out->wire = n >= 44 ? QUIC_WIRE_GQUIC_LH : QUIC_WIRE_GQUIC_PH;
	out->salt = QUIC_SALT_NONE;
	out->draft = 0;
	out->gquic = true;
	return true;
}

bool quic_version_lookup(uint32_t version, struct quic_version *out)
{
	for (size_t i = 0; i < ARRAY_LEN(quic_versions); i++) {
		const struct quic_version_row *r = &quic_versions[i];
		if (version < r->lo || version > r->hi)
			continue;
		out->wire = r->wire;
		out->salt = r->salt;
		out->draft = r->draft ? r->draft : (version >> 8) == 0xff0000 ? (uint8_t)version : 0;
		out->gquic = r->gquic;
		return true;
	}
	return quic_gquic_legacy(version, out);
}

/* ---- key derivation ---------------------------------------------------- */

static const uint8_t quic_salts[QUIC_SALT_COUNT][20] = {
	[QUIC_SALT_D22] = { 0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
			    0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a },
	[QUIC_SALT_D23] = { 0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
			    0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02 },
	[QUIC_SALT_D29] = { 0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
			    0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99 },
	[QUIC_SALT_V1] = { 0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
			   0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a },
	[QUIC_SALT_V2] = { 0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
			   0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9 },
	[QUIC_SALT_Q050] = { 0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94,
			     0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45 },
	[QUIC_SALT_T050] = { 0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80,
			     0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10 },
	[QUIC_SALT_T051] = { 0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50,
			     0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d },
};

/* ---- algorithms ------------------------------------------------------- */

/* The algorithms, fetched once per process. Handing EVP_sha256() or
 * EVP_aes_128_gcm() to an init function makes OpenSSL 3 look the name up
 * in its method store, under a lock, on every call: some 40% of the cost
 * of opening an Initial packet, plus lock traffic between the workers.
 * Fetched EVP_MD and EVP_CIPHER objects are immutable and safe to share
 * between threads; this table is written once, under pthread_once, and
 * only read after that, so it is constant data, not mutable state. It
 * lives until the process exits. Contexts (EVP_*_CTX), which are mutable,
 * stay per call; the digest contexts here are set up once and from then
 * on only copied from, and EVP_MD_CTX_copy_ex only reads its source. */

/* An HMAC-SHA256 key (RFC 2104) of at most one block, as the inner and
 * outer hashes after their first block: key ^ ipad, key ^ opad. */
struct quic_hmac_pads {
	EVP_MD_CTX *inner;
	EVP_MD_CTX *outer;
};

struct quic_algs {
	EVP_MD *sha256;  /* non-NULL only with all the contexts below */
	EVP_CIPHER *gcm; /* AES-128-GCM: payload protection */
	EVP_CIPHER *ecb; /* AES-128-ECB: header protection */
	/* SHA-256 initialised, nothing absorbed: in OpenSSL 3.0 copying it is
	 * cheaper than EVP_DigestInit_ex, which frees and allocates the state */
	EVP_MD_CTX *sha256_empty;
	struct quic_hmac_pads salt[QUIC_SALT_COUNT]; /* HKDF-Extract keys */
};

static struct quic_algs *quic_algs_slot(void)
{
	static struct quic_algs algs;
	return &algs;
}

static bool quic_pads_new(struct quic_hmac_pads *p)
{
	p->inner = EVP_MD_CTX_new();
	p->outer = EVP_MD_CTX_new();
	return p->inner && p->outer;
}

static void quic_pads_free(struct quic_hmac_pads *p)
{
	EVP_MD_CTX_free(p->inner);
	EVP_MD_CTX_free(p->outer);
	p->inner = p->outer = NULL;
}

static bool quic_pads_set(const struct quic_hmac_pads *p, const EVP_MD_CTX *empty,
			  const uint8_t *key, size_t klen)
{
	uint8_t ipad[64], opad[64];
	if (klen > sizeof ipad)
		return false;
	memset(ipad, 0x36, sizeof ipad);
	memset(opad, 0x5c, sizeof opad);
	for (size_t i = 0; i < klen; i++) {
		ipad[i] ^= key[i];
		opad[i] ^= key[i];
	}
	return EVP_MD_CTX_copy_ex(p->inner, empty) == 1 &&
	       EVP_DigestUpdate(p->inner, ipad, sizeof ipad) == 1 &&
	       EVP_MD_CTX_copy_ex(p->outer, empty) == 1 &&
	       EVP_DigestUpdate(p->outer, opad, sizeof opad) == 1;
}

/* The salts are constant, and so is the first block of each hash of an
 * HKDF-Extract. */
static bool quic_kdf_setup(struct quic_algs *a)
{
	a->sha256_empty = EVP_MD_CTX_new();
	if (!a->sha256_empty || EVP_DigestInit_ex(a->sha256_empty, a->sha256, NULL) != 1)
		return false;
	for (int s = QUIC_SALT_NONE + 1; s < QUIC_SALT_COUNT; s++)
		if (!quic_pads_new(&a->salt[s]) ||
		    !quic_pads_set(&a->salt[s], a->sha256_empty, quic_salts[s], sizeof quic_salts[s]))
			return false;
	return true;
}

static void quic_kdf_teardown(struct quic_algs *a)
{
	for (int s = 0; s < QUIC_SALT_COUNT; s++)
		quic_pads_free(&a->salt[s]);
	EVP_MD_CTX_free(a->sha256_empty);
	a->sha256_empty = NULL;
	EVP_MD_free(a->sha256);
	a->sha256 = NULL;
}

static void quic_algs_fetch(void)
{
	struct quic_algs *a = quic_algs_slot();
	a->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	a->gcm = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
	a->ecb = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	if (a->sha256 && !quic_kdf_setup(a))
		quic_kdf_teardown(a);
}

/* NULL members when this OpenSSL lacks an algorithm: callers then fail. */
static const struct quic_algs *quic_algs(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, quic_algs_fetch);
	return quic_algs_slot();
}

bool quic_keys_prepare(void)
{
	const struct quic_algs *a = quic_algs();
	return a->sha256 && a->gcm && a->ecb;
}

/* ---- HKDF -------------------------------------------------------------- */

/* HMAC-SHA256 by hand on the digest contexts of one derivation: OpenSSL's
 * one-shot HMAC(), EVP_Q_mac() and EVP_MAC all cost more than the hashing
 * itself at these sizes. Every key serves one HMAC or more, so its padded
 * block is absorbed once, into a quic_hmac_pads, and each HMAC resumes
 * from a copy of that state: one SHA-256 block less per hash, and in
 * OpenSSL 3.0 a copy costs less than EVP_DigestInit_ex. The price is
 * three digest contexts per derivation instead of one, and each context
 * takes and drops a reference on the shared EVP_MD (atomics that workers
 * contend on); measured with two threads it still pays. */
struct quic_kdf {
	const struct quic_algs *a;
	EVP_MD_CTX *work;
	struct quic_hmac_pads key; /* the secret being expanded */
};

static bool quic_kdf_open(struct quic_kdf *k)
{
	k->a = quic_algs();
	k->work = NULL;
	k->key.inner = k->key.outer = NULL;
	if (!k->a->sha256)
		return false;
	k->work = EVP_MD_CTX_new();
	return k->work && quic_pads_new(&k->key);
}

static void quic_kdf_close(struct quic_kdf *k)
{
	EVP_MD_CTX_free(k->work);
	quic_pads_free(&k->key);
}

/* HMAC(key, d). The last HMAC of a key finishes on its pads themselves,
 * sparing two copies: never `last` for the shared salt pads. */
static bool quic_hmac(const struct quic_kdf *k, const struct quic_hmac_pads *p, bool last,
		      const uint8_t *d, size_t n, uint8_t out[32])
{
	EVP_MD_CTX *in = last ? p->inner : k->work, *o = last ? p->outer : k->work;
	unsigned int len = 0;
	return (last || EVP_MD_CTX_copy_ex(k->work, p->inner) == 1) &&
	       EVP_DigestUpdate(in, d, n) == 1 && EVP_DigestFinal_ex(in, out, &len) == 1 &&
	       len == 32 && (last || EVP_MD_CTX_copy_ex(k->work, p->outer) == 1) &&
	       EVP_DigestUpdate(o, out, 32) == 1 && EVP_DigestFinal_ex(o, out, &len) == 1 &&
	       len == 32;
}

/* initial_secret = HKDF-Extract(salt, dcid) */
static bool quic_extract(const struct quic_kdf *k, enum quic_salt salt, const uint8_t *dcid,
			 size_t dcid_len, uint8_t prk[32])
{
	if (salt <= QUIC_SALT_NONE || salt >= QUIC_SALT_COUNT || dcid_len > QUIC_CID_MAX)
		return false;
	return quic_hmac(k, &k->a->salt[salt], false, dcid, dcid_len, prk);
}

struct quic_label {
	const char *name;
	uint8_t *out;
	size_t len;
};

/* HKDF-Expand-Label (RFC 8446 §7.1) of `secret` for each label, with an
 * empty context, outputs of at most one SHA-256 block: T(1) =
 * HMAC(secret, HkdfLabel || 0x01). */
static bool quic_expand(const struct quic_kdf *k, const uint8_t secret[32],
			const struct quic_label *labels, size_t count)
{
	if (!quic_pads_set(&k->key, k->a->sha256_empty, secret, 32))
		return false;
	for (size_t i = 0; i < count; i++) {
		const struct quic_label *l = &labels[i];
		uint8_t info[2 + 1 + 6 + 32 + 1 + 1], block[32];
		size_t llen = strlen(l->name), n = 0;
		if (l->len > 32 || llen > 32 - 6)
			return false;
		info[n++] = 0;
		info[n++] = (uint8_t)l->len;
		info[n++] = (uint8_t)(6 + llen);
		memcpy(info + n, "tls13 ", 6);
		n += 6;
		memcpy(info + n, l->name, llen);
		n += llen;
		info[n++] = 0; /* context length */
		info[n++] = 1; /* block counter */
		if (!quic_hmac(k, &k->key, i + 1 == count, info, n, block))
			return false;
		memcpy(l->out, block, l->len);
	}
	return true;
}

/* key, iv, hp labels: RFC 9001 §5.1, RFC 9369 §3.3.2 for v2 */
static const char *const quic_key_labels[2][3] = {
	{ "quic key", "quic iv", "quic hp" },
	{ "quicv2 key", "quicv2 iv", "quicv2 hp" },
};

static bool quic_from_secret(const struct quic_kdf *k, enum quic_salt salt, const uint8_t secret[32],
			     struct quic_keys *out)
{
	const char *const *name = quic_key_labels[salt == QUIC_SALT_V2];
	const struct quic_label l[] = {
		{ name[0], out->key, sizeof out->key },
		{ name[1], out->iv, sizeof out->iv },
		{ name[2], out->hp, sizeof out->hp },
	};
	return quic_expand(k, secret, l, ARRAY_LEN(l));
}

static const char *quic_direction_label(bool server)
{
	return server ? "server in" : "client in";
}

bool quic_keys_initial_secret(enum quic_salt salt, const uint8_t *dcid, size_t dcid_len,
			      bool server, uint8_t secret[32])
{
	struct quic_kdf k;
	uint8_t prk[32];
	const struct quic_label l = { quic_direction_label(server), secret, 32 };
	bool ok = quic_kdf_open(&k) && quic_extract(&k, salt, dcid, dcid_len, prk) &&
		  quic_expand(&k, prk, &l, 1);
	quic_kdf_close(&k);
	return ok;
}

bool quic_keys_from_secret(enum quic_salt salt, const uint8_t secret[32], struct quic_keys *out)
{
	struct quic_kdf k;
	bool ok = quic_kdf_open(&k) && quic_from_secret(&k, salt, secret, out);
	quic_kdf_close(&k);
	return ok;
}

bool quic_keys_initial(enum quic_salt salt, const uint8_t *dcid, size_t dcid_len, bool server,
		       struct quic_keys *out)
{
	struct quic_kdf k;
	uint8_t prk[32], secret[32];
	const struct quic_label l = { quic_direction_label(server), secret, 32 };
	bool ok = quic_kdf_open(&k) && quic_extract(&k, salt, dcid, dcid_len, prk) &&
		  quic_expand(&k, prk, &l, 1) && quic_from_secret(&k, salt, secret, out);
	quic_kdf_close(&k);
	return ok;
}

bool quic_keys_initial_pair(enum quic_salt salt, const uint8_t *dcid, size_t dcid_len,
			    struct quic_keys out[2])
{
	struct quic_kdf k;
	uint8_t prk[32], secret[2][32];
	const struct quic_label l[] = {
		{ "client in", secret[0], 32 },
		{ "server in", secret[1], 32 },
	};
	bool ok = quic_kdf_open(&k) && quic_extract(&k, salt, dcid, dcid_len, prk) &&
		  quic_expand(&k, prk, l, 2) && quic_from_secret(&k, salt, secret[0], &out[0]) &&
		  quic_from_secret(&k, salt, secret[1], &out[1]);
	quic_kdf_close(&k);
	return ok;
}

/* ---- packet protection ------------------------------------------------- */

/* An open or a seal runs header protection and the AEAD in turn on one
 * cipher context of its own. NULL when an algorithm is missing. */
static EVP_CIPHER_CTX *quic_cipher_ctx(void)
{
	const struct quic_algs *a = quic_algs();
	return a->gcm && a->ecb ? EVP_CIPHER_CTX_new() : NULL;
}

/* mask = AES-ECB(hp, sample) (RFC 9001 §5.4.3). Padding is left on: it
 * only holds a block back when decrypting, and this is never finalised. */
static bool quic_hp_mask(EVP_CIPHER_CTX *c, const uint8_t hp[16], const uint8_t sample[16],
			 uint8_t mask[16])
{
	int n = 0;
	return EVP_EncryptInit_ex(c, quic_algs()->ecb, NULL, hp, NULL) == 1 &&
	       EVP_EncryptUpdate(c, mask, &n, sample, 16) == 1 && n == 16;
}

static void quic_nonce(const struct quic_keys *k, uint64_t pn, uint8_t nonce[12])
{
	memcpy(nonce, k->iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
}

/* AES-128-GCM over buf[ad_len .. ad_len + len) with buf[0 .. ad_len) as
 * associated data, in place; `tag` is read (open) or written (seal). */
static bool quic_gcm(EVP_CIPHER_CTX *c, const struct quic_keys *k, uint64_t pn, uint8_t *buf,
		     size_t ad_len, size_t len, uint8_t *tag, bool seal)
{
	uint8_t nonce[12];
	quic_nonce(k, pn, nonce);
	if (ad_len > INT32_MAX || len > INT32_MAX)
		return false;
	int n = 0;
	bool ok = EVP_CipherInit_ex(c, quic_algs()->gcm, NULL, k->key, nonce, seal) == 1 &&
		  EVP_CipherUpdate(c, NULL, &n, buf, (int)ad_len) == 1 &&
		  (len == 0 || EVP_CipherUpdate(c, buf + ad_len, &n, buf + ad_len, (int)len) == 1);
	if (ok && !seal)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, QUIC_TAG_LEN, tag) == 1;
	if (ok)
		ok = EVP_CipherFinal_ex(c, buf + ad_len + len, &n) == 1;
	if (ok && seal)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, QUIC_TAG_LEN, tag) == 1;
	return ok;
}

/* RFC 9000 §A.3 */
static uint64_t quic_pn_decode(int64_t largest, uint64_t truncated, unsigned bits)
{
	int64_t expected = largest + 1;
	int64_t win = (int64_t)1 << bits, hwin = win / 2;
	int64_t cand = (expected & ~(win - 1)) | (int64_t)truncated;
	if (cand <= expected - hwin && cand < ((int64_t)1 << 62) - win)
		return (uint64_t)(cand + win);
	if (cand > expected + hwin && cand >= win)
		return (uint64_t)(cand - win);
	return (uint64_t)cand;
}

static uint8_t quic_first_byte_mask(const uint8_t *buf)
{
	return (buf[0] & 0x80) ? 0x0f : 0x1f;
}

static bool quic_unprotect(EVP_CIPHER_CTX *c, const struct quic_keys *k, uint8_t *buf,
			   size_t pn_off, size_t end, int64_t largest_pn, struct quic_opened *out)
{
	uint8_t mask[16];
	if (!quic_hp_mask(c, k->hp, buf + pn_off + 4, mask))
		return false;
	buf[0] ^= mask[0] & quic_first_byte_mask(buf);
	size_t pn_len = (size_t)(buf[0] & 0x03) + 1;
	uint64_t truncated = 0;
	for (size_t i = 0; i < pn_len; i++) {
		buf[pn_off + i] ^= mask[1 + i];
		truncated = (truncated << 8) | buf[pn_off + i];
	}
	size_t hdr = pn_off + pn_len;
	if (end - hdr < QUIC_TAG_LEN)
		return false;
	size_t ct_len = end - hdr - QUIC_TAG_LEN;
	out->pn = quic_pn_decode(largest_pn < 0 ? -1 : largest_pn, truncated, (unsigned)(8 * pn_len));
	out->header_len = hdr;
	out->payload_len = ct_len;
	return quic_gcm(c, k, out->pn, buf, hdr, ct_len, buf + end - QUIC_TAG_LEN, false);
}

bool quic_packet_open(const struct quic_keys *k, uint8_t *buf, size_t pn_off, size_t end,
		      int64_t largest_pn, struct quic_opened *out)
{
	if (pn_off == 0 || end < pn_off || end - pn_off < 4 + 16)
		return false;
	EVP_CIPHER_CTX *c = quic_cipher_ctx();
	bool ok = c && quic_unprotect(c, k, buf, pn_off, end, largest_pn, out);
	EVP_CIPHER_CTX_free(c);
	return ok;
}

static bool quic_protect(EVP_CIPHER_CTX *c, const struct quic_keys *k, uint8_t *buf,
			 size_t pn_off, size_t end, uint64_t pn)
{
	size_t pn_len = (size_t)(buf[0] & 0x03) + 1;
	for (size_t i = 0; i < pn_len; i++)
		buf[pn_off + i] = (uint8_t)(pn >> (8 * (pn_len - 1 - i)));
	size_t hdr = pn_off + pn_len;
	uint8_t mask[16];
	if (!quic_gcm(c, k, pn, buf, hdr, end - hdr - QUIC_TAG_LEN, buf + end - QUIC_TAG_LEN, true) ||
	    !quic_hp_mask(c, k->hp, buf + pn_off + 4, mask))
		return false;
	buf[0] ^= mask[0] & quic_first_byte_mask(buf);
	for (size_t i = 0; i < pn_len; i++)
		buf[pn_off + i] ^= mask[1 + i];
	return true;
}

bool quic_packet_seal(const struct quic_keys *k, uint8_t *buf, size_t pn_off, size_t end,
		      uint64_t pn)
{
	size_t pn_len = (size_t)(buf[0] & 0x03) + 1;
	if (pn_off == 0 || end < pn_off || end - pn_off < 4 + 16 ||
	    end - pn_off < pn_len + QUIC_TAG_LEN)
		return false;
	EVP_CIPHER_CTX *c = quic_cipher_ctx();
	bool ok = c && quic_protect(c, k, buf, pn_off, end, pn);
	EVP_CIPHER_CTX_free(c);
	return ok;
}
