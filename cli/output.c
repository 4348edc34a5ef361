/* output.c: checked output, atomic -o (output.h). */
#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

/* The temporary file a signal handler must remove. A global, because a
 * signal handler can reach nothing else; one output is open at a time. */
static volatile sig_atomic_t tmp_live;
static char tmp_path[PATH_MAX];

static void on_fatal_signal(int sig) {
    if (tmp_live) unlink(tmp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void guard_signals(bool on) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on ? on_fatal_signal : SIG_DFL;
        sigaction(sigs[i], &sa, NULL);
    }
}

const char *cli_out_where(const cli_out *o) { return o->path ? o->path : "standard output"; }

static void report_failure(cli_out *o, int err) {
    if (o->failed) return;
    o->failed = true;
    if (err == EPIPE && !o->path) {
        /* the reader went away (| head) and SIGPIPE is ignored: end as
         * SIGPIPE would have ended us, without a message */
        if (o->tmp[0]) unlink(o->tmp);
        _exit(141);
    }
    fprintf(stderr, "rdblens %s: writing %s: %s\n", o->cmd, cli_out_where(o),
            strerror(err ? err : EIO));
}

int cli_out_open(cli_out *o, const char *cmd, const char *path) {
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->path = path;
    if (!path) {
        o->f = stdout;
        return 0;
    }
    /* A device, a FIFO or a socket (/dev/null, /dev/stdout, a named pipe)
     * is written in place: there is nothing to replace atomically, and a
     * rename would put a regular file where the device was. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        if (!(o->f = fopen(path, "w"))) {
            fprintf(stderr, "rdblens %s: writing %s: %s\n", cmd, path, strerror(errno));
            return EXIT_INVALID;
        }
        o->in_place = true;
        return 0;
    }
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    if (snprintf(o->tmp, sizeof o->tmp, "%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path) >=
        (int)sizeof o->tmp) {
        fprintf(stderr, "rdblens %s: writing %s: %s\n", cmd, path, strerror(ENAMETOOLONG));
        return EXIT_INVALID;
    }
    int fd = mkostemp(o->tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        fprintf(stderr, "rdblens %s: writing %s: %s\n", cmd, path, strerror(e));
        o->tmp[0] = '\0';
        return EXIT_INVALID;
    }
    /* mkstemp makes the file 0600; a report is an ordinary file (0666 & ~umask) */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    snprintf(tmp_path, sizeof tmp_path, "%s", o->tmp);
    tmp_live = 1;
    guard_signals(true);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        tmp_live = 0;
        guard_signals(false);
        fprintf(stderr, "rdblens %s: writing %s: %s\n", cmd, path, strerror(e));
        return EXIT_INVALID;
    }
    return 0;
}

bool cli_out_error(cli_out *o) {
    if (o->failed) return true;
    if (!ferror(o->f)) return false;
    report_failure(o, errno);
    return true;
}

int cli_out_close(cli_out *o, bool keep) {
    if (!o->f) return o->failed ? EXIT_INVALID : 0;
    errno = 0;
    if (fflush(o->f) != 0 || ferror(o->f)) report_failure(o, errno);
    if (o->path && o->in_place) {
        errno = 0;
        if (fclose(o->f) != 0) report_failure(o, errno);
        o->f = NULL;
    } else if (o->path) {
        errno = 0;
        if (fclose(o->f) != 0) report_failure(o, errno);
        o->f = NULL;
        if (keep && !o->failed && rename(o->tmp, o->path) != 0) report_failure(o, errno);
        if (!keep || o->failed) unlink(o->tmp);
        tmp_live = 0;
        guard_signals(false);
        o->tmp[0] = '\0';
    } else {
        o->f = NULL;
    }
    return o->failed ? EXIT_INVALID : 0;
}

/* The HTML page's script nonce (its Content-Security-Policy): 16 random
 * bytes as base64url, so a name that slipped past the escapes could not
 * guess it. Without randomness, the renderer's fixed default; the escapes
 * are what keeps names inert, the policy is a second wall. */
const char *cli_html_nonce(char *buf, size_t cap) {
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint8_t r[16];
    if (cap < 2 * sizeof r || getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) return NULL;
    for (size_t i = 0; i < sizeof r; i++) buf[i] = b64[r[i] & 63];
    buf[sizeof r] = '\0';
    return buf;
}
