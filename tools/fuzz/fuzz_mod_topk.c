/* fuzz_mod_topk.c: the "TopK-TYPE" decoder (analyze/mod_topk.c); see fuzz_module.h. */
#define FUZZ_MOD_TYPE "TopK-TYPE"
#include "tools/fuzz/fuzz_module.h"
