/* fuzz_pop3.c - libFuzzer entry for the pop3 dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_pop3
#include "fuzz_dissector.h"
