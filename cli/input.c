/* input.c: files, stdin and multi-part AOF directories (input.h). */
#include "cli/input.h"
#include "source/source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The byte source over in->fd: plain or a decoder, told by the first bytes. */
static int open_source(input *in, char *err, size_t errlen) {
    char why[256];
    in->src = source_open_fd(in->fd, in->regular, in->size, why, sizeof why);
    if (!in->src) {
        snprintf(err, errlen, "%s: %s", in->path, why);
        if (in->kind != INPUT_STDIN) close(in->fd);
        in->fd = -1;
        return -1;
    }
    if (strcmp(in->src->format, "plain") != 0) in->compression = in->src->format;
    return 0;
}

static int open_file(const char *path, input *in, char *err, size_t errlen) {
    in->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (in->fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode)) {
        in->size = (uint64_t)st.st_size;
        in->mtime_s = (int64_t)st.st_mtime;
        in->regular = true;
    }
    snprintf(in->path, sizeof in->path, "%s", path);
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    return open_source(in, err, errlen);
}

/* Reads one manifest token: bare, or double-quoted with backslash escapes
 * (Redis quotes names that contain spaces). Returns the rest of the line. */
static const char *next_token(const char *s, char *tok, size_t cap) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = 0;
    if (*s == '"') {
        s++;
        while (*s && *s != '"') {
            if (*s == '\\' && s[1]) s++;
            if (n + 1 < cap) tok[n++] = *s;
            s++;
        }
        if (*s == '"') s++;
    } else {
        while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
            if (n + 1 < cap) tok[n++] = *s;
            s++;
        }
    }
    tok[n] = '\0';
    return s;
}

static int open_manifest(const char *dir, const char *manifest, input *in, char *err, size_t errlen) {
    FILE *f = fopen(manifest, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open AOF manifest %s: %s", manifest, strerror(errno));
        return -1;
    }
    char line[PATH_MAX + 128], base[PATH_MAX] = "";
    while (fgets(line, sizeof line, f)) {
        char key[32], val[PATH_MAX], file[PATH_MAX] = "", type[8] = "";
        const char *s = line;
        for (;;) {
            s = next_token(s, key, sizeof key);
            if (!key[0]) break;
            s = next_token(s, val, sizeof val);
            if (strcmp(key, "file") == 0) snprintf(file, sizeof file, "%s", val);
            else if (strcmp(key, "type") == 0) snprintf(type, sizeof type, "%.7s", val);
        }
        if (!file[0]) continue;
        if (strcmp(type, "b") == 0) {
            snprintf(base, sizeof base, "%s", file);
        } else if (strcmp(type, "i") == 0) {
            char p[PATH_MAX * 2];
            snprintf(p, sizeof p, "%s/%s", dir, file);
            struct stat st;
            in->incr_files++;
            if (stat(p, &st) == 0) in->incr_bytes += (uint64_t)st.st_size;
            char **v = realloc(in->incr_paths, (in->nincr + 1) * sizeof *v);
            if (v) {
                in->incr_paths = v;
                if ((v[in->nincr] = strdup(p))) in->nincr++;
            }
        }
    }
    fclose(f);
    if (!base[0]) {
        snprintf(err, errlen, "AOF manifest %s names no base file (type b)", manifest);
        return -1;
    }
    size_t bl = strlen(base);
    if (bl >= 4 && strcmp(base + bl - 4, ".aof") == 0) {
        snprintf(err, errlen, "the AOF base file %s is plain RESP commands (aof-use-rdb-preamble no); there is no RDB to analyze",
                 base);
        return -1;
    }
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", dir, base);
    in->kind = INPUT_AOF_MANIFEST;
    return open_file(p, in, err, errlen);
}

static int find_manifest(const char *dir, char *out, size_t cap) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int found = -1;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 9 && strcmp(e->d_name + n - 9, ".manifest") == 0) {
            snprintf(out, cap, "%s/%s", dir, e->d_name);
            found = 0;
            break;
        }
    }
    closedir(d);
    return found;
}

static void free_incr(input *in) {
    for (size_t i = 0; i < in->nincr; i++) free(in->incr_paths[i]);
    free(in->incr_paths);
    in->incr_paths = NULL;
    in->nincr = 0;
}

static int open_input(const char *arg, input *in, char *err, size_t errlen);

int input_open(const char *arg, input *in, char *err, size_t errlen) {
    int rc = open_input(arg, in, err, errlen);
    if (rc != 0) free_incr(in);
    return rc;
}

static int open_input(const char *arg, input *in, char *err, size_t errlen) {
    memset(in, 0, sizeof *in);
    in->arg = arg;
    in->fd = -1;
    if (strcmp(arg, "-") == 0) {
        in->kind = INPUT_STDIN;
        in->fd = STDIN_FILENO;
        snprintf(in->path, sizeof in->path, "-");
        return open_source(in, err, errlen);
    }
    struct stat st;
    if (stat(arg, &st) != 0) {
        snprintf(err, errlen, "cannot open %s: %s", arg, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        char manifest[PATH_MAX * 2];
        if (find_manifest(arg, manifest, sizeof manifest) != 0) {
            snprintf(err, errlen, "%s is a directory without an AOF manifest (*.manifest)", arg);
            return -1;
        }
        return open_manifest(arg, manifest, in, err, errlen);
    }
    size_t n = strlen(arg);
    if (n > 9 && strcmp(arg + n - 9, ".manifest") == 0) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", arg);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = '\0';
        else snprintf(dir, sizeof dir, ".");
        return open_manifest(dir, arg, in, err, errlen);
    }
    in->kind = INPUT_RDB;
    return open_file(arg, in, err, errlen);
}

void input_close(input *in) {
    source_close(in->src);
    in->src = NULL;
    if (in->fd >= 0 && in->kind != INPUT_STDIN) close(in->fd);
    in->fd = -1;
    free_incr(in);
}
