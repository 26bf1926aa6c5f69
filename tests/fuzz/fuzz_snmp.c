/* fuzz_snmp.c - libFuzzer entry for the snmp dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_snmp
#include "fuzz_dissector.h"
