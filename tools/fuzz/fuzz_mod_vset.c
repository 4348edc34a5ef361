/* fuzz_mod_vset.c: the "vectorset" decoder (analyze/mod_vset.c); see fuzz_module.h. */
#define FUZZ_MOD_TYPE "vectorset"
#include "tools/fuzz/fuzz_module.h"
