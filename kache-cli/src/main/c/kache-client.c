/*
 * kache-client: the wrapper's fast path. cargo runs it once per rustc call; it hands the call to
 * the kache server (a long-lived JVM on a Unix socket), which serves cacheable compiles — hits and
 * misses — with the wrapper's own logic and streams rustc's output back as it comes. A call then
 * costs a socket round trip instead of a JVM start. Anything the server declines (a broken
 * configuration, KACHE_DISABLED), no server yet, or any error runs the ordinary JVM wrapper (argv[1]) with the same arguments,
 * which behaves exactly as without a server. A call kache passes through unchanged the server
 * hands back, and this runs it itself. It starts the server when none answers. It talks only to a
 * server of its own user: the request carries the caller's whole environment, secrets too.
 *
 * It also hands the server `kache sync`, which the server runs in its warm JVM (bin/kache sends it).
 *
 * Usage: kache-client --kache-launcher LAUNCHER JAR RUSTC ARGS...   (from bin/kache)
 *        kache-client --kache-launcher LAUNCHER JAR sync ARGS...    (from bin/kache)
 *        kache-client RUSTC ARGS...                                   (as cargo's rustc-wrapper)
 *   LAUNCHER      bin/kache: run as `LAUNCHER --kache-jvm ...` it goes straight to the JVM
 *   JAR           the kache-cli jar: its size, mtime, device and inode name the socket, so a rebuilt
 *                 kache, and another copy of it, gets a new server
 * As the rustc-wrapper itself (what `kache init` sets up in a release archive) it finds LAUNCHER
 * and JAR beside its own executable, and no shell starts on any call: sh with cargo's
 * LD_LIBRARY_PATH costs about a millisecond per call, a fifth of a hit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <dirent.h>
#include <limits.h>
#include <unistd.h>

extern char **environ;

/* Waiting for the server's first answer; after that a compile may take as long as it takes. */
#define FIRST_ANSWER_TIMEOUT_MS 120000

static void fallback(char **argv) {
    /* LAUNCHER --kache-jvm RUSTC ARGS...: JAR's slot in argv becomes the flag. */
    argv[2] = "--kache-jvm";
    execv(argv[1], argv + 1);
    perror("kache-client: cannot run the JVM wrapper");
    _exit(127);
}

typedef struct {
    char *data;
    size_t len, cap;
} buf_t;

static int put(buf_t *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static int put_u32(buf_t *b, uint32_t v) {
    unsigned char le[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff};
    return put(b, le, 4);
}

static int put_str(buf_t *b, const char *s) {
    size_t n = strlen(s);
    return put_u32(b, (uint32_t) n) || put(b, s, n);
}

/* Whether D is a server directory: a directory (not a symlink), ours, that nobody else can enter. */
static int private_dir(const struct stat *d) {
    return S_ISDIR(d->st_mode) && d->st_uid == getuid() && (d->st_mode & 077) == 0;
}

static int socket_path(const char *jar, char *out, size_t size) {
    struct stat st;
    if (stat(jar, &st) != 0) return -1;
    /* Sized so that whatever fits in sun_path with a socket's name fits here too. */
    char dir[sizeof(((struct sockaddr_un *) 0)->sun_path)];
    const char *configured = getenv("KACHE_SERVER_DIR");
    if (!configured || !*configured) {
        snprintf(dir, sizeof dir, "/tmp/kache-%u", (unsigned) getuid());
    } else {
        /* Relative, it would name another directory for each crate (cargo runs rustc in each
         * package's directory), each with a server of its own: not a server directory
         * (ServerDirectory.named says the same, and the JVM wrapper tells the user). */
        size_t n = strlen(configured);
        if (configured[0] != '/' || n >= sizeof dir) return -1;
        /* Without its trailing slashes, as Java's Path reads it: lstat("link/") follows the link,
         * so the link would pass below, and the server, seeing the link, would refuse to start. */
        while (n > 1 && configured[n - 1] == '/') n--;
        memcpy(dir, configured, n);
        dir[n] = 0;
    }
    /*
     * Only a directory of our own that nobody else can enter: in a shared /tmp another user could
     * otherwise plant a socket and answer for the server. lstat: a symlink, wherever it points, is
     * not such a directory (another user may own the link, or swap its target). A missing
     * directory is fine (the server creates it 0700 and checks it as this does); anything else
     * means "no server". Whoever listens is checked on connect all the same (connect_to): the
     * directory may change after this look.
     */
    struct stat d;
    if (lstat(dir, &d) == 0 && !private_dir(&d)) return -1;
    /* The jar's device and inode too: two copies of one release (same size and mtime) are two
     * installs, each with its own server. And the caller's umask: what a server creates (a miss's
     * outputs, pulled entries, a filesystem remote's objects) takes the umask of the process that
     * started it, which the JVM cannot change per call; so each umask has a server of its own. */
    mode_t mask = umask(0);
    umask(mask);
    int n = snprintf(out, size, "%s/server-%lld-%lld-%llx-%llx-m%03o.sock", dir, (long long) st.st_size,
                     (long long) st.st_mtime, (unsigned long long) st.st_dev, (unsigned long long) st.st_ino,
                     (unsigned) mask);
    return (n > 0 && (size_t) n < size && (size_t) n < sizeof(((struct sockaddr_un *) 0)->sun_path)) ? 0 : -1;
}

/* Starts `LAUNCHER --kache-jvm __server SOCKET` detached: its own session, no pipes shared with cargo. */
static void start_server(const char *launcher, const char *sock) {
    pid_t pid = fork();
    if (pid != 0) {
        if (pid > 0) waitpid(pid, NULL, 0); /* the intermediate child exits at once */
        return;
    }
    setsid();
    if (fork() != 0) _exit(0);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2) close(null);
    }
    for (int fd = 3; fd < 1024; fd++) close(fd);
    execl(launcher, launcher, "--kache-jvm", "__server", sock, (char *) NULL);
    _exit(127);
}

/*
 * A socket connected to SOCK with a process of this user at the other end, or -1 with errno set:
 * EPERM when another user's process listens there. The directory checks cannot make sure of that:
 * the directory may be missing when checked and made by another user before the connect, or
 * swapped for theirs. Only the kernel's word on who listens does: SO_PEERCRED is the listener's
 * credentials from its listen(), which no process of another user can pass off as ours. Nothing
 * is sent before this check: the request holds the whole environment, secrets too.
 */
static int connect_to(const char *sock) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, sock, strlen(sock) + 1); /* socket_path checked the length */
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    struct ucred peer;
    socklen_t len = sizeof peer;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 || len != sizeof peer || peer.uid != getuid()) {
        close(fd);
        errno = EPERM;
        return -1;
    }
    return fd;
}

/* Whether a kache server holds SOCK.lock (Java's FileLock: an fcntl lock on the whole file): one
 * is running or starting. The lock file is in the directory socket_path checked, never a symlink. */
static int server_holds_lock(const char *sock) {
    char lock[PATH_MAX];
    if (snprintf(lock, sizeof lock, "%s.lock", sock) >= (int) sizeof lock) return 0;
    int fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return 0;
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    int held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* How long a call waits for a server that is starting, and how soon it gives up on one that never
 * took its lock (no Java, a broken install): then the call runs in a JVM of its own, as before. */
#define SERVER_START_WAIT_MS 3000
#define SERVER_LOCK_GRACE_MS 750

/* How long a start is taken to be under way: a JVM that has not taken its lock by then failed. */
#define START_MARK_S 10

/*
 * Whether this call is the one to start the server (1): not when the server holds its lock or
 * another call marked a start in the last START_MARK_S seconds (0), nor when the directory is not
 * this user's alone (-1): the server refuses it and a socket there may be anyone's, so the call
 * runs in a JVM of its own at once, neither starting nor waiting for a server.
 *
 * The mark, SOCK.starting, is made with O_EXCL, so of calls that race while a JVM boots (builds
 * started together) exactly one starts a JVM; each boot costs about 0.3 s of CPU on cores the
 * builds need, and all but one would lose the lock and exit. The server removes the mark once it
 * holds its lock. A call that can make no mark starts the server, as before marks.
 *
 * The mark is made relative to the directory opened with O_NOFOLLOW and checked on that descriptor
 * (a directory, ours, owner-only), never through a path another user could swap for a symlink
 * between a check and the open. A missing directory is made as the server makes it, 0700, with its
 * parents; one that cannot be made is no server's (-1). The directory
 * is checked before the lock: a lock in a directory that is not ours says nothing. A mark dated in
 * the future (the clock stepped back) is as stale as an old one. Two calls that both find a stale
 * mark may both start a JVM: the one that loses the lock exits, as before marks.
 */
/* Makes DIR's missing parents as the server's Files.createDirectories does: mode 0777 less the umask. */
static int make_parents(char *dir) {
    for (char *p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = 0;
        int made = mkdir(dir, 0777) == 0 || errno == EEXIST;
        *p = '/';
        if (!made) return -1;
    }
    return 0;
}

static int claim_start(const char *sock) {
    char dir[PATH_MAX], mark[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s", sock) >= (int) sizeof dir) return 1;
    char *slash = strrchr(dir, '/');
    if (!slash || snprintf(mark, sizeof mark, "%s.starting", slash + 1) >= (int) sizeof mark) return 1;
    *slash = 0;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        /* A directory that cannot be made (a parent read-only, or a file) the server cannot make
         * either: started anyway, it would fail, and every call would wait for it and then run a
         * JVM of its own. */
        if (errno != ENOENT || make_parents(dir) != 0 || (mkdir(dir, 0700) != 0 && errno != EEXIST)) return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) return -1; /* a symlink, no directory, or one we cannot read: not ours alone */
    struct stat d;
    if (fstat(dfd, &d) != 0 || !private_dir(&d)) {
        close(dfd);
        return -1;
    }
    if (server_holds_lock(sock)) {
        close(dfd);
        return 0;
    }
    int claim = 1; /* unless a fresh mark says another call is starting it */
    for (int attempt = 0; attempt < 3; attempt++) {
        int fd = openat(dfd, mark, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            close(fd);
            break;
        }
        if (errno != EEXIST) break;
        struct stat st;
        if (fstatat(dfd, mark, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (server_holds_lock(sock)) { /* removed: the server took its lock */
                claim = 0;
                break;
            }
            continue;
        }
        time_t age = time(NULL) - st.st_mtime;
        if (age >= 0 && age < START_MARK_S) {
            claim = 0;
            break;
        }
        unlinkat(dfd, mark, 0); /* a start that failed, or a clock that stepped back */
    }
    close(dfd);
    return claim;
}

static int await_server(const char *sock) {
    for (int waited = 0; waited < SERVER_START_WAIT_MS; waited += 5) {
        usleep(5000);
        int fd = connect_to(sock);
        if (fd >= 0) return fd;
        if (errno == EPERM) return -1; /* another user's socket: no server of ours will come */
        if (waited >= SERVER_LOCK_GRACE_MS && !server_holds_lock(sock)) return -1;
    }
    return -1;
}

static int timeout_ms = FIRST_ANSWER_TIMEOUT_MS;

static int read_full(int fd, void *p, size_t n) {
    char *c = p;
    while (n > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, timeout_ms);
        if (ready <= 0) return -1;
        ssize_t r = read(fd, c, n);
        if (r <= 0) {
            if (r < 0 && errno == EINTR) continue;
            return -1;
        }
        c += r;
        n -= (size_t) r;
    }
    return 0;
}

static int read_u32(int fd, uint32_t *v) {
    unsigned char le[4];
    if (read_full(fd, le, 4)) return -1;
    *v = (uint32_t) le[0] | ((uint32_t) le[1] << 8) | ((uint32_t) le[2] << 16) | ((uint32_t) le[3] << 24);
    return 0;
}

static int read_blob(int fd, char **data, uint32_t *len) {
    if (read_u32(fd, len) || *len > (1u << 30)) return -1;
    *data = malloc(*len ? *len : 1);
    return (!*data || read_full(fd, *data, *len)) ? -1 : 0;
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

/*
 * The stderr lines already passed on to cargo, for a call whose server broke off mid-answer (killed,
 * out of memory): the JVM wrapper then runs the call again and prints them again, and a second
 * artifact notification of one crate's metadata panics cargo (dependency_queue.rs: found by a hunt).
 * Every line is kept up to FORWARDED_MAX bytes in all; past that only artifact notifications, which
 * are what must never come twice (a diagnostic twice is only shown twice).
 */
#define FORWARDED_MAX (4u << 20)
static char **forwarded;
static size_t forwarded_count, forwarded_cap, forwarded_bytes;
static buf_t forwarded_partial;

static void keep_forwarded_line(const char *line, size_t n) {
    /* {"$message_type":"artifact","artifact":…} (rustc 1.95), {"artifact":…} (older) */
    static const char typed[] = "\"$message_type\":\"artifact\"", older[] = "{\"artifact\":";
    int artifact = memmem(line, n, typed, sizeof typed - 1) != NULL
            || (n >= sizeof older - 1 && memcmp(line, older, sizeof older - 1) == 0);
    if (!artifact && forwarded_bytes + n > FORWARDED_MAX) return;
    if (forwarded_count == forwarded_cap) {
        size_t cap = forwarded_cap ? forwarded_cap * 2 : 32;
        char **d = realloc(forwarded, cap * sizeof *d);
        if (!d) return;
        forwarded = d;
        forwarded_cap = cap;
    }
    char *copy = strndup(line, n);
    if (!copy) return;
    forwarded[forwarded_count++] = copy;
    forwarded_bytes += n;
}

/* Notes len bytes of stderr passed on to cargo, line by line. */
static void note_forwarded(const char *data, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n') {
            keep_forwarded_line(forwarded_partial.data ? forwarded_partial.data : "", forwarded_partial.len);
            forwarded_partial.len = 0;
        } else if (put(&forwarded_partial, data + i, 1)) {
            return;
        }
    }
}

/* Whether line was passed on already; each kept line matches once. */
static int take_forwarded(const char *line, size_t n) {
    for (size_t i = 0; i < forwarded_count; i++) {
        if (forwarded[i] && strlen(forwarded[i]) == n && memcmp(forwarded[i], line, n) == 0) {
            free(forwarded[i]);
            forwarded[i] = NULL;
            return 1;
        }
    }
    return 0;
}

/*
 * The JVM wrapper for a call some of whose stderr cargo has already: run with its stderr through
 * this process, which drops each line already passed on (once), so cargo reads every artifact
 * notification once. A line the server broke off in the middle is ended first. Returns the wrapper's
 * exit status, as cargo would have got it.
 */
static int fallback_after_output(char **argv) {
    if (forwarded_count == 0 && forwarded_partial.len == 0) fallback(argv);
    if (forwarded_partial.len > 0 && write_all(2, "\n", 1)) return 1;
    int fds[2];
    if (pipe(fds)) fallback(argv);
    pid_t pid = fork();
    if (pid < 0) fallback(argv);
    if (pid == 0) {
        close(fds[0]);
        if (dup2(fds[1], 2) < 0) _exit(127);
        close(fds[1]);
        fallback(argv);
    }
    close(fds[1]);
    buf_t line = {0};
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fds[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        for (ssize_t i = 0; i < r; i++) {
            if (chunk[i] != '\n') {
                if (put(&line, chunk + i, 1)) _exit(1);
                continue;
            }
            if (!take_forwarded(line.data ? line.data : "", line.len)) {
                if ((line.len && write_all(2, line.data, line.len)) || write_all(2, "\n", 1)) _exit(1);
            }
            line.len = 0;
        }
    }
    if (line.len) write_all(2, line.data, line.len);
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Sends all of P to the server's socket. MSG_NOSIGNAL: a server that closes the socket first (it
 * exited idle, died, or refused a request past its limits) must cost a fallback, not a SIGPIPE that
 * kills this process, and with it the rustc call and the build.
 */
static int send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

/*
 * Whether ARGS (the compiler and its arguments, N of them) is one of the probes cargo sends before
 * any compile: `RUSTC -vV` (cargo clippy's `clippy-driver RUSTC -vV` too) and the target-info probe
 * (`RUSTC - --crate-name ___ --print=...`). The server answers them from its memos when it has them
 * (BannerAnswer, TargetInfoAnswer, the same marks), else passes them through: the compiler's own
 * output either way, so one run here, unchanged, is what the server would give.
 */
static int is_startup_probe(int n, char **args) {
    if ((n == 2 || n == 3) && strcmp(args[n - 1], "-vV") == 0) return 1;
    for (int i = 1; i + 1 < n; i++) {
        if (strcmp(args[i], "--crate-name") == 0 && strcmp(args[i + 1], "___") == 0) return 1;
    }
    return 0;
}

/* io.kache.cli.Main.COMMANDS, as bin/kache lists them: these are kache's, whatever is on PATH. */
static int is_kache_command(const char *a) {
    static const char *const commands[] = {"config", "list", "stats", "report", "gc", "purge", "sync",
                                           "doctor", "init", "why-miss", "help", NULL};
    for (int i = 0; commands[i]; i++) {
        if (strcmp(a, commands[i]) == 0) return 1;
    }
    return 0;
}

/* The kache-cli jar in DIR (the same rule as bin/kache's glob: kache-cli-*.jar, not the sources,
 * javadoc or tests jar; the first by name), into OUT. */
static int find_jar(const char *dir, char *out, size_t size) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    char best[NAME_MAX + 1] = "";
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        if (strncmp(n, "kache-cli-", 10) != 0 || len < 14 || strcmp(n + len - 4, ".jar") != 0) continue;
        if (strstr(n, "-sources.jar") || strstr(n, "-javadoc.jar") || strstr(n, "-tests.jar")) continue;
        if (!best[0] || strcmp(n, best) < 0) snprintf(best, sizeof best, "%s", n);
    }
    closedir(d);
    if (!best[0]) return -1;
    int n = snprintf(out, size, "%s/%s", dir, best);
    return (n > 0 && (size_t) n < size) ? 0 : -1;
}

/* LAUNCHER and JAR beside this executable: a release archive's libexec/ (../bin/kache, ../lib) or a
 * source checkout's kache-cli/target/ (../../bin/kache, the jar beside it). */
static int locate(char *launcher, char *jar, size_t size) {
    char exe[PATH_MAX];
    if (!realpath("/proc/self/exe", exe) || strlen(exe) > PATH_MAX - 32) return -1;
    char *slash = strrchr(exe, '/');
    if (!slash) return -1;
    *slash = 0; /* exe is now this executable's directory */
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/../bin/kache", exe);
    if (access(path, X_OK) == 0 && realpath(path, launcher)) {
        snprintf(path, sizeof path, "%s/../lib", exe);
        char lib[PATH_MAX];
        return realpath(path, lib) ? find_jar(lib, jar, size) : -1;
    }
    snprintf(path, sizeof path, "%s/../../bin/kache", exe);
    if (access(path, X_OK) == 0 && realpath(path, launcher)) return find_jar(exe, jar, size);
    return -1;
}

int main(int argc, char **argv) {
    static char launcher[PATH_MAX], jar[PATH_MAX];
    if (argc >= 2 && strcmp(argv[1], "--kache-launcher") == 0) {
        /* From bin/kache: drop the marker, and the rest reads as LAUNCHER JAR RUSTC ARGS. */
        argv++;
        argc--;
    } else if (argc >= 2) {
        if (locate(launcher, jar, sizeof launcher) != 0) {
            /* No kache to be found: never fail the build, run the compiler as it was asked for. */
            fprintf(stderr, "kache-client: cannot find bin/kache and the kache jar beside %s; running %s without the cache\n",
                    argv[0], argv[1]);
            execvp(argv[1], argv + 1);
            return 127;
        }
        if (argv[1][0] == '-' || is_kache_command(argv[1])) {
            /* kache's own commands and options are bin/kache's (cargo always passes a compiler). */
            argv[0] = launcher;
            execv(launcher, argv);
            return 127;
        }
        char **av = malloc(sizeof(char *) * ((size_t) argc + 3));
        if (!av) return 127;
        av[0] = argv[0];
        av[1] = launcher;
        av[2] = jar;
        for (int i = 1; i <= argc; i++) av[i + 2] = argv[i]; /* argv[argc] is the final NULL */
        argv = av;
        argc += 2;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: kache-client --kache-launcher LAUNCHER JAR RUSTC ARGS...  or  kache-client RUSTC ARGS...\n");
        return 2;
    }
    /* kache sync, which the server runs (bin/kache sends it here): a pull may take minutes before it
     * says anything; only a compile's first answer is bounded. */
    if (is_kache_command(argv[3])) timeout_ms = -1;
    const char *no_server = getenv("KACHE_NO_SERVER");
    char sock[sizeof(((struct sockaddr_un *) 0)->sun_path) + 64];
    if ((no_server && *no_server && strcmp(no_server, "0") != 0) || socket_path(argv[2], sock, sizeof sock)) {
        fallback(argv);
    }
    int fd = connect_to(sock);
    if (fd < 0 && (errno == ENOENT || errno == ECONNREFUSED)) {
        /* No server answers. Start one unless one is starting, and wait for it: a JVM of our own
         * costs as long as the server's start, and every call after this one finds it ready. */
        int claim = claim_start(sock);
        if (claim < 0) fallback(argv);
        if (claim) start_server(argv[1], sock);
        /* cargo's probes at a build's start are passed through unchanged whoever serves them:
         * run here while the server boots, cargo's first hundred milliseconds or so overlap the
         * JVM's start instead of waiting for it. */
        if (!is_kache_command(argv[3]) && is_startup_probe(argc - 3, argv + 3)) {
            execvp(argv[3], argv + 3);
            fallback(argv);
        }
        fd = await_server(sock);
    }
    if (fd < 0) fallback(argv);

    buf_t req = {0};
    char cwd[8192];
    if (!getcwd(cwd, sizeof cwd)) fallback(argv);
    int failed = put(&req, "KACHE1", 6) || put_str(&req, cwd) || put_u32(&req, (uint32_t) (argc - 3));
    for (int i = 3; i < argc && !failed; i++) failed = put_str(&req, argv[i]);
    uint32_t envc = 0;
    for (char **e = environ; *e; e++) envc++;
    failed = failed || put_u32(&req, envc);
    for (char **e = environ; *e && !failed; e++) failed = put_str(&req, *e);
    failed = failed || put_u32(&req, (uint32_t) getpid());
    if (failed || send_all(fd, req.data, req.len)) fallback(argv);
    shutdown(fd, SHUT_WR);

    /*
     * Frames: O/E + length + bytes (stdout/stderr chunks, written at once), X + exit code, a
     * lone M (declined) or a lone P (run the call unchanged, here). A broken stream before X falls
     * back to the JVM wrapper, which redoes the call; what of its stderr cargo has already is not
     * passed on again (fallback_after_output).
     */
    int first = 1;
    for (;;) {
        unsigned char kind;
        if (read_full(fd, &kind, 1)) return fallback_after_output(argv);
        if (first) timeout_ms = -1;
        if (kind == 'M' && first) fallback(argv);
        if (kind == 'P' && first) {
            /* A call kache runs unchanged (the server counted it): run it here, as the JVM wrapper
             * would, with cargo's own streams, descriptors (its jobserver) and signals, no JVM. */
            close(fd);
            execvp(argv[3], argv + 3);
            fallback(argv);
        }
        first = 0;
        if (kind == 'X') {
            uint32_t code;
            if (read_u32(fd, &code)) return fallback_after_output(argv);
            return (int) code;
        }
        if (kind != 'O' && kind != 'E') return fallback_after_output(argv);
        uint32_t len;
        char *data;
        if (read_blob(fd, &data, &len)) return fallback_after_output(argv);
        if (write_all(kind == 'O' ? 1 : 2, data, len)) return 1;
        if (kind == 'E') note_forwarded(data, len);
        free(data);
    }
}
