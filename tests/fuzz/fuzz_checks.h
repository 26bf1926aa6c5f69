/* fuzz_checks.h - invariants the dissector harnesses assert after every
 * input (abort() makes libFuzzer report the input). */
#ifndef WT_FUZZ_CHECKS_H
#define WT_FUZZ_CHECKS_H

#include <stdlib.h>

#include "dissect/meta.h"

/* Every stored string is sanitized: no control bytes but the list separator. */
static inline void fuzz_check_strings(const struct flow_meta *m)
{
	size_t pos = 0;
	for (const char *s; (s = meta_str_next(m, &pos)) != NULL;)
		for (; *s; s++)
			if ((unsigned char)*s < 0x20 && *s != META_LIST_SEP)
				abort();
}

#endif
