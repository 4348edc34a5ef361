/* compress.c: see compress.h. */
#include "tests/support/compress.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/minijson.h"
#include "tests/support/rdbbuild.h"

const char *const tc_tool[TC_FORMATS] = {"gzip -c", "zstd -q -c", "lz4 -q -c", "xz -c", "bzip2 -c"};
const source_format tc_format[TC_FORMATS] = {SOURCE_GZIP, SOURCE_ZSTD, SOURCE_LZ4, SOURCE_XZ,
                                              SOURCE_BZIP2};

uint8_t *tc_compress(const char *tool, const uint8_t *in, size_t n, size_t *out_len) {
    char src[] = "/tmp/rdblens-tc-XXXXXX";
    int fd = mkstemp(src);
    if (fd < 0) return NULL;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, in + off, n - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    close(fd);
    char dst[64], cmd[256];
    snprintf(dst, sizeof dst, "%s.out", src);
    snprintf(cmd, sizeof cmd, "%s %s > %s", tool, src, dst);
    uint8_t *out = NULL;
    if (off == n && system(cmd) == 0) out = (uint8_t *)mj_slurp(dst, out_len);
    unlink(src);
    unlink(dst);
    return out;
}

rdb_source *tc_open(const uint8_t *buf, size_t n, int as_pipe, int *fd, char *err, size_t errlen) {
    if (!as_pipe) {
        *fd = rb_memfd(buf, n);
        return source_open_fd(*fd, 1, n, err, errlen);
    }
    int p[2];
    if (n > 65536 || pipe(p) != 0) {
        snprintf(err, errlen, "input too large for a pipe");
        return NULL;
    }
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(p[1], buf + off, n - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    close(p[1]);
    *fd = p[0];
    return source_open_fd(p[0], 0, 0, err, errlen);
}
