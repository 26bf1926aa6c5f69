/* fuzz_xmpp.c - libFuzzer entry for the xmpp dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_xmpp)
