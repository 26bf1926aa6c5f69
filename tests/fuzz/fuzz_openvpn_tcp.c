/* fuzz_openvpn_tcp.c - libFuzzer entry for the openvpn_tcp dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_openvpn_tcp)
