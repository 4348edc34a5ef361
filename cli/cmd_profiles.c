/* cmd_profiles.c: `rdblens profiles`: the memory model's server lines. */
#include <stdio.h>
#include <string.h>

#include "analyze/model.h"
#include "cli/cli.h"
#include "cli/opt.h"
#include "cli/output.h"
#include "report/keyfmt.h"

int cmd_profiles(int argc, char **argv) {
    cli_args a;
    int rc = cli_parse(CMD_PROFILES, argc, argv, &a);
    if (rc >= 0) return rc;
    cli_out out;
    if ((rc = cli_out_open(&out, "profiles", a.output)) != 0) {
        cli_args_free(&a);
        return rc;
    }
    bool json = !strcmp(a.format, "json");
    if (json) fputs("[\n", out.f);
    for (size_t i = 0; i < model_profile_count(); i++) {
        const model_profile *p = model_profile_at(i);
        const char *name = model_profile_name(p), *about = model_profile_describe(p);
        if (json) {
            fputs("  {\"name\":", out.f);
            keyfmt_json_string(out.f, (const uint8_t *)name, strlen(name));
            fputs(",\"description\":", out.f);
            keyfmt_json_string(out.f, (const uint8_t *)about, strlen(about));
            fputs(i + 1 < model_profile_count() ? "},\n" : "}\n", out.f);
        } else {
            fprintf(out.f, "%-16s %s\n", name, about);
        }
    }
    if (json) fputs("]\n", out.f);
    rc = cli_out_close(&out, true);
    cli_args_free(&a);
    return rc;
}
