/* fuzz_ntp.c - libFuzzer entry for the ntp dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_ntp
#include "fuzz_dissector.h"
