/* fuzz_pgsql.c - libFuzzer entry for the pgsql dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_pgsql
#include "fuzz_dissector.h"
