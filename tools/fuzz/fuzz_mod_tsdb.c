/* fuzz_mod_tsdb.c: the "TSDB-TYPE" decoder (analyze/mod_tsdb.c); see fuzz_module.h. */
#define FUZZ_MOD_TYPE "TSDB-TYPE"
#include "tools/fuzz/fuzz_module.h"
