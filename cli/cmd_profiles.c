/* cmd_profiles.c: `rdblens profiles`: the memory model's server lines. */
#include <stdio.h>
#include <string.h>

#include "analyze/model.h"
#include "cli/cli.h"

int cmd_profiles(int argc, char **argv) {
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("usage: rdblens profiles\n\nLists the memory profiles --profile accepts; the default is inferred\n"
             "from the dump (aux redis-ver / valkey-ver, else the RDB version).");
        return EXIT_VALID;
    }
    if (argc > 1) {
        fputs("usage: rdblens profiles\n", stderr);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < model_profile_count(); i++) {
        const model_profile *p = model_profile_at(i);
        printf("%-16s %s\n", model_profile_name(p), model_profile_describe(p));
    }
    return EXIT_VALID;
}
