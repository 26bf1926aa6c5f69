/* conv.h - a TCP conversation fed to the DPI driver with correct sequence
 * numbers (a three-way handshake first), and the TLS hellos the tests of
 * protocol upgrades send over it. */
#ifndef WT_TESTS_CONV_H
#define WT_TESTS_CONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/dpi.h"
#include "dissect/meta.h"

struct conv {
	struct dpi_flow *d;
	struct flow_meta m;
	struct dpi_env env;
	size_t used;
	uint16_t server_port;
	uint32_t seq[2];  /* next sequence number: [0] client, [1] server */
	bool inspecting;  /* what the driver said last */
};

/* SYN, SYN-ACK, ACK to server_port. */
void conv_open(struct conv *c, uint16_t server_port);
/* One segment of payload; returns whether the driver still inspects. */
bool conv_send(struct conv *c, bool client, const void *data, size_t n);
/* The same for a string. */
bool conv_say(struct conv *c, bool client, const char *text);
void conv_close(struct conv *c);

/* A TLS record holding a TLS 1.3 ClientHello with this server name and
 * comma-separated ALPN list (either may be NULL); returns its length. */
size_t conv_client_hello(uint8_t *out, size_t cap, const char *sni, const char *alpn);
/* A TLS record holding a TLS 1.3 ServerHello choosing `suite`. */
size_t conv_server_hello(uint8_t *out, size_t cap, uint16_t suite);
/* Both sent: the client's hello, then the server's with TLS_AES_128_GCM_SHA256. */
void conv_tls_handshake(struct conv *c, const char *sni, const char *alpn);

#endif
