/* fuzz_pop3.c - libFuzzer entry for the pop3 dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_pop3)
