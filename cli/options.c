/* options.c: the memory-model options keys and report share (cli.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int model_opts_parse(model_opts *mo, int opt, const char *arg, const char *cmd) {
    switch (opt) {
    case OPT_PROFILE:
        mo->profile = model_profile_find(arg);
        if (!mo->profile) {
            fprintf(stderr, "rdblens %s: unknown profile '%s' (see rdblens profiles)\n", cmd, arg);
            return EXIT_USAGE;
        }
        return mo->cluster ? model_opts_parse(mo, OPT_CLUSTER, NULL, cmd) : 0;
    case OPT_CLUSTER:
        if (mo->profile && !model_profile_has_cluster(mo->profile)) {
            fprintf(stderr, "rdblens %s: --cluster: %s has no cluster-mode model (cluster nodes are "
                    "modelled from redis-6.2 on)\n", cmd, model_profile_name(mo->profile));
            return EXIT_USAGE;
        }
        mo->cluster = true;
        return 0;
    case OPT_CONFIG: {
        const char *eq = strchr(arg, '=');
        if (!eq || eq == arg) {
            fprintf(stderr, "rdblens %s: --config takes KEY=VALUE, got '%s'\n", cmd, arg);
            return EXIT_USAGE;
        }
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)(eq - arg), arg);
        if (!mo->config) mo->config = model_config_new();
        char err[256];
        if (!mo->config || model_config_set(mo->config, key, eq + 1, err, sizeof err) != 0) {
            fprintf(stderr, "rdblens %s: --config %s: %s\n", cmd, arg, mo->config ? err : "out of memory");
            return EXIT_USAGE;
        }
        return 0;
    }
    default: return EXIT_USAGE;
    }
}

void model_opts_apply(const model_opts *mo, pipeline *pl) {
    pl->use_model = true;
    pl->profile = mo->profile;
    pl->config = mo->config;
    pl->has_now = mo->has_now;
    pl->now_ms = mo->now_ms;
    pl->cluster = mo->cluster;
    pl->cluster_why = mo->cluster_why;
}

void model_opts_free(model_opts *mo) {
    if (mo->config) model_config_free(mo->config);
    mo->config = NULL;
}
