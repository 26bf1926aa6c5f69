/* fuzz_stun_tcp.c - libFuzzer entry for the stun_tcp dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_stun_tcp
#include "fuzz_dissector.h"
