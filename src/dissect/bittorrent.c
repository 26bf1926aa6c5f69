/* bittorrent.c - the BitTorrent peer wire handshake (BEP 3) and the
 * Mainline DHT's KRPC messages over UDP (BEP 5).
 *
 *   handshake: 19 "BitTorrent protocol" | reserved(8) | info_hash(20) |
 *              peer_id(20)
 *   KRPC:      a bencoded dictionary: "t" transaction id, "y" type ("q"
 *              query, "r" response, "e" error), for a query "q" its method
 *              and "a" its arguments ("id", and "info_hash" for get_peers
 *              and announce_peer)
 *
 * The handshake's first 20 bytes, and a dictionary that bencodes cleanly
 * with a one-letter "y", are the signatures (on any port). Kept: the
 * info_hash in hex, each side's client as its Azureus-style peer id
 * names it (BEP 20: "-qB4250-..." is qBittorrent 4250), and every DHT
 * method queried.
 */
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"
#include "dissect/dissector.h"

#define BT_PREFIX "\x13" "BitTorrent protocol"
#define BT_PREFIX_LEN 20
#define BT_HANDSHAKE 68
#define BT_MAX_CALLS 16
#define BENCODE_DEPTH 8

struct bt_state {
	uint8_t calls;
	bool side_done[2];
};

/* BEP 20's two-letter client codes (the common ones). */
static const struct { char code[3]; const char *name; } bt_clients[] = {
	{ "AZ", "Vuze" }, { "BC", "BitComet" }, { "BT", "BitTorrent" }, { "DE", "Deluge" },
	{ "FD", "Free Download Manager" }, { "KT", "KTorrent" }, { "LT", "libtorrent" },
	{ "lt", "libTorrent" }, { "qB", "qBittorrent" }, { "TR", "Transmission" },
	{ "UM", "uTorrent Mac" }, { "UT", "uTorrent" }, { "WW", "WebTorrent" }, { "XL", "Xunlei" },
};

static void hex_of(char *out, const uint8_t *b, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
}

static void bt_info_hash(struct flow_meta *m, const uint8_t *h)
{
	char text[40];
	hex_of(text, h, 20);
	meta_set_str(m, META_BT_INFO_HASH, (const uint8_t *)text, sizeof text);
}

/* "-XXvvvv-": the client's name (or its code) and its four version characters. */
static void bt_client(struct flow_meta *m, const uint8_t *peer_id)
{
	if (peer_id[0] != '-' || peer_id[7] != '-')
		return;
	char text[48];
	const char *name = NULL;
	for (size_t i = 0; i < ARRAY_LEN(bt_clients) && !name; i++)
		if (memcmp(peer_id + 1, bt_clients[i].code, 2) == 0)
			name = bt_clients[i].name;
	size_t n = name ? strlen(name) : 2;
	memcpy(text, name ? name : (const char *)peer_id + 1, n);
	text[n] = ' ';
	memcpy(text + n + 1, peer_id + 3, 4);
	meta_add_item(m, META_BT_CLIENT, (const uint8_t *)text, n + 5);
}

static enum probe_result bt_probe_tcp(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	return probe_of_prefix(rd_prefix(&r, BT_PREFIX, BT_PREFIX_LEN), in->stream_full);
}

/* Each direction opens with a handshake; nothing after it is read. */
static enum parse_result bt_parse_tcp(void *state, const struct dissect_in *in)
{
	struct bt_state *st = state;
	int side = in->from_client ? 0 : 1;
	in->meta->app = APP_BITTORRENT;
	if (!st->side_done[side] && in->len >= BT_HANDSHAKE) {
		st->side_done[side] = true;
		struct rd r = rd_make(in->data, in->len);
		if (rd_prefix(&r, BT_PREFIX, BT_PREFIX_LEN) == RD_PREFIX_YES) {
			rd_skip(&r, BT_PREFIX_LEN + 8); /* and the reserved bits */
			const uint8_t *info_hash = rd_take(&r, 20), *peer_id = rd_take(&r, 20);
			if (rd_ok(&r)) {
				bt_info_hash(in->meta, info_hash);
				bt_client(in->meta, peer_id);
			}
		}
	}
	bool done = (st->side_done[0] && st->side_done[1]) || in->stream_full;
	return done || ++st->calls >= BT_MAX_CALLS ? PARSE_DONE : PARSE_MORE;
}

/* ---- KRPC over UDP ---- */

/* One bencoded string "len:bytes"; its bytes in *s. */
static bool ben_string(struct rd *r, struct rd *s)
{
	size_t len = 0, digits = 0;
	uint8_t c;
	while ((c = rd_u8(r)) >= '0' && c <= '9' && digits < 6) {
		len = len * 10 + (size_t)(c - '0');
		digits++;
	}
	if (!rd_ok(r) || c != ':' || !digits)
		return false;
	*s = rd_sub(r, len);
	return rd_ok(r);
}

static bool ben_skip(struct rd *r, int depth);

/* The items of a list or dictionary up to its 'e'. */
static bool ben_items(struct rd *r, int depth, bool dict)
{
	while (rd_ok(r) && rd_peek8(r, 0) != 'e') {
		struct rd key;
		if (dict && !ben_string(r, &key))
			return false;
		if (!ben_skip(r, depth + 1))
			return false;
	}
	rd_skip(r, 1);
	return rd_ok(r);
}

/* Any one value, nested at most BENCODE_DEPTH deep. */
static bool ben_skip(struct rd *r, int depth)
{
	uint8_t c = rd_peek8(r, 0);
	struct rd s;
	if (depth > BENCODE_DEPTH || !rd_left(r))
		return false;
	if (c == 'i') {
		const uint8_t *p = rd_ptr(r), *e = memchr(p, 'e', rd_left(r));
		rd_skip(r, e ? (size_t)(e - p) + 1 : rd_left(r) + 1);
		return rd_ok(r) && e - p > 1;
	}
	if (c == 'l' || c == 'd') {
		rd_skip(r, 1);
		return ben_items(r, depth, c == 'd');
	}
	return ben_string(r, &s);
}

static bool key_is(const struct rd *k, const char *s)
{
	return rd_equals(k, s, strlen(s));
}

/* A KRPC message: its type, method and arguments' info_hash (each empty
 * when absent); false when the datagram is not one. */
struct krpc {
	struct rd y, q, info_hash;
};

static void krpc_args(struct rd a, struct krpc *k)
{
	rd_skip(&a, 1);
	while (rd_left(&a) && rd_peek8(&a, 0) != 'e') {
		struct rd key, val;
		if (!ben_string(&a, &key))
			return;
		if (key_is(&key, "info_hash") && ben_string(&a, &val)) {
			k->info_hash = val;
			continue;
		}
		if (!rd_ok(&a) || !ben_skip(&a, 1))
			return;
	}
}

static bool krpc_read(const uint8_t *d, size_t n, struct krpc *k)
{
	struct rd r = rd_make(d, n);
	memset(k, 0, sizeof *k);
	if (rd_u8(&r) != 'd')
		return false;
	while (rd_ok(&r) && rd_peek8(&r, 0) != 'e') {
		struct rd key, val;
		if (!ben_string(&r, &key))
			return false;
		struct rd at = r;
		if (rd_peek8(&r, 0) >= '0' && rd_peek8(&r, 0) <= '9') {
			if (!ben_string(&r, &val))
				return false;
			if (key_is(&key, "y"))
				k->y = val;
			else if (key_is(&key, "q"))
				k->q = val;
		} else if (!ben_skip(&r, 1)) {
			return false;
		} else if (key_is(&key, "a") && rd_peek8(&at, 0) == 'd') {
			krpc_args(rd_sub(&at, rd_pos(&r) - rd_pos(&at)), k);
		}
	}
	rd_skip(&r, 1);
	return rd_ok(&r) && rd_left(&r) == 0 && rd_left(&k->y) == 1 &&
	       memchr("qre", rd_peek8(&k->y, 0), 3);
}

static enum probe_result bt_probe_dht(const struct dissect_in *in)
{
	struct krpc k;
	return krpc_read(in->data, in->len, &k) ? PROBE_YES : PROBE_NO;
}

static enum parse_result bt_parse_dht(void *state, const struct dissect_in *in)
{
	struct bt_state *st = state;
	struct krpc k;
	if (krpc_read(in->data, in->len, &k)) {
		in->meta->app = APP_BITTORRENT;
		if (rd_left(&k.q) && rd_left(&k.q) <= 32) {
			char method[33];
			memcpy(method, rd_ptr(&k.q), rd_left(&k.q));
			method[rd_left(&k.q)] = '\0';
			meta_add_once(in->meta, META_BT_DHT_QUERY, method);
		}
		if (rd_left(&k.info_hash) == 20)
			bt_info_hash(in->meta, rd_ptr(&k.info_hash));
	}
	return ++st->calls >= BT_MAX_CALLS ? PARSE_DONE : PARSE_MORE;
}

const struct dissector dissector_bittorrent = {
	.name = "bittorrent",
	.l4 = L4_TCP,
	.ports = { 6881, 51413, 0 },
	.probe = bt_probe_tcp,
	.parse = bt_parse_tcp,
	.state_size = sizeof(struct bt_state),
};

const struct dissector dissector_bt_dht = {
	.name = "bt-dht",
	.l4 = L4_UDP,
	.ports = { 6881, 51413, 0 },
	.probe = bt_probe_dht,
	.parse = bt_parse_dht,
	.state_size = sizeof(struct bt_state),
};
