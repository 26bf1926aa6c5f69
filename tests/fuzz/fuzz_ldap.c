/* fuzz_ldap.c - libFuzzer entry for the ldap dissector (see fuzz_dissector.h). */
#define FUZZ_DISSECTOR dissector_ldap
#include "fuzz_dissector.h"
