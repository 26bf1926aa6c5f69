/* fuzz_stun_tcp.c - libFuzzer entry for the stun_tcp dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_stun_tcp)
