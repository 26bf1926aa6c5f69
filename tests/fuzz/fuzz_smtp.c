/* fuzz_smtp.c - libFuzzer entry for the smtp dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_smtp
#include "fuzz_dissector.h"
