/* rowview.c - what the fields table and the views both say about a row:
 * protocol name, address text, the remote's host name, the application.
 */
#include "query/query.h"

#include <string.h>

#include "base/addrtext.h"
#include "decode/decode.h"

const char *query_proto_name(uint16_t l4)
{
	return decode_proto_name(l4);
}

/* Truncates like snprintf: the filter and the views size their buffers. */
size_t query_addr_text(char *buf, size_t cap, const uint8_t *a, uint8_t family)
{
	char tmp[ADDR_TEXT_MAX];
	size_t n = addr_text(tmp, family, a);
	if (cap == 0)
		return 0;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return n;
}

/* SNI and Host name the responder: they describe the remote end only when
 * the local side initiated. */
const char *query_remote_name(const struct conn_row *r)
{
	if (query_local_index(r) != 0)
		return NULL;
	const char *s = meta_str(&r->meta, META_SNI);
	if (!s || !*s)
		s = meta_str(&r->meta, META_HTTP_HOST);
	return s && *s ? s : NULL;
}

const char *query_app_name(const struct conn_row *r)
{
	const char *a = meta_app_name(&r->meta, r->dport);
	if (a)
		return a;
	if (!query_has_ports(r))
		return NULL;
	a = query_service_name(r->l4, r->dport);
	return a ? a : query_service_name(r->l4, r->sport);
}
