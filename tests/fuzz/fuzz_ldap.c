/* fuzz_ldap.c - libFuzzer entry for the ldap dissector (see fuzz_dissector.h). */
#include "fuzz_dissector.h"

FUZZ_DISSECTOR_TARGET(dissector_ldap)
