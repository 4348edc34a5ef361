/* fuzz_mod_bloom.c: the "MBbloom--" decoder (analyze/mod_bloom.c); see fuzz_module.h. */
#define FUZZ_MOD_TYPE "MBbloom--"
#include "tools/fuzz/fuzz_module.h"
