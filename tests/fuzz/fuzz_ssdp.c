/* fuzz_ssdp.c - libFuzzer entry for the ssdp dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_ssdp)
