/* fuzz_openvpn.c - libFuzzer entry for the openvpn dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_openvpn)
