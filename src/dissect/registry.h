/* registry.h - the one list of application-protocol dissectors. */
#ifndef WT_DISSECT_REGISTRY_H
#define WT_DISSECT_REGISTRY_H

#include <stddef.h>

#include "dissect/dissector.h"

/* At most this many dissectors (the driver keeps candidates in a bitmask). */
#define REGISTRY_MAX 32

/* Every dissector, in the order tried when no port hint matches. */
const struct dissector *const *registry_all(size_t *n);
/* Runs every dissector's prepare hook; call once before confinement. */
void registry_prepare(void);

#endif
