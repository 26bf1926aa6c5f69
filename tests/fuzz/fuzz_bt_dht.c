/* fuzz_bt_dht.c - libFuzzer entry for the bt_dht dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_bt_dht
#include "fuzz_dissector.h"
