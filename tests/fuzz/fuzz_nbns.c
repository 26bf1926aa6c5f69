/* fuzz_nbns.c - libFuzzer entry for the nbns dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_nbns
#include "fuzz_dissector.h"
