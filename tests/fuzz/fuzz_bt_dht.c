/* fuzz_bt_dht.c - libFuzzer entry for the bt_dht dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_bt_dht)
