/* fuzz_mod_tdigest.c: the "TDIS-TYPE" decoder (analyze/mod_tdigest.c); see fuzz_module.h. */
#define FUZZ_MOD_TYPE "TDIS-TYPE"
#include "tools/fuzz/fuzz_module.h"
