/* fuzz_stun.c - libFuzzer entry for the stun dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_stun)
