/* mqtt.c - MQTT 3.1 (MQIsdp), 3.1.1 (OASIS, 2014) and 5.0 (OASIS, 2019).
 *
 *   fixed header: type(4 bits) flags(4) | Remaining Length (1-4 byte varint)
 *   CONNECT (1):  protocol name ("MQTT", or "MQIsdp" for 3.1) | level (3, 4,
 *                 5) | flags | keep alive(2) | [5.0: properties] | client id
 *   PUBLISH (3):  topic name | ...
 *   SUBSCRIBE (8): packet id(2) | [5.0: properties] | topic filter | ...
 *
 * A CONNECT with one of those protocol names opening a direction is the
 * signature (on any port). Strings are a 2-byte length and UTF-8. Kept:
 * the version, the client identifier and the first topic published or
 * subscribed to, by either side.
 */
#include <string.h>

#include "base/rd.h"
#include "dissect/dissector.h"

#define MQTT_MAX_PACKETS 32
#define MQTT_PACKET_MAX 65536 /* longer packets are not looked into */

enum {
	MQTT_CONNECT = 1,
	MQTT_PUBLISH = 3,
	MQTT_SUBSCRIBE = 8,
};

struct mqtt_state {
	uint32_t off[2];  /* stream bytes consumed per direction */
	uint8_t level;    /* protocol level of the CONNECT */
	uint8_t packets;
};

/* MQTT 5.0 1.5.5: at most four bytes, seven bits each, least significant first. */
static uint32_t mqtt_varint(struct rd *r)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t b = rd_u8(r);
		v |= (uint32_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return v;
	}
	rd_skip(r, rd_left(r) + 1); /* a fifth byte: malformed */
	return 0;
}

/* CONNECT's protocol name and level; 0 when it is not one we know. */
static uint8_t mqtt_connect_level(struct rd *r)
{
	struct rd name = rd_sub16(r);
	uint8_t level = rd_u8(r);
	if (!rd_ok(r))
		return 0;
	bool mqtt = rd_equals(&name, "MQTT", 4);
	bool isdp = rd_equals(&name, "MQIsdp", 6);
	if ((mqtt && (level == 4 || level == 5)) || (isdp && level == 3))
		return level;
	return 0;
}

static enum probe_result mqtt_probe(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	if (rd_left(&r) && rd_peek8(&r, 0) != MQTT_CONNECT << 4)
		return PROBE_NO;
	rd_skip(&r, 1);
	mqtt_varint(&r);
	if (mqtt_connect_level(&r))
		return PROBE_YES;
	/* a prefix of "\x10 len \0\x06MQIsdp\x03" is worth waiting for */
	return rd_ok(&r) || in->len >= 14 || in->stream_full ? PROBE_NO : PROBE_MAYBE;
}

static void mqtt_connect(struct mqtt_state *st, struct rd body, struct flow_meta *m)
{
	static const char *const versions[6] = { [3] = "3.1", [4] = "3.1.1", [5] = "5.0" };
	uint8_t level = mqtt_connect_level(&body);
	if (!level)
		return;
	st->level = level;
	meta_set_str(m, META_MQTT_VERSION, (const uint8_t *)versions[level], strlen(versions[level]));
	rd_skip(&body, 3); /* connect flags, keep alive */
	if (level == 5)
		rd_skip(&body, mqtt_varint(&body));
	struct rd id = rd_sub16(&body);
	if (rd_ok(&id))
		meta_set_str(m, META_MQTT_CLIENT_ID, rd_ptr(&id), rd_left(&id));
}

static void mqtt_topic(struct mqtt_state *st, uint8_t type, struct rd body, struct flow_meta *m)
{
	if (type == MQTT_SUBSCRIBE) {
		rd_skip(&body, 2);
		if (st->level == 5)
			rd_skip(&body, mqtt_varint(&body));
	}
	struct rd topic = rd_sub16(&body);
	if (rd_ok(&topic) && rd_left(&topic))
		meta_set_str(m, META_MQTT_TOPIC, rd_ptr(&topic), rd_left(&topic));
}

/* The whole packets of one direction since the last call; false once its
 * framing is lost. */
static bool mqtt_packets(struct mqtt_state *st, const struct dissect_in *in)
{
	uint32_t *off = &st->off[in->from_client ? 0 : 1];
	while (*off < in->len && st->packets < MQTT_MAX_PACKETS) {
		struct rd r = rd_make(in->data + *off, in->len - *off);
		uint8_t type = rd_u8(&r) >> 4;
		uint32_t len = mqtt_varint(&r);
		if (!rd_ok(&r))
			return in->len - *off < 5; /* a length still coming, or a malformed one */
		if (len > MQTT_PACKET_MAX)
			return false;
		if (rd_left(&r) < len)
			return true; /* the rest is still coming */
		struct rd body = rd_sub(&r, len);
		*off += (uint32_t)rd_pos(&r);
		st->packets++;
		if (type == MQTT_CONNECT)
			mqtt_connect(st, body, in->meta);
		else if ((type == MQTT_PUBLISH || type == MQTT_SUBSCRIBE) && st->level)
			mqtt_topic(st, type, body, in->meta);
	}
	return true;
}

static enum parse_result mqtt_parse(void *state, const struct dissect_in *in)
{
	struct mqtt_state *st = state;
	in->meta->app = APP_MQTT;
	bool framed = mqtt_packets(st, in);
	if (meta_str(in->meta, META_MQTT_TOPIC) || !framed || in->stream_full ||
	    st->packets >= MQTT_MAX_PACKETS)
		return PARSE_DONE;
	return PARSE_MORE;
}

const struct dissector dissector_mqtt = {
	.name = "mqtt",
	.l4 = L4_TCP,
	.ports = { 1883, 0 },
	.probe = mqtt_probe,
	.parse = mqtt_parse,
	.state_size = sizeof(struct mqtt_state),
};
