/* fuzz_mqtt.c - libFuzzer entry for the mqtt dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_mqtt
#include "fuzz_dissector.h"
