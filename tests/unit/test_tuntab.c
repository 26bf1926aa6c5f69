/* Tunnel numbering (src/flow/tuntab.c): one number per tunnel whichever
 * way its packets go, a new one per VNI, key or enclosing tunnel, and a
 * number lives exactly as long as something holds it. */
#include <string.h>

#include "check.h"
#include "flow/tuntab.h"

static struct pkt_tunnel vxlan(uint8_t a, uint8_t b, uint32_t vni)
{
	struct pkt_tunnel t;
	memset(&t, 0, sizeof t);
	t.type = TUNNEL_VXLAN;
	t.family = 4;
	t.has_id = 1;
	t.id = vni;
	t.src[0] = 192, t.src[3] = a;
	t.dst[0] = 192, t.dst[3] = b;
	return t;
}

static void test_one_number_per_tunnel(void)
{
	struct tuntab *t = tuntab_new();
	struct pkt_tunnel ab = vxlan(1, 2, 42), ba = vxlan(2, 1, 42), other = vxlan(1, 2, 43);
	uint32_t id = tuntab_number(t, 0, &ab);
	tuntab_ref(t, id);
	CHECK(id != 0);
	CHECK_INT(tuntab_number(t, 0, &ba), id); /* both ways: the same tunnel */
	uint32_t id43 = tuntab_number(t, 0, &other);
	tuntab_ref(t, id43);
	CHECK(id43 != id);
	struct pkt_tunnel gre = ab;
	gre.type = TUNNEL_GRE;
	uint32_t idgre = tuntab_number(t, 0, &gre);
	tuntab_ref(t, idgre);
	CHECK(idgre != id && idgre != id43);
	/* the same VNI inside another tunnel is another tunnel */
	uint32_t inner = tuntab_number(t, idgre, &ab);
	tuntab_ref(t, inner);
	CHECK(inner != id);
	const struct tunnel_ent *e = tuntab_get(t, id);
	CHECK(e && e->tun.id == 42 && e->tun.src[3] == 1 && e->parent == 0);
	CHECK_INT(tuntab_get(t, inner)->parent, idgre);
	CHECK_INT(tuntab_count(t), 4);
	tuntab_free(t);
}

static void test_numbers_live_while_held(void)
{
	struct tuntab *t = tuntab_new();
	struct pkt_tunnel outer = vxlan(1, 2, 1), inner = vxlan(3, 4, 2);
	uint32_t o = tuntab_number(t, 0, &outer);
	tuntab_ref(t, o);
	uint32_t i = tuntab_number(t, o, &inner);
	tuntab_ref(t, i);
	tuntab_ref(t, i);
	tuntab_unref(t, o); /* the inner one still holds its enclosing tunnel */
	CHECK(tuntab_get(t, o) != NULL);
	tuntab_unref(t, i);
	CHECK(tuntab_get(t, i) != NULL);
	tuntab_unref(t, i); /* the last holder: both go */
	CHECK(tuntab_get(t, i) == NULL);
	CHECK(tuntab_get(t, o) == NULL);
	CHECK_INT(tuntab_count(t), 0);
	uint32_t again = tuntab_number(t, 0, &outer); /* numbers are used again */
	CHECK(again == o || again == i);
	tuntab_ref(t, again);
	tuntab_unref(t, again);
	CHECK_INT(tuntab_count(t), 0);
	/* many tunnels: the index grows */
	for (uint32_t vni = 0; vni < 1000; vni++) {
		struct pkt_tunnel x = vxlan(9, 9, vni);
		tuntab_ref(t, tuntab_number(t, 0, &x));
	}
	CHECK_INT(tuntab_count(t), 1000);
	struct pkt_tunnel x = vxlan(9, 9, 500);
	uint32_t id500 = tuntab_number(t, 0, &x);
	CHECK_INT(tuntab_get(t, id500)->tun.id, 500);
	tuntab_free(t);
}

int main(void)
{
	RUN(test_one_number_per_tunnel);
	RUN(test_numbers_live_while_held);
	return check_summary("tuntab");
}
