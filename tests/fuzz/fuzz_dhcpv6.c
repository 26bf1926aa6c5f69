/* fuzz_dhcpv6.c - libFuzzer entry for the dhcpv6 dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_dhcpv6)
