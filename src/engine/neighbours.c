/* neighbours.c - who is on the link (see neighbours.h). The table is a
 * dnscache (the same bounded, least-recently-used address map with an
 * expiry that DNS names live in) holding each address's MAC as text. */
#include "engine/neighbours.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "base/addrtext.h"
#include "base/oui.h"
#include "base/strpool.h"
#include "base/xalloc.h"
#include "decode/decode.h"
#include "engine/dnscache.h"

#define NEIGHBOURS_DEFAULT 4096

struct neighbours {
	pthread_mutex_t mu;
	struct dnscache *table;
	struct oui *oui;
	struct strpool *pool;     /* the rows' MACs and vendors */
	_Atomic bool any;         /* something was learned: until then rows skip the lock */
};

struct neighbours *neighbours_new(size_t capacity, struct oui *oui)
{
	struct neighbours *n = xcalloc(1, sizeof *n);
	pthread_mutex_init(&n->mu, NULL);
	n->table = dnscache_new(capacity ? capacity : NEIGHBOURS_DEFAULT);
	n->oui = oui;
	n->pool = strpool_new();
	return n;
}

void neighbours_free(struct neighbours *n)
{
	if (!n)
		return;
	dnscache_free(n->table);
	strpool_free(n->pool); /* rows still holding MACs keep it */
	pthread_mutex_destroy(&n->mu);
	free(n);
}

void neighbours_note(struct neighbours *n, const struct pkt *p)
{
	struct pkt_neighbour nb;
	if (!decode_neighbour(p, &nb))
		return;
	char mac[MAC_TEXT_MAX];
	addr_mac_text(mac, nb.mac);
	pthread_mutex_lock(&n->mu);
	dnscache_insert(n->table, mac, nb.family, nb.addr, p->ts_us + NEIGHBOURS_AGE_US);
	pthread_mutex_unlock(&n->mu);
	atomic_store_explicit(&n->any, true, memory_order_relaxed);
}

static int hex_digit(char c)
{
	return c >= 'a' ? c - 'a' + 10 : c - '0';
}

/* The MAC's vendor: the registry's name for its block, or what the U/L
 * bit says of an address no manufacturer assigned (IEEE 802 section 8.2:
 * random, private addresses; virtual machines and containers); NULL when
 * the registry does not know it. text is addr_mac_text's. */
static const char *vendor(struct oui *oui, const char *text)
{
	uint8_t mac[6];
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(hex_digit(text[3 * i]) << 4 | hex_digit(text[3 * i + 1]));
	if (mac[0] & 0x02)
		return "locally administered";
	return oui_vendor(oui, mac);
}

void neighbours_fill_row(struct neighbours *n, struct conn_row *r)
{
	if (r->l4 == L4_ARP || !atomic_load_explicit(&n->any, memory_order_relaxed))
		return;
	char remote[DNSCACHE_NAME_MAX + 1];
	pthread_mutex_lock(&n->mu);
	bool on_link = dnscache_lookup(n->table, r->family, row_remote_addr(r), r->first_seen_us,
				       remote, sizeof remote);
	pthread_mutex_unlock(&n->mu);
	if (!on_link)
		return;
	const char *local = row_lan(r, ROW_LAN_LOCAL_MAC);
	const char *v = vendor(n->oui, remote);
	const char *parts[ROW_LAN_PARTS] = {
		[ROW_LAN_LOCAL_MAC] = local ? local : "",
		[ROW_LAN_REMOTE_MAC] = remote,
		[ROW_LAN_REMOTE_VENDOR] = v ? v : "",
	};
	const char *lan = strpool_get_parts(n->pool, parts, ROW_LAN_PARTS);
	strpool_put(r->lan);
	r->lan = lan;
}
