/* fuzz_ssdp.c - libFuzzer entry for the ssdp dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_ssdp
#include "fuzz_dissector.h"
