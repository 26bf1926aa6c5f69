/* fuzz_wireguard.c - libFuzzer entry for the wireguard dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_wireguard)
