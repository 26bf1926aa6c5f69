/* fuzz_http2.c - libFuzzer entry for the http2 dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_http2)
