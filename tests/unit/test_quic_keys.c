/* Unit tests for src/dissect/quic_keys.c: QUIC Initial keys and packet
 * protection against the vectors of RFC 9001 Appendix A and RFC 9369
 * Appendix A, plus the version table. */
#include "check.h"

#include <pthread.h>
#include <stdlib.h>

#include "dissect/quic_keys.h"

/* ---- vectors (hex, as printed in the RFCs) ---- */

#include "rfc9001_vectors.h"

static const char rfc9001_server_initial[] =
	"cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a"
	"5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3"
	"dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84"
	"022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4"
	"2158407dd074ee";

static const char rfc9001_client_crypto[] =
	"060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
	"04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
	"616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
	"04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
	"baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
	"0d0010000e0403050306030203080408050806002d00020101001c0002400100"
	"3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
	"75300901100f088394c8f03e51570806048000ffff";

static const char rfc9369_client_initial[] =
	"d76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485"
	"dd04de806071bf03dceebfa162e75d6c96058bdbfb127cdfcbf903388e99ad04"
	"9f9a3dd4425ae4d0992cfff18ecf0fdb5a842d09747052f17ac2053d21f57c5d"
	"250f2c4f0e0202b70785b7946e992e58a59ac52dea6774d4f03b55545243cf1a"
	"12834e3f249a78d395e0d18f4d766004f1a2674802a747eaa901c3f10cda5500"
	"cb9122faa9f1df66c392079a1b40f0de1c6054196a11cbea40afb6ef5253cd68"
	"18f6625efce3b6def6ba7e4b37a40f7732e093daa7d52190935b8da58976ff33"
	"12ae50b187c1433c0f028edcc4c2838b6a9bfc226ca4b4530e7a4ccee1bfa2a3"
	"d396ae5a3fb512384b2fdd851f784a65e03f2c4fbe11a53c7777c023462239dd"
	"6f7521a3f6c7d5dd3ec9b3f233773d4b46d23cc375eb198c63301c21801f6520"
	"bcfb7966fc49b393f0061d974a2706df8c4a9449f11d7f3d2dcbb90c6b877045"
	"636e7c0c0fe4eb0f697545460c806910d2c355f1d253bc9d2452aaa549e27a1f"
	"ac7cf4ed77f322e8fa894b6a83810a34b361901751a6f5eb65a0326e07de7c12"
	"16ccce2d0193f958bb3850a833f7ae432b65bc5a53975c155aa4bcb4f7b2c4e5"
	"4df16efaf6ddea94e2c50b4cd1dfe06017e0e9d02900cffe1935e0491d77ffb4"
	"fdf85290fdd893d577b1131a610ef6a5c32b2ee0293617a37cbb08b847741c3b"
	"8017c25ca9052ca1079d8b78aebd47876d330a30f6a8c6d61dd1ab5589329de7"
	"14d19d61370f8149748c72f132f0fc99f34d766c6938597040d8f9e2bb522ff9"
	"9c63a344d6a2ae8aa8e51b7b90a4a806105fcbca31506c446151adfeceb51b91"
	"abfe43960977c87471cf9ad4074d30e10d6a7f03c63bd5d4317f68ff325ba3bd"
	"80bf4dc8b52a0ba031758022eb025cdd770b44d6d6cf0670f4e990b22347a7db"
	"848265e3e5eb72dfe8299ad7481a408322cac55786e52f633b2fb6b614eaed18"
	"d703dd84045a274ae8bfa73379661388d6991fe39b0d93debb41700b41f90a15"
	"c4d526250235ddcd6776fc77bc97e7a417ebcb31600d01e57f32162a8560cacc"
	"7e27a096d37a1a86952ec71bd89a3e9a30a2a26162984d7740f81193e8238e61"
	"f6b5b984d4d3dfa033c1bb7e4f0037febf406d91c0dccf32acf423cfa1e70710"
	"10d3f270121b493ce85054ef58bada42310138fe081adb04e2bd901f2f13458b"
	"3d6758158197107c14ebb193230cd1157380aa79cae1374a7c1e5bbcb80ee23e"
	"06ebfde206bfb0fcbc0edc4ebec309661bdd908d532eb0c6adc38b7ca7331dce"
	"8dfce39ab71e7c32d318d136b6100671a1ae6a6600e3899f31f0eed19e3417d1"
	"34b90c9058f8632c798d4490da4987307cba922d61c39805d072b589bd52fdf1"
	"e86215c2d54e6670e07383a27bbffb5addf47d66aa85a0c6f9f32e59d85a44dd"
	"5d3b22dc2be80919b490437ae4f36a0ae55edf1d0b5cb4e9a3ecabee93dfc6e3"
	"8d209d0fa6536d27a5d6fbb17641cde27525d61093f1b28072d111b2b4ae5f89"
	"d5974ee12e5cf7d5da4d6a31123041f33e61407e76cffcdcfd7e19ba58cf4b53"
	"6f4c4938ae79324dc402894b44faf8afbab35282ab659d13c93f70412e85cb19"
	"9a37ddec600545473cfb5a05e08d0b209973b2172b4d21fb69745a262ccde96b"
	"a18b2faa745b6fe189cf772a9f84cbfc";

static const char rfc9369_server_initial[] =
	"dc6b3343cf0008f067a5502a4262b5004075d92faaf16f05d8a4398c47089698"
	"baeea26b91eb761d9b89237bbf87263017915358230035f7fd3945d88965cf17"
	"f9af6e16886c61bfc703106fbaf3cb4cfa52382dd16a393e42757507698075b2"
	"c984c707f0a0812d8cd5a6881eaf21ceda98f4bd23f6fe1a3e2c43edd9ce7ca8"
	"4bed8521e2e140";

static const uint8_t rfc_dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };

static void check_hex(const uint8_t *got, const char *want_hex, size_t n)
{
	uint8_t want[64];
	CHECK_INT(check_unhex(want_hex, want, sizeof want), n);
	CHECK_MEM(got, want, n);
}

/* RFC 9001 A.1 */
static void test_v1_initial_keys(void)
{
	uint8_t secret[32];
	struct quic_keys k;
	CHECK(quic_keys_initial_secret(QUIC_SALT_V1, rfc_dcid, 8, false, secret));
	check_hex(secret, "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea", 32);
	CHECK(quic_keys_from_secret(QUIC_SALT_V1, secret, &k));
	check_hex(k.key, "1f369613dd76d5467730efcbe3b1a22d", 16);
	check_hex(k.iv, "fa044b2f42a3fd3b46fb255c", 12);
	check_hex(k.hp, "9f50449e04a0e810283a1e9933adedd2", 16);

	CHECK(quic_keys_initial_secret(QUIC_SALT_V1, rfc_dcid, 8, true, secret));
	check_hex(secret, "3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b", 32);
	CHECK(quic_keys_initial(QUIC_SALT_V1, rfc_dcid, 8, true, &k));
	check_hex(k.key, "cf3a5331653c364c88f0f379b6067e37", 16);
	check_hex(k.iv, "0ac1493ca1905853b0bba03e", 12);
	check_hex(k.hp, "c206b8d9b9f0f37644430b490eeaa314", 16);

	struct quic_keys pair[2], one;
	CHECK(quic_keys_initial_pair(QUIC_SALT_V1, rfc_dcid, 8, pair));
	CHECK(quic_keys_initial(QUIC_SALT_V1, rfc_dcid, 8, false, &one));
	CHECK_MEM(&pair[0], &one, sizeof one);
	CHECK_MEM(&pair[1], &k, sizeof k);

	CHECK(!quic_keys_initial(QUIC_SALT_NONE, rfc_dcid, 8, false, &k));
	CHECK(!quic_keys_initial(QUIC_SALT_V1, rfc_dcid, QUIC_CID_MAX + 1, false, &k));
}

/* RFC 9369 A.1 */
static void test_v2_initial_keys(void)
{
	uint8_t secret[32];
	struct quic_keys k;
	CHECK(quic_keys_initial_secret(QUIC_SALT_V2, rfc_dcid, 8, false, secret));
	check_hex(secret, "14ec9d6eb9fd7af83bf5a668bc17a7e283766aade7ecd0891f70f9ff7f4bf47b", 32);
	CHECK(quic_keys_from_secret(QUIC_SALT_V2, secret, &k));
	check_hex(k.key, "8b1a0bc121284290a29e0971b5cd045d", 16);
	check_hex(k.iv, "91f73e2351d8fa91660e909f", 12);
	check_hex(k.hp, "45b95e15235d6f45a6b19cbcb0294ba9", 16);

	CHECK(quic_keys_initial(QUIC_SALT_V2, rfc_dcid, 8, true, &k));
	check_hex(k.key, "82db637861d55e1d011f19ea71d5d2a7", 16);
	check_hex(k.iv, "dd13c276499c0249d3310652", 12);
	check_hex(k.hp, "edf6d05c83121201b436e16877593c3a", 16);
}

/* HKDF-Extract with every salt: client_initial_secret and the server's
 * hp key for the RFC DCID. Drafts 23-28 and 29-32 as printed in their
 * Appendix A.1; draft 22 and the Google salts from an independent
 * HKDF-SHA256 (Python's hmac module). */
static const struct {
	enum quic_salt salt;
	const char *client_secret;
	const char *server_hp;
} salt_vectors[] = {
	{ QUIC_SALT_D22, "7712ead935b044cb18e993a6f7a8c71119d2439ffdd3b6151ad7f9d9e77e2fb9",
	  "1b48962e85049d8aa09f6f7823c0baba" },
	{ QUIC_SALT_D23, "fda3953aecc040e48b34e27ef87de3a6098ecf0e38b7e032c5c57bcbd5975b84",
	  "a8ed82e6664f865aedf6106943f95fb8" },
	{ QUIC_SALT_D29, "0088119288f1d866733ceeed15ff9d50902cf82952eee27e9d4d4918ea371d87",
	  "c0c499a65a60024a18a250974ea01dfa" },
	{ QUIC_SALT_V1, "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea",
	  "c206b8d9b9f0f37644430b490eeaa314" },
	{ QUIC_SALT_V2, "14ec9d6eb9fd7af83bf5a668bc17a7e283766aade7ecd0891f70f9ff7f4bf47b",
	  "edf6d05c83121201b436e16877593c3a" },
	{ QUIC_SALT_Q050, "9c7b7b82f02ff139526af4933acf97f4740bc4fec7b3cbb75b9d835c24c91a96",
	  "c794c0c0db506d8ea04fb964d7b88707" },
	{ QUIC_SALT_T050, "b745345ec65af29545427bdfc3eb24291d67b9597f7df52e9c1fdb94b33ef513",
	  "71aa611b36947b7c99785ce0713c8262" },
	{ QUIC_SALT_T051, "7949613b1294da901b3e284fd0800ab300a4581d0ec861e7b0c7fde2bbe74916",
	  "f96ebc6eb8440cbfa890074649eb3788" },
};

static void test_every_salt(void)
{
	size_t rows = sizeof salt_vectors / sizeof salt_vectors[0];
	CHECK_INT(rows, QUIC_SALT_COUNT - 1);
	for (size_t i = 0; i < rows; i++) {
		uint8_t secret[32];
		struct quic_keys pair[2];
		CHECK(quic_keys_initial_secret(salt_vectors[i].salt, rfc_dcid, 8, false, secret));
		check_hex(secret, salt_vectors[i].client_secret, 32);
		CHECK(quic_keys_initial_pair(salt_vectors[i].salt, rfc_dcid, 8, pair));
		check_hex(pair[1].hp, salt_vectors[i].server_hp, 16);
	}
}

/* draft-ietf-quic-tls-29 A.1: the client's keys */
static void test_draft29_client_keys(void)
{
	struct quic_keys k;
	CHECK(quic_keys_initial(QUIC_SALT_D29, rfc_dcid, 8, false, &k));
	check_hex(k.key, "175257a31eb09dea9366d8bb79ad80ba", 16);
	check_hex(k.iv, "6b26114b9cba2b63a9e8dd4f", 12);
	check_hex(k.hp, "9ddd12c994c0698b89374a9c077a3077", 16);
}

/* An empty DCID and the longest (RFC 9000 §17.2: 0-20 bytes), one more
 * failing; expected secrets from the same independent HKDF-SHA256. */
static void test_dcid_lengths(void)
{
	static const uint8_t long_dcid[QUIC_CID_MAX + 1] = { 1, 2, 3 };
	uint8_t secret[32];
	CHECK(quic_keys_initial_secret(QUIC_SALT_V1, long_dcid, 0, false, secret));
	check_hex(secret, "594cb3b06a53f6d6e1c3af415ec6b91a5b97c13c4f38d3008cd4c50c224a8288", 32);
	CHECK(quic_keys_initial_secret(QUIC_SALT_V1, long_dcid, QUIC_CID_MAX, false, secret));
	check_hex(secret, "291f0f8517590b13fdac77e808267a65f0d8bc7eb92a9dd7059729bc6312f889", 32);
	CHECK(!quic_keys_initial_secret(QUIC_SALT_V1, long_dcid, QUIC_CID_MAX + 1, false, secret));
}

/* Client Initial (A.2 of both RFCs): 18 header bytes before the 4-byte
 * packet number 2, 1182 bytes of length, a CRYPTO frame then PADDING. */
static void check_client_initial(enum quic_salt salt, const char *hex, uint8_t first_byte)
{
	uint8_t pkt[1200], crypto[245];
	CHECK_INT(check_unhex(hex, pkt, sizeof pkt), 1200);
	CHECK_INT(check_unhex(rfc9001_client_crypto, crypto, sizeof crypto), 245);
	struct quic_keys k;
	struct quic_opened o;
	CHECK(quic_keys_initial(salt, rfc_dcid, 8, false, &k));
	CHECK(quic_packet_open(&k, pkt, 18, 1200, -1, &o));
	CHECK_INT(pkt[0], first_byte);
	CHECK_INT(o.pn, 2);
	CHECK_INT(o.header_len, 22);
	CHECK_INT(o.payload_len, 1162);
	CHECK_MEM(pkt + 22, crypto, sizeof crypto);
	size_t nonzero = 0;
	for (size_t i = 22 + sizeof crypto; i < 22 + o.payload_len; i++)
		nonzero += pkt[i] != 0;
	CHECK_INT(nonzero, 0);
}

static void test_v1_client_initial_opens(void)
{
	check_client_initial(QUIC_SALT_V1, rfc9001_client_initial, 0xc3);
}

static void test_v2_client_initial_opens(void)
{
	check_client_initial(QUIC_SALT_V2, rfc9369_client_initial, 0xd3);
}

/* Server Initial (A.3): no DCID, 8-byte SCID, 2-byte packet number 1. */
static void check_server_initial(enum quic_salt salt, const char *hex, uint8_t first_byte)
{
	static const char payload_hex[] =
		"02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
		"88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
		"0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
		"020304";
	uint8_t pkt[135], payload[99];
	CHECK_INT(check_unhex(hex, pkt, sizeof pkt), 135);
	CHECK_INT(check_unhex(payload_hex, payload, sizeof payload), 99);
	struct quic_keys k;
	struct quic_opened o;
	CHECK(quic_keys_initial(salt, rfc_dcid, 8, true, &k));
	CHECK(quic_packet_open(&k, pkt, 18, 135, -1, &o));
	CHECK_INT(pkt[0], first_byte);
	CHECK_INT(o.pn, 1);
	CHECK_INT(o.payload_len, 99);
	CHECK_MEM(pkt + o.header_len, payload, 99);
}

static void test_v1_server_initial_opens(void)
{
	check_server_initial(QUIC_SALT_V1, rfc9001_server_initial, 0xc1);
}

static void test_v2_server_initial_opens(void)
{
	check_server_initial(QUIC_SALT_V2, rfc9369_server_initial, 0xd1);
}

/* Sealing the A.2 plaintext reproduces the protected packet byte for byte. */
static void test_seal_reproduces_rfc_packet(void)
{
	uint8_t want[1200], pkt[1200] = { 0 };
	CHECK_INT(check_unhex(rfc9001_client_initial, want, sizeof want), 1200);
	CHECK_INT(check_unhex("c300000001088394c8f03e5157080000449e00000002", pkt, 22), 22);
	CHECK_INT(check_unhex(rfc9001_client_crypto, pkt + 22, 245), 245);
	struct quic_keys k;
	CHECK(quic_keys_initial(QUIC_SALT_V1, rfc_dcid, 8, false, &k));
	CHECK(quic_packet_seal(&k, pkt, 18, 1200, 2));
	CHECK_MEM(pkt, want, sizeof want);
}

static void test_tampered_packet_fails(void)
{
	uint8_t pkt[1200];
	check_unhex(rfc9001_client_initial, pkt, sizeof pkt);
	pkt[600] ^= 1;
	struct quic_keys k;
	struct quic_opened o;
	CHECK(quic_keys_initial(QUIC_SALT_V1, rfc_dcid, 8, false, &k));
	CHECK(!quic_packet_open(&k, pkt, 18, 1200, -1, &o));
	/* wrong direction's keys */
	check_unhex(rfc9001_client_initial, pkt, sizeof pkt);
	CHECK(quic_keys_initial(QUIC_SALT_V1, rfc_dcid, 8, true, &k));
	CHECK(!quic_packet_open(&k, pkt, 18, 1200, -1, &o));
	/* too short to hold a sample */
	check_unhex(rfc9001_client_initial, pkt, sizeof pkt);
	CHECK(!quic_packet_open(&k, pkt, 18, 18 + 19, -1, &o));
}

/* RFC 9000 A.3: largest 0xa82f30ea, 16-bit 0x9b32 decodes to 0xa82f9b32;
 * the nonce depends on the full number, so opening checks the decoding. */
static void test_packet_number_decoding(void)
{
	uint8_t pkt[64] = { 0x41, 0xaa, 0xbb }; /* short header, 2-byte pn */
	for (size_t i = 5; i < 40; i++)
		pkt[i] = (uint8_t)i;
	struct quic_keys k;
	struct quic_opened o;
	CHECK(quic_keys_initial(QUIC_SALT_V1, rfc_dcid, 8, false, &k));
	CHECK(quic_packet_seal(&k, pkt, 3, 56, 0xa82f9b32));
	CHECK(quic_packet_open(&k, pkt, 3, 56, 0xa82f30ea, &o));
	CHECK_INT(o.pn, 0xa82f9b32);
	CHECK_INT(pkt[0], 0x41);
	CHECK_INT(o.payload_len, 56 - 5 - QUIC_TAG_LEN);
	CHECK_INT(pkt[5], 5);
	CHECK_INT(pkt[39], 39);
}

/* Threads deriving keys, opening and sealing at once, from the first call
 * on (the algorithms are fetched once, by whichever thread comes first,
 * and shared): every result is right. */
#define KEYS_THREADS 4
#define KEYS_ROUNDS 40

struct keys_job {
	const uint8_t *wire;   /* RFC 9001 A.2, protected */
	const uint8_t *opened; /* the same opened: header and plaintext, no tag */
	int good;
};

static void *keys_worker(void *arg)
{
	struct keys_job *job = arg;
	uint8_t pkt[1200];
	for (int i = 0; i < KEYS_ROUNDS; i++) {
		struct quic_keys k[2];
		struct quic_opened o;
		memcpy(pkt, job->wire, sizeof pkt);
		if (quic_keys_initial_pair(QUIC_SALT_V1, rfc_dcid, 8, k) &&
		    quic_packet_open(&k[0], pkt, 18, sizeof pkt, -1, &o) && o.pn == 2 &&
		    memcmp(pkt, job->opened, sizeof pkt - QUIC_TAG_LEN) == 0 &&
		    quic_packet_seal(&k[0], pkt, 18, sizeof pkt, 2) &&
		    memcmp(pkt, job->wire, sizeof pkt) == 0 &&
		    !quic_packet_open(&k[1], pkt, 18, sizeof pkt, -1, &o))
			job->good++;
	}
	return NULL;
}

static void test_concurrent_use(void)
{
	static uint8_t wire[1200], opened[1200];
	static struct keys_job jobs[KEYS_THREADS];
	pthread_t t[KEYS_THREADS];
	CHECK_INT(check_unhex(rfc9001_client_initial, wire, sizeof wire), 1200);
	/* built without OpenSSL: the header with its packet number in the
	 * clear, the CRYPTO frame, zero PADDING */
	check_unhex("c300000001088394c8f03e5157080000449e00000002", opened, 22);
	check_unhex(rfc9001_client_crypto, opened + 22, 245);
	for (int i = 0; i < KEYS_THREADS; i++) {
		jobs[i] = (struct keys_job){ wire, opened, 0 };
		CHECK_INT(pthread_create(&t[i], NULL, keys_worker, &jobs[i]), 0);
	}
	for (int i = 0; i < KEYS_THREADS; i++) {
		pthread_join(t[i], NULL);
		CHECK_INT(jobs[i].good, KEYS_ROUNDS);
	}
}

static void test_version_table(void)
{
	struct quic_version v;
	CHECK(quic_version_lookup(0x00000001, &v));
	CHECK_INT(v.wire, QUIC_WIRE_IETF);
	CHECK_INT(v.salt, QUIC_SALT_V1);
	CHECK(!v.gquic);
	CHECK(quic_version_lookup(0x6b3343cf, &v));
	CHECK_INT(v.wire, QUIC_WIRE_V2);
	CHECK_INT(v.salt, QUIC_SALT_V2);
	CHECK(quic_version_lookup(0xff00001b, &v));
	CHECK_INT(v.salt, QUIC_SALT_D23);
	CHECK_INT(v.draft, 27);
	CHECK(quic_version_lookup(0xff00001d, &v));
	CHECK_INT(v.salt, QUIC_SALT_D29);
	CHECK_INT(v.draft, 29);
	CHECK(quic_version_lookup(0xff000022, &v));
	CHECK_INT(v.salt, QUIC_SALT_V1);
	CHECK_INT(v.draft, 34);
	CHECK(quic_version_lookup(0xfaceb002, &v));
	CHECK_INT(v.salt, QUIC_SALT_D23);
	CHECK(quic_version_lookup(0x51303436, &v)); /* Q046 */
	CHECK_INT(v.wire, QUIC_WIRE_GQUIC_LH);
	CHECK_INT(v.salt, QUIC_SALT_NONE);
	CHECK(v.gquic);
	CHECK(quic_version_lookup(0x51303433, &v)); /* Q043 */
	CHECK_INT(v.wire, QUIC_WIRE_GQUIC_PH);
	CHECK(quic_version_lookup(0x51303530, &v)); /* Q050 */
	CHECK_INT(v.salt, QUIC_SALT_Q050);
	CHECK(v.gquic);
	CHECK(!quic_version_lookup(0, &v));
	CHECK(!quic_version_lookup(0x12345678, &v));
	CHECK(!quic_version_lookup(0x5130413a, &v)); /* "Q0A:" */
	CHECK(!quic_version_lookup(0xff000023, &v));
}

int main(void)
{
	RUN(test_concurrent_use); /* first: the threads race to the first use */
	RUN(test_v1_initial_keys);
	RUN(test_v2_initial_keys);
	RUN(test_every_salt);
	RUN(test_draft29_client_keys);
	RUN(test_dcid_lengths);
	RUN(test_v1_client_initial_opens);
	RUN(test_v2_client_initial_opens);
	RUN(test_v1_server_initial_opens);
	RUN(test_v2_server_initial_opens);
	RUN(test_seal_reproduces_rfc_packet);
	RUN(test_tampered_packet_fails);
	RUN(test_packet_number_decoding);
	RUN(test_version_table);
	return check_summary("test_quic_keys");
}
