/* fuzz_pgsql.c - libFuzzer entry for the pgsql dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_pgsql)
