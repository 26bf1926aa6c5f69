/* fuzz_dhcp.c - libFuzzer entry for the dhcp dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_dhcp
#include "fuzz_dissector.h"
