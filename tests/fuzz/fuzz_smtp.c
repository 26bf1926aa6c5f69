/* fuzz_smtp.c - libFuzzer entry for the smtp dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_smtp)
