/* synflood.c - writes a pcap of N TCP SYNs (Ethernet, IPv4; RFC 791,
 * RFC 9293 3.1) from N distinct spoofed sources to one server, for
 * tcpreplay in tests/live/flood.sh; with --flows, N whole short
 * connections instead (tests/live/burst_ui.sh).
 *
 *   synflood [--flows] N OUT.pcap [DST_IPV4 [DST_PORT]]
 *
 * Source i gets the address perm(i), where perm is a bijection of 32-bit
 * integers (multiply by an odd constant, xor-shift), so every source
 * address is distinct and they look random; the source port comes from a
 * second mix of i. A short connection is six frames: the handshake (its
 * third segment carries the client's 4 bytes), the server's 4 bytes with
 * its FIN, the client's FIN, the last ACK. Checksums are valid, frames are
 * padded to the Ethernet minimum. Deterministic: the same N gives the same
 * file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_LEN 60  /* 14 Ethernet + 20 IPv4 + 20 TCP + 6 padding (or data) */
#define DATA_LEN 4    /* what each side of a short connection sends */
#define SNAPLEN 65535
#define DLT_EN10MB 1

enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_PSH = 0x08, TCP_ACK = 0x10 };

/* One TCP segment's addresses, numbers and data. */
struct seg {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	const char *data; /* DATA_LEN bytes, or NULL */
};

static uint32_t perm32(uint32_t x)
{
	x *= 0x9e3779b1u;       /* odd: a bijection mod 2^32 */
	x ^= x >> 15;           /* xor-shift right: a bijection too */
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	return x;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* A frame of seg from the client (toward the server) or back. */
static void build_seg(uint8_t *f, const struct seg *s, int from_client)
{
	static const uint8_t server_mac[6] = { 0x02, 0x77, 0x74, 0, 0, 2 }, client_mac[6] = { 0x02, 0x77, 0x74, 0, 0, 1 };
	size_t dlen = s->data ? DATA_LEN : 0;
	memset(f, 0, FRAME_LEN);
	memcpy(f, from_client ? server_mac : client_mac, 6);
	memcpy(f + 6, from_client ? client_mac : server_mac, 6);
	put16(f + 12, 0x0800);
	uint8_t *ip = f + 14, *tcp = ip + 20;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(40 + dlen));
	put16(ip + 4, (uint16_t)s->seq);
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 6;
	put32(ip + 12, s->src);
	put32(ip + 16, s->dst);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
	put16(tcp, s->sport);
	put16(tcp + 2, s->dport);
	put32(tcp + 4, s->seq);
	put32(tcp + 8, s->ack);
	tcp[12] = 5 << 4;
	tcp[13] = s->flags;
	put16(tcp + 14, 64240);
	if (dlen)
		memcpy(tcp + 20, s->data, dlen);
	uint8_t pseudo[12];
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	put16(pseudo + 10, (uint16_t)(20 + dlen));
	put16(tcp + 16, fold(sum16(tcp, 20 + dlen, sum16(pseudo, 12, 0))));
}

static int put_frame(FILE *out, const uint8_t *frame, unsigned long k)
{
	uint32_t rh[4] = { (uint32_t)(1700000000u + k / 1000000u), (uint32_t)(k % 1000000u), FRAME_LEN,
			   FRAME_LEN };
	return fwrite(rh, sizeof rh, 1, out) == 1 && fwrite(frame, FRAME_LEN, 1, out) == 1 ? 0 : -1;
}

/* Connection i's frames (one SYN, or the six of a short connection);
 * *k counts the frames written, for their timestamps. */
static int put_conn(FILE *out, unsigned long i, int whole, uint32_t dst, uint16_t dport, unsigned long *k)
{
	uint32_t src = perm32((uint32_t)i + 1u); /* never 0.0.0.0 for the first */
	uint16_t sport = (uint16_t)(1024 + perm32((uint32_t)i ^ 0x5bd1e995u) % 64000u);
	uint32_t c = perm32((uint32_t)i + 7), sv = perm32((uint32_t)i ^ 0x2545f491u);
	const struct seg to_server = { src, dst, sport, dport, 0, 0, 0, NULL };
	const struct seg to_client = { dst, src, dport, sport, 0, 0, 0, NULL };
	const struct {
		int from_client;
		uint32_t seq, ack;
		uint8_t flags;
		const char *data;
	} steps[] = {
		{ 1, c, 0, TCP_SYN, NULL },
		{ 0, sv, c + 1, TCP_SYN | TCP_ACK, NULL },
		{ 1, c + 1, sv + 1, TCP_ACK | TCP_PSH, "ping" },
		{ 0, sv + 1, c + 1 + DATA_LEN, TCP_ACK | TCP_PSH | TCP_FIN, "pong" },
		{ 1, c + 1 + DATA_LEN, sv + 2 + DATA_LEN, TCP_ACK | TCP_FIN, NULL },
		{ 0, sv + 2 + DATA_LEN, c + 2 + DATA_LEN, TCP_ACK, NULL },
	};
	uint8_t frame[FRAME_LEN];
	for (size_t j = 0; j < (whole ? sizeof steps / sizeof steps[0] : 1); j++) {
		struct seg s = steps[j].from_client ? to_server : to_client;
		s.seq = steps[j].seq;
		s.ack = steps[j].ack;
		s.flags = steps[j].flags;
		s.data = steps[j].data;
		build_seg(frame, &s, steps[j].from_client);
		if (put_frame(out, frame, (*k)++) < 0)
			return -1;
	}
	return 0;
}

static int write_all(FILE *out, unsigned long n, int whole, uint32_t dst, uint16_t dport)
{
	/* pcap file header, native byte order, microsecond stamps */
	uint32_t gh[6] = { 0xa1b2c3d4u, 2u | (4u << 16), 0, 0, SNAPLEN, DLT_EN10MB };
	if (fwrite(gh, sizeof gh, 1, out) != 1)
		return -1;
	unsigned long k = 0;
	for (unsigned long i = 0; i < n; i++)
		if (put_conn(out, i, whole, dst, dport, &k) < 0)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int whole = argc > 1 && strcmp(argv[1], "--flows") == 0;
	argc -= whole;
	argv += whole;
	if (argc < 3) {
		fprintf(stderr, "usage: synflood [--flows] N OUT.pcap [DST_IPV4 [DST_PORT]]\n");
		return 2;
	}
	unsigned long n = strtoul(argv[1], NULL, 10);
	struct in_addr dst = { htonl(0x0a4d0002u) }; /* 10.77.0.2 */
	if (argc > 3 && inet_pton(AF_INET, argv[3], &dst) != 1) {
		fprintf(stderr, "synflood: bad address %s\n", argv[3]);
		return 2;
	}
	uint16_t dport = argc > 4 ? (uint16_t)atoi(argv[4]) : 80;
	FILE *out = fopen(argv[2], "wb");
	if (!out) {
		fprintf(stderr, "synflood: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	int rc = write_all(out, n, whole, ntohl(dst.s_addr), dport);
	if (fclose(out) != 0 || rc < 0) {
		fprintf(stderr, "synflood: %s: write failed\n", argv[2]);
		return 1;
	}
	return 0;
}
