/* fuzz_http2.c - libFuzzer entry for the http2 dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_http2
#include "fuzz_dissector.h"
