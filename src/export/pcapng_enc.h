/* pcapng_enc.h - pcapng blocks (the IETF pcapng draft): a section header,
 * an interface description per link type, and enhanced packet blocks
 * with an opt_comment, which tshark shows as frame.comment. Little-endian,
 * timestamps in microseconds (the default if_tsresol). Pure: appends to
 * an outbuf. */
#ifndef WT_EXPORT_PCAPNG_ENC_H
#define WT_EXPORT_PCAPNG_ENC_H

#include <stdint.h>

#include "base/outbuf.h"

void pcapng_put_shb(struct outbuf *o);
void pcapng_put_idb(struct outbuf *o, uint16_t linktype, uint32_t snaplen);
/* comment may be NULL (no option). */
void pcapng_put_epb(struct outbuf *o, uint32_t interface, uint64_t ts_us, const uint8_t *data,
		    uint32_t caplen, uint32_t wirelen, const char *comment);

#endif
