/* fuzz_imap.c - libFuzzer entry for the imap dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_imap
#include "fuzz_dissector.h"
