/* fuzz_nbns.c - libFuzzer entry for the nbns dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_nbns)
