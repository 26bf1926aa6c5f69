/* fuzz_checks.h - invariants the dissector harnesses assert after every
 * input (abort() makes libFuzzer report the input). */
#ifndef WT_FUZZ_CHECKS_H
#define WT_FUZZ_CHECKS_H

#include <stdlib.h>

#include "dissect/meta.h"

/* Every stored string is sanitized: no control bytes but the list separator. */
static inline void fuzz_check_strings(const struct flow_meta *m)
{
	for (int f = 0; f < META_STR_COUNT; f++) {
		const char *s = meta_str(m, (enum meta_str)f);
		for (; s && *s; s++)
			if ((unsigned char)*s < 0x20 && *s != META_LIST_SEP)
				abort();
	}
}

#endif
