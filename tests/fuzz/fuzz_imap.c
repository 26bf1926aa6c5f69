/* fuzz_imap.c - libFuzzer entry for the imap dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_imap)
