/* fuzz_dhcp.c - libFuzzer entry for the dhcp dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_dhcp)
