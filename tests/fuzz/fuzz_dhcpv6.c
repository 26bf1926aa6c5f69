/* fuzz_dhcpv6.c - libFuzzer entry for the dhcpv6 dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_dhcpv6
#include "fuzz_dissector.h"
