/* modval.c: the table of module decoders, module load overheads and
 * module version strings (modval.h). */
#include "analyze/modval.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/model_int.h"

static const mod_decoder *const decoders[] = {
    &mod_bloom, &mod_cuckoo, &mod_cms, &mod_topk, &mod_tdigest, &mod_tsdb, &mod_json, &mod_vset,
};

const mod_decoder *mod_find(const char *type) {
    for (size_t i = 0; i < sizeof decoders / sizeof decoders[0]; i++)
        if (strcmp(decoders[i]->type, type) == 0) return decoders[i];
    return NULL;
}

size_t mod_decoder_count(void) { return sizeof decoders / sizeof decoders[0]; }
const mod_decoder *mod_decoder_at(size_t i) { return i < mod_decoder_count() ? decoders[i] : NULL; }

/* used_memory of an empty Debian redis-server 7.0.15 with the module loaded
 * (shared/corpus-modules meta-*.json baseline_used_memory; the mean of the
 * two builds of each module, which differ by 160 and 248 bytes):
 *   bf          RedisBloom 2.4.23: 1059152, 2.6.28: 1058992 -> 1059072
 *   timeseries  RedisTimeSeries 1.8.23: 1090792, 1.10.24: 1091040 -> 1090916
 * minus the same server without modules (916280, profile.c, measured with
 * latency-tracking off) and minus the three per-command latency histograms
 * that server had allocated when it was measured (PING, INFO, MODULE LIST
 * ran first; src/server.c updateCommandLatencyHistogram: hdr_init(1, 1e9,
 * 2) = a 104-byte struct and 3072 int64 counters, J(104) + J(24576) = 24688
 * bytes on that allocator): 1059072 - 916280 - 3 * 24688 = 68728 and
 * 1090916 - 916280 - 74064 = 100572. No other server version was
 * measured: the same numbers stand for every profile (an estimate).
 * RedisJSON and vector sets were not measured (0). */
uint64_t mod_load_overhead(const char *module, const model_profile *p) {
    (void)p;
    if (strcmp(module, "bf") == 0) return 68728;
    if (strcmp(module, "timeseries") == 0) return 100572;
    return 0;
}

unsigned mod_parse_version(const char *s) {
    if (!s || !*s) return 0;
    char *end;
    unsigned long a = strtoul(s, &end, 10);
    if (end == s) return 0;
    if (*end == '\0') return a > 0 && a < 10000000 ? (unsigned)a : 0;  /* MODULE LIST form */
    if (*end != '.') return 0;
    unsigned long b = strtoul(end + 1, &end, 10), c = 0;
    if (*end == '.') c = strtoul(end + 1, &end, 10);
    if (*end || a > 999 || b > 99 || c > 99) return 0;
    return (unsigned)(a * 10000 + b * 100 + c);
}
