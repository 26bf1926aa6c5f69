/* oui.h - hardware address vendors from the IEEE OUI registry (MA-L), as
 * Debian's ieee-data ships it (/usr/share/ieee-data/oui.txt):
 *
 *   00-00-0C   (hex)		Cisco Systems, Inc
 *
 * Read once at start; lookups are read-only and may come from any thread.
 */
#ifndef WT_BASE_OUI_H
#define WT_BASE_OUI_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define OUI_DEFAULT_PATH "/usr/share/ieee-data/oui.txt"

struct oui;

/* The registry in text (the "(hex)" lines; everything else is skipped).
 * Never NULL; an empty table when the text has no entry. */
struct oui *oui_parse(const char *text, size_t len);
/* The registry in a file. A file that does not exist gives *out = NULL and
 * 0: no vendors, not an error; one that cannot be read gives -1 and err. */
int oui_load(struct oui **out, const char *path, struct wt_err *err);
void oui_free(struct oui *o);
/* Entries read. o may be NULL. */
size_t oui_count(const struct oui *o);
/* The vendor of the first three bytes of mac, or NULL (unknown, or o NULL). */
const char *oui_vendor(const struct oui *o, const uint8_t mac[6]);

#endif
