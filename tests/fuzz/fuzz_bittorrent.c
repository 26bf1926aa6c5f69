/* fuzz_bittorrent.c - libFuzzer entry for the bittorrent dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_bittorrent)
