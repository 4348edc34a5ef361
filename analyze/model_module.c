/* model_module.c: module values in the model: routes a value's opcode
 * stream to its type's decoder (modval.h) and turns the decoder's answer
 * into the key's MEMORY USAGE, allocations and basis.
 *
 * MEMORY USAGE of a module key (redis src/object.c objectComputeSize:
 * OBJ_MODULE -> moduleGetMemUsage -> the type's mem_usage callback; then
 * memoryCommand adds the key's sds and dict entry) = the module's
 * mem_usage + the key terms of the profile, checked on Debian's 7.0.15
 * against shared/corpus-modules: 1977688 = 1977632 (BF.INFO Size) + 24 +
 * J(1 + 22 + 1) for "bf:cap1000000:err0.001".
 * Allocations (src/module.c moduleTypeCreate / createModuleObject): the
 * robj (16) and a moduleValue {type, value} (16), plus what the module's
 * rdb_load allocated through RedisModule_Alloc (zmalloc, so in used_memory).
 */
#include <stdio.h>
#include <string.h>

#include "analyze/model_int.h"
#include "analyze/modval.h"

int model_config_module_version(model_config *c, const char *key, const char *value,
                                char *err, size_t errlen) {
    static const char suffix[] = "-module-version";
    size_t kl = strlen(key), sl = sizeof suffix - 1;
    err[0] = '\0';
    if (kl <= sl || strcmp(key + kl - sl, suffix) != 0) return -1;
    size_t ml = kl - sl;
    unsigned v = mod_parse_version(value);
    if (!v) {
        snprintf(err, errlen, "%s: not a module version (X.Y.Z or MODULE LIST's number): '%s'", key,
                 value);
        return -1;
    }
    if (ml >= sizeof c->modver[0].module) {
        snprintf(err, errlen, "%s: module name too long", key);
        return -1;
    }
    model_module_version *e = NULL;
    for (size_t i = 0; i < c->nmodver; i++)
        if (strlen(c->modver[i].module) == ml && memcmp(c->modver[i].module, key, ml) == 0)
            e = &c->modver[i];
    if (!e) {
        if (c->nmodver == MODEL_MAX_MODULE_VERSIONS) {
            snprintf(err, errlen, "%s: too many module versions", key);
            return -1;
        }
        e = &c->modver[c->nmodver++];
        memcpy(e->module, key, ml);
        e->module[ml] = '\0';
    }
    e->ver = v;
    return 0;
}

static unsigned module_version(const model *m, const char *module) {
    for (size_t i = 0; i < m->nmodver; i++)
        if (strcmp(m->modver[i].module, module) == 0) return m->modver[i].ver;
    return 0;
}

void model_module_release(key_state *ks) {
    module_state *ms = &ks->mod;
    if (ms->dec && ms->started && ms->dec->release) ms->dec->release(ms->st);
    ms->started = false;
}

static void note_module(model *m, const char *module) {
    for (size_t i = 0; i < m->nmodules_seen; i++)
        if (strcmp(m->modules_seen[i], module) == 0) return;
    if (m->nmodules_seen < sizeof m->modules_seen / sizeof m->modules_seen[0])
        m->modules_seen[m->nmodules_seen++] = module;
}

int model_on_module_value(void *ctx, const rdb_key *k, const rdb_module_type *t) {
    model *m = ctx;
    module_state *ms = &m->k.mod;
    (void)k;
    model_module_release(&m->k);
    ms->dec = mod_find(t->name);
    ms->bad = false;
    ms->encver = t->encver;
    if (!ms->dec || t->encver > ms->dec->max_encver || ms->dec->state_size > sizeof ms->st) {
        ms->dec = NULL;
        return RDB_SKIP;   /* sized by its bytes in the dump */
    }
    /* the module is loaded whether or not this key is: the server fails to
     * start on a dump holding values of a module it does not load */
    note_module(m, ms->dec->module);
    mod_env env = {.p = m->p, .encver = t->encver, .module_ver = module_version(m, ms->dec->module)};
    memset(ms->st, 0, sizeof ms->st);
    ms->dec->begin(ms->st, &env);
    ms->started = true;
    return RDB_CONTINUE;
}

static int give_up(model *m) {
    m->k.mod.bad = true;
    model_module_release(&m->k);
    return RDB_SKIP;
}

int model_on_module_op(void *ctx, const rdb_key *k, const rdb_module_op *op) {
    model *m = ctx;
    module_state *ms = &m->k.mod;
    (void)k;
    if (!ms->dec || ms->bad || !ms->started) return RDB_SKIP;
    int rc = ms->dec->op(ms->st, op);
    if (rc == MOD_BAD) return give_up(m);
    return rc == MOD_WANT_BYTES && ms->dec->bytes ? RDB_CONTINUE : RDB_NO_CONTENT;
}

int model_on_module_string(void *ctx, const rdb_key *k, const rdb_string_chunk *c) {
    model *m = ctx;
    module_state *ms = &m->k.mod;
    (void)k;
    if (!ms->dec || ms->bad || !ms->started || !ms->dec->bytes) return RDB_SKIP;
    return ms->dec->bytes(ms->st, c) == MOD_BAD ? give_up(m) : RDB_CONTINUE;
}

void model_module_cost(model *m, key_state *ks, const rdb_key_end *end, value_cost *out,
                       key_bytes_basis *basis, uint64_t *elements) {
    const model_profile *p = m->p;
    module_state *ms = &ks->mod;
    mod_size sz = {0, 0, 0};
    bool ok = ms->dec && !ms->bad && ms->started && ms->dec->end(ms->st, &sz) == MOD_OK;
    model_module_release(ks);
    uint64_t objects = je_size(p, p->robj) + je_size(p, 16);   /* robj + moduleValue */
    out->encoding = "raw";   /* OBJECT ENCODING of a module value (createObject's default) */
    if (ok) {
        *basis = ms->dec->basis;
        *elements = sz.elements;
        out->mu = sz.mem_usage;
        out->ram = objects + sz.ram;
    } else {
        /* not modelled: the value's size in the dump stands in for both */
        *basis = KEY_BASIS_SERIALIZED;
        *elements = 0;
        out->mu = end->value_bytes;
        out->ram = objects + end->value_bytes;
    }
    ms->dec = NULL;
}

uint64_t model_modules_ram(const model *m) {
    uint64_t sum = 0;
    for (size_t i = 0; i < m->nmodules_seen; i++) sum += mod_load_overhead(m->modules_seen[i], m->p);
    return sum;
}
