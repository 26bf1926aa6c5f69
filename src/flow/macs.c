/* macs.c - the local ends' MACs (see macs.h): an open-addressing table
 * of numbers over an array of the addresses and their row references. */
#include "flow/macs.h"

#include <stdlib.h>
#include <string.h>

#include "base/addrtext.h"
#include "base/hash.h"
#include "base/strpool.h"
#include "base/xalloc.h"
#include "flow/row.h"

struct mac_ent {
	uint64_t mac;             /* the six bytes, big-endian in the low 48 bits */
	const char *lan;          /* the row reference: ROW_LAN_LOCAL_MAC only */
};

struct macs {
	struct strpool *pool;
	struct mac_ent *ents;     /* number i is ents[i - 1] */
	uint32_t n, cap;
	uint16_t *slots;          /* numbers, 0 empty; nslots a power of two, at most half full */
	uint32_t nslots;
};

struct macs *macs_new(void)
{
	struct macs *m = xcalloc(1, sizeof *m);
	m->pool = strpool_new();
	m->nslots = 16;
	m->slots = xcalloc(m->nslots, sizeof *m->slots);
	return m;
}

void macs_free(struct macs *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->n; i++)
		strpool_put(m->ents[i].lan);
	strpool_free(m->pool); /* rows still holding references keep it */
	free(m->ents);
	free(m->slots);
	free(m);
}

static uint32_t slot_of(const struct macs *m, uint64_t mac)
{
	uint32_t s = (uint32_t)hash_mix64(mac) & (m->nslots - 1);
	while (m->slots[s] && m->ents[m->slots[s] - 1].mac != mac)
		s = (s + 1) & (m->nslots - 1);
	return s;
}

static void grow_slots(struct macs *m)
{
	free(m->slots);
	m->nslots *= 2;
	m->slots = xcalloc(m->nslots, sizeof *m->slots);
	for (uint32_t i = 0; i < m->n; i++)
		m->slots[slot_of(m, m->ents[i].mac)] = (uint16_t)(i + 1);
}

static const char *lan_of(struct strpool *pool, const uint8_t mac[6])
{
	char text[MAC_TEXT_MAX];
	addr_mac_text(text, mac);
	const char *parts[ROW_LAN_PARTS] = { [ROW_LAN_LOCAL_MAC] = text,
					     [ROW_LAN_REMOTE_MAC] = "",
					     [ROW_LAN_REMOTE_VENDOR] = "" };
	return strpool_get_parts(pool, parts, ROW_LAN_PARTS);
}

uint16_t macs_intern(struct macs *m, const uint8_t mac[6])
{
	uint64_t key = 0;
	for (int i = 0; i < 6; i++)
		key = key << 8 | mac[i];
	uint32_t s = slot_of(m, key);
	if (m->slots[s])
		return m->slots[s];
	if (m->n >= MACS_MAX)
		return MACS_NONE;
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 8;
		m->ents = xrealloc(m->ents, m->cap * sizeof *m->ents);
	}
	m->ents[m->n] = (struct mac_ent){ key, lan_of(m->pool, mac) };
	m->slots[s] = (uint16_t)++m->n;
	if (2 * m->n > m->nslots)
		grow_slots(m);
	return (uint16_t)m->n;
}

const char *macs_row_lan(const struct macs *m, uint16_t i)
{
	if (i == 0 || i > m->n)
		return NULL;
	return strpool_ref(m->ents[i - 1].lan);
}
