/* fuzz_stun.c - libFuzzer entry for the stun dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_stun
#include "fuzz_dissector.h"
