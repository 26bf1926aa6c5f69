/* fuzz_mqtt.c - libFuzzer entry for the mqtt dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_mqtt)
