/* fuzz_ftp.c - libFuzzer entry for the ftp dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_ftp)
