/* fuzz_snmp.c - libFuzzer entry for the snmp dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_snmp)
