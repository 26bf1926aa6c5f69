/* oui.h - hardware address vendors from the IEEE registries of MAC
 * address blocks, as Debian's ieee-data ships them in /usr/share/ieee-data:
 *
 *   oui.txt    MA-L, 24-bit prefixes   00-00-0C   (hex)		Cisco Systems, Inc
 *                                      00000C     (base 16)		Cisco Systems, Inc
 *   mam.txt    MA-M, 28-bit prefixes   20-85-93   (hex)		IOG Products LLC
 *                                      B00000-BFFFFF     (base 16)		IOG Products LLC
 *   oui36.txt  MA-S, 36-bit prefixes   70-B3-D5   (hex)		TELEPLATFORMS
 *                                      F2F000-F2FFFF     (base 16)		TELEPLATFORMS
 *   iab.txt    IAB, 36-bit prefixes    00-50-C2   (hex)		DEUTA-WERKE GmbH
 *              (MA-S's forerunner)     7D5000-7D5FFF     (base 16)	DEUTA-WERKE GmbH
 *
 * An MA-M or MA-S block lies inside an MA-L one (the IEEE's own, such as
 * 70-B3-D5): the most specific assignment names the address.
 * Opened at start, parsed at the first lookup; lookups may come from any
 * thread.
 */
#ifndef WT_BASE_OUI_H
#define WT_BASE_OUI_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define OUI_DEFAULT_PATH "/usr/share/ieee-data/oui.txt"
/* Beside the MA-L file, in the same folder. */
#define OUI_MAM_FILE "mam.txt"
#define OUI_MAS_FILE "oui36.txt"
#define OUI_IAB_FILE "iab.txt"

struct oui;

/* A registry in text (the "(hex)" lines, with the "(base 16)" range after
 * them in MA-M and MA-S; everything else is skipped). Never NULL; an empty
 * table when the text has no entry. */
struct oui *oui_parse(const char *text, size_t len);
/* The MA-L registry in the file `path`, with the MA-M, MA-S and IAB
 * registries beside it (OUI_MAM_FILE, OUI_MAS_FILE, OUI_IAB_FILE in its
 * folder), opened and mapped now and parsed at the first lookup. A file
 * that does not exist adds no vendors and is not an error (none at all:
 * *out = NULL and 0); one that cannot be opened or mapped gives -1 and err. */
int oui_load(struct oui **out, const char *path, struct wt_err *err);
void oui_free(struct oui *o);
/* Entries read. o may be NULL. */
size_t oui_count(struct oui *o);
/* The vendor of mac's longest registered prefix, or NULL (unknown, or o NULL). */
const char *oui_vendor(struct oui *o, const uint8_t mac[6]);

#endif
