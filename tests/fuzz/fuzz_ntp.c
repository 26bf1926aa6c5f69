/* fuzz_ntp.c - libFuzzer entry for the ntp dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_ntp)
