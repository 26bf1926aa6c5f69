/* ftp_data.h - where an FTP data connection will be opened, read from the
 * control connection (RFC 959 4.1.2 PORT, 4.2 reply 227; RFC 2428 EPRT and
 * EPSV). Pure functions over a bounded reader; addresses are 16 bytes,
 * IPv4 in the first four. */
#ifndef WT_DISSECT_FTP_DATA_H
#define WT_DISSECT_FTP_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "base/rd.h"

/* "h1,h2,h3,h4,p1,p2" (PORT's argument, or anywhere in a 227 reply's text,
 * whose parentheses servers do not all write): an IPv4 address and port,
 * each number 0-255 and the port not 0. */
bool ftp_data_hostport(struct rd text, uint8_t addr[16], uint16_t *port);

/* A 229 reply's "(<d><d><d>port<d>)": the port, 1-65535. */
bool ftp_data_epsv(struct rd text, uint16_t *port);

/* EPRT's argument "<d>1|2<d>address<d>port<d>": the family (4 or 6),
 * address and port. */
bool ftp_data_eprt(struct rd arg, uint8_t *family, uint8_t addr[16], uint16_t *port);

#endif
