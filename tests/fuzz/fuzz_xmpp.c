/* fuzz_xmpp.c - libFuzzer entry for the xmpp dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_xmpp
#include "fuzz_dissector.h"
