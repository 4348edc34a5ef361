/* fuzz_mod_cms.c: the "CMSk-TYPE" decoder (analyze/mod_cms.c); see fuzz_module.h. */
#define FUZZ_MOD_TYPE "CMSk-TYPE"
#include "tools/fuzz/fuzz_module.h"
