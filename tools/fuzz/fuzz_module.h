/* fuzz_module.h: the body of the module-decoder harnesses
 * (fuzz_mod_<name>.c define FUZZ_MOD_TYPE, the 9-character type name, and
 * include this). The first input byte is the encoding version, the rest
 * the value's opcode stream after its type id:
 *   REDIS0011 07 01 'k' 81 <id: name, encver> <fuzz> FF 0*8
 * The dump goes through the parser's own checks (fz_parse_both), then
 * through the memory model with every module event routed to the decoder
 * (analyze/mod_*.c), which must either size the value or give up on it
 * (serialized size), never crash, leak or read outside what it is handed;
 * and a value the model sized must have a basis and bytes of at least the
 * key's own overhead. */
#include "tools/fuzz/fuzz_common.h"

#include "analyze/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fzm { model *m; int keys; } fzm;

static int m_key_begin(void *c, const rdb_key *k) { return model_on_key_begin(((fzm *)c)->m, k); }
static int m_value(void *c, const rdb_key *k, const rdb_module_type *t) { return model_on_module_value(((fzm *)c)->m, k, t); }
static int m_op(void *c, const rdb_key *k, const rdb_module_op *op) { return model_on_module_op(((fzm *)c)->m, k, op); }
static int m_string(void *c, const rdb_key *k, const rdb_string_chunk *s) { return model_on_module_string(((fzm *)c)->m, k, s); }
static int m_key_end(void *c, const rdb_key *k, const rdb_key_end *end) {
    fzm *x = c;
    key_record r;
    memset(&r, 0, sizeof r);
    model_key_end(x->m, k, end, &r);
    /* the mutated stream may end early and leave other keys after it: only
     * module values must be sized (an ARRAY in an RDB 11 file, say, is read
     * but has no model there) */
    if (k->kind != RDB_KIND_MODULE) return RDB_CONTINUE;
    if (!r.has_bytes || r.bytes_basis >= KEY_BASIS_COUNT_ || r.bytes < 24 ||
        (r.bytes_basis == KEY_BASIS_SERIALIZED && r.bytes < end->value_bytes)) {
        fprintf(stderr, "fuzz: module value sized %llu (basis %d, %llu bytes in the dump)\n",
                (unsigned long long)r.bytes, (int)r.bytes_basis, (unsigned long long)end->value_bytes);
        abort();
    }
    x->keys++;
    return RDB_CONTINUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char charset[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static const uint8_t eof[9] = {0xFF};
    if (size < 1) return 0;
    uint64_t id = 0;
    for (int i = 0; i < 9; i++) id = id << 6 | (uint64_t)(strchr(charset, FUZZ_MOD_TYPE[i]) - charset);
    id = id << 10 | data[0];
    uint8_t pre[22] = {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '1', 7, 1, 'k', 0x81};
    for (int i = 0; i < 8; i++) pre[13 + i] = (uint8_t)(id >> (56 - 8 * i));
    size_t npre = 21, n = npre + (size - 1) + sizeof eof;
    uint8_t *buf = malloc(n);
    if (!buf) return 0;
    memcpy(buf, pre, npre);
    memcpy(buf + npre, data + 1, size - 1);
    memcpy(buf + npre + size - 1, eof, sizeof eof);
    fz_parse_both(buf, n);

    static const char *const profiles[] = {"redis-7.0", "redis-7.2", "redis-8.0"};
    fzm x = {model_new(model_profile_find(profiles[data[0] % 3]), NULL), 0};
    rdb_handlers h;
    memset(&h, 0, sizeof h);
    h.on_key_begin = m_key_begin;
    h.on_module_value = m_value;
    h.on_module_op = m_op;
    h.on_module_string = m_string;
    h.on_key_end = m_key_end;
    /* fz_parse_both left the input in fz_fd */
    if (lseek(fz_fd, 0, SEEK_SET) != 0) { perror("lseek"); abort(); }
    rdb_options o = {.input_size = n};
    static rdb_result res;
    rdb_parse_fd(fz_fd, &h, &x, &o, &res);
    model_totals t;
    model_finish(x.m, &t);
    model_free(x.m);
    free(buf);
    return 0;
}
