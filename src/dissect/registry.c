/* registry.c - the one list of dissectors. Adding a protocol is one
 * `extern` and one entry here; the driver tries port-hint matches first,
 * then the rest in this order. */
#include "dissect/registry.h"

#include "base/macros.h"

extern const struct dissector dissector_http;
extern const struct dissector dissector_http2;
extern const struct dissector dissector_tls;
extern const struct dissector dissector_ssh;
extern const struct dissector dissector_dns;
extern const struct dissector dissector_dns_tcp;
extern const struct dissector dissector_quic;
extern const struct dissector dissector_stun;
extern const struct dissector dissector_stun_tcp;
extern const struct dissector dissector_ntp;
extern const struct dissector dissector_ssdp;
extern const struct dissector dissector_snmp;
extern const struct dissector dissector_dhcp;
extern const struct dissector dissector_dhcpv6;
extern const struct dissector dissector_nbns;
extern const struct dissector dissector_mqtt;
extern const struct dissector dissector_bittorrent;
extern const struct dissector dissector_bt_dht;
extern const struct dissector dissector_smtp;
extern const struct dissector dissector_imap;
extern const struct dissector dissector_pop3;
extern const struct dissector dissector_ftp;
extern const struct dissector dissector_pgsql;
extern const struct dissector dissector_xmpp;
extern const struct dissector dissector_ldap;
extern const struct dissector dissector_openvpn;
extern const struct dissector dissector_openvpn_tcp;
extern const struct dissector dissector_wireguard;

static const struct dissector *const registry[] = {
	&dissector_tls,
	&dissector_http,
	&dissector_ssh,
	&dissector_http2,
	&dissector_dns_tcp,
	&dissector_stun_tcp,
	&dissector_mqtt,
	&dissector_bittorrent,
	&dissector_smtp,
	&dissector_imap,
	&dissector_pop3,
	&dissector_ftp,
	&dissector_pgsql,
	&dissector_xmpp,
	&dissector_ldap,
	&dissector_openvpn_tcp, /* a length and an opcode: after every signature */
	&dissector_quic,
	&dissector_nbns, /* before DNS, which would take its names for queries */
	&dissector_dns,
	&dissector_dhcp,
	&dissector_stun,
	&dissector_ssdp,
	&dissector_snmp,
	&dissector_bt_dht,
	&dissector_dhcpv6,
	&dissector_ntp,
	/* last: shapes, not signatures, and claimed on the exchange */
	&dissector_wireguard,
	&dissector_openvpn,
};

_Static_assert(ARRAY_LEN(registry) <= REGISTRY_MAX, "too many dissectors");

const struct dissector *const *registry_all(size_t *n)
{
	*n = ARRAY_LEN(registry);
	return registry;
}

void registry_prepare(void)
{
	for (size_t i = 0; i < ARRAY_LEN(registry); i++)
		if (registry[i]->prepare)
			registry[i]->prepare();
}
