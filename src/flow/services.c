/* services.c - well-known port names (IANA service names registry), a small
 * built-in table so the result does not depend on the host's /etc/services.
 */
#include "base/macros.h"
#include "decode/pkt.h"
#include "flow/row.h"

enum { SVC_TCP = 1, SVC_UDP = 2, SVC_BOTH = 3 };

struct service {
	uint16_t port;
	uint8_t l4;   /* SVC_* */
	const char *name;
};

/* Sorted by port for the binary search. */
static const struct service services[] = {
	{ 7, SVC_BOTH, "echo" },          { 20, SVC_TCP, "ftp-data" },
	{ 21, SVC_TCP, "ftp" },           { 22, SVC_TCP, "ssh" },
	{ 23, SVC_TCP, "telnet" },        { 25, SVC_TCP, "smtp" },
	{ 43, SVC_TCP, "whois" },         { 53, SVC_BOTH, "dns" },
	{ 67, SVC_UDP, "dhcp" },          { 68, SVC_UDP, "dhcp" },
	{ 69, SVC_UDP, "tftp" },          { 80, SVC_BOTH, "http" },
	{ 88, SVC_BOTH, "kerberos" },     { 110, SVC_TCP, "pop3" },
	{ 111, SVC_BOTH, "rpcbind" },     { 119, SVC_TCP, "nntp" },
	{ 123, SVC_UDP, "ntp" },          { 135, SVC_TCP, "msrpc" },
	{ 137, SVC_UDP, "netbios-ns" },   { 138, SVC_UDP, "netbios-dgm" },
	{ 139, SVC_TCP, "netbios-ssn" },  { 143, SVC_TCP, "imap" },
	{ 161, SVC_UDP, "snmp" },         { 162, SVC_UDP, "snmptrap" },
	{ 179, SVC_TCP, "bgp" },          { 389, SVC_BOTH, "ldap" },
	{ 443, SVC_BOTH, "https" },       { 445, SVC_TCP, "smb" },
	{ 465, SVC_TCP, "smtps" },        { 500, SVC_UDP, "isakmp" },
	{ 514, SVC_UDP, "syslog" },       { 515, SVC_TCP, "printer" },
	{ 546, SVC_UDP, "dhcpv6-client" }, { 547, SVC_UDP, "dhcpv6-server" },
	{ 554, SVC_BOTH, "rtsp" },        { 587, SVC_TCP, "submission" },
	{ 631, SVC_BOTH, "ipp" },         { 636, SVC_TCP, "ldaps" },
	{ 853, SVC_BOTH, "domain-s" },    { 873, SVC_TCP, "rsync" },
	{ 989, SVC_TCP, "ftps-data" },    { 990, SVC_TCP, "ftps" },
	{ 993, SVC_TCP, "imaps" },        { 995, SVC_TCP, "pop3s" },
	{ 1080, SVC_TCP, "socks" },       { 1194, SVC_BOTH, "openvpn" },
	{ 1433, SVC_TCP, "mssql" },       { 1521, SVC_TCP, "oracle" },
	{ 1701, SVC_UDP, "l2tp" },        { 1812, SVC_UDP, "radius" },
	{ 1883, SVC_TCP, "mqtt" },        { 1900, SVC_UDP, "ssdp" },
	{ 2049, SVC_BOTH, "nfs" },        { 2181, SVC_TCP, "zookeeper" },
	{ 2375, SVC_TCP, "docker" },      { 2376, SVC_TCP, "docker-s" },
	{ 3128, SVC_TCP, "squid" },       { 3306, SVC_TCP, "mysql" },
	{ 3389, SVC_BOTH, "rdp" },        { 3478, SVC_UDP, "stun" },
	{ 4500, SVC_UDP, "ipsec-nat-t" }, { 4789, SVC_UDP, "vxlan" },
	{ 5060, SVC_BOTH, "sip" },
	{ 5061, SVC_TCP, "sips" },        { 5222, SVC_TCP, "xmpp" },
	{ 5353, SVC_UDP, "mdns" },        { 5355, SVC_UDP, "llmnr" },
	{ 5432, SVC_TCP, "postgresql" },  { 5672, SVC_TCP, "amqp" },
	{ 5900, SVC_TCP, "vnc" },         { 6081, SVC_UDP, "geneve" },
	{ 6379, SVC_TCP, "redis" },
	{ 6443, SVC_TCP, "kube-api" },    { 6667, SVC_TCP, "irc" },
	{ 8000, SVC_TCP, "http-alt" },    { 8080, SVC_TCP, "http-alt" },
	{ 8443, SVC_BOTH, "https-alt" },  { 9000, SVC_TCP, "cslistener" },
	{ 9090, SVC_TCP, "websm" },       { 9092, SVC_TCP, "kafka" },
	{ 9200, SVC_TCP, "elasticsearch" }, { 11211, SVC_BOTH, "memcache" },
	{ 27017, SVC_TCP, "mongodb" },    { 51820, SVC_UDP, "wireguard" },
};

static int l4_mask(uint16_t l4)
{
	return l4 == L4_TCP ? SVC_TCP : l4 == L4_UDP ? SVC_UDP : 0;
}

const char *service_name(uint16_t l4, uint16_t port)
{
	int mask = l4_mask(l4);
	if (!mask)
		return NULL;
	size_t lo = 0, hi = ARRAY_LEN(services);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (services[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* a port may be listed twice, once per protocol */
	for (size_t i = lo; i < ARRAY_LEN(services) && services[i].port == port; i++)
		if (services[i].l4 & mask)
			return services[i].name;
	return NULL;
}
