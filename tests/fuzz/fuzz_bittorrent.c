/* fuzz_bittorrent.c - libFuzzer entry for the bittorrent dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_bittorrent
#include "fuzz_dissector.h"
