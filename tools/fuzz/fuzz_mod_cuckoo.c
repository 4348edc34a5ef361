/* fuzz_mod_cuckoo.c: the "MBbloomCF" decoder (analyze/mod_cuckoo.c); see fuzz_module.h. */
#define FUZZ_MOD_TYPE "MBbloomCF"
#include "tools/fuzz/fuzz_module.h"
