/* fuzz_mod_json.c: the "ReJSON-RL" decoder (analyze/mod_json.c); see fuzz_module.h. */
#define FUZZ_MOD_TYPE "ReJSON-RL"
#include "tools/fuzz/fuzz_module.h"
