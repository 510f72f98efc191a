/*
 * cvmtool: the static helper the recorder puts into the guest's initramfs.
 * Built on the host with: gcc -O2 -static -o cvmtool cvmtool.c -lm
 *
 * Subcommands (all sizes in bytes, all output on stdout as key=value):
 *   fill DIR PREFIX TARGET SEED MIN MAX DIST  write files PREFIX000000.. into DIR until TARGET bytes
 *                                             are written; sizes from a seeded xorshift64* sequence,
 *                                             DIST "log" (log-uniform) or "uni" (uniform), rounded
 *                                             up to 4096
 *   punch DIR PREFIX                          unlink every other file (indices 1,3,5,...)
 *   rmall DIR PREFIX                          unlink every file PREFIX* in DIR
 *   touchn DIR PREFIX COUNT SIZE              create COUNT files of SIZE bytes
 *   writefile PATH BYTES                      write BYTES sequentially (1 MiB writes), fsync
 *   readfile PATH                             read PATH sequentially (1 MiB reads)
 *   hog BYTES MODE                            anonymous hog: MODE 4k (MADV_NOHUGEPAGE) or thp
 *                                             (MADV_HUGEPAGE, 2 MiB aligned); touches every 4 KiB,
 *                                             prints "ready ..." and closes stdout, then waits for
 *                                             SIGTERM/SIGINT and exits (the exit frees the memory)
 *   spawn N PROG [ARGS]                       fork+execv PROG N times, one at a time
 *   pump PIPE:DEV [PIPE:DEV ...]              copy ftrace per-cpu trace_pipe files to raw block
 *                                             devices with O_DIRECT (no page cache); SIGUSR1 =
 *                                             drain what is left and exit; prints bytes per stream
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char wbuf[1 << 20];

/*
 * Flow control for the trace read-out: with CVM_THROTTLE=HIGH:LOW in the environment, the workload
 * loops call throttle() every MiB (or every file / process); when any CPU's ring buffer holds more
 * than HIGH unread events ("entries:" in per_cpu/cpuN/stats) the caller sleeps in 20 ms steps until
 * all hold fewer than LOW. The pump on the other CPU empties the buffers meanwhile. Only the timing
 * of the workload changes, not what it allocates.
 */
static long thr_high = -1, thr_low;
static int thr_fd[64], thr_n = -1;
static unsigned long long thr_sleeps;

static long thr_max_entries(void) {
    char b[1024];
    long max = 0;
    for (int i = 0; i < thr_n; i++) {
        ssize_t r = pread(thr_fd[i], b, sizeof b - 1, 0);
        if (r <= 0) continue;
        b[r] = 0;
        char *e = strstr(b, "entries:");
        if (e) { long v = strtol(e + 8, 0, 10); if (v > max) max = v; }
    }
    return max;
}

static void throttle(void) {
    if (thr_n < 0) {
        thr_n = 0;
        const char *env = getenv("CVM_THROTTLE");
        if (!env || sscanf(env, "%ld:%ld", &thr_high, &thr_low) != 2) { thr_high = -1; return; }
        for (int c = 0; c < 64; c++) {
            char path[128];
            snprintf(path, sizeof path, "/sys/kernel/tracing/per_cpu/cpu%d/stats", c);
            int fd = open(path, O_RDONLY);
            if (fd < 0) break;
            thr_fd[thr_n++] = fd;
        }
    }
    if (thr_high < 0 || thr_n == 0) return;
    if (thr_max_entries() <= thr_high) return;
    do {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, 0);
        thr_sleeps++;
    } while (thr_max_entries() >= thr_low);
}

static void die(const char *what) { perror(what); exit(2); }

static uint64_t rng_state;
static uint64_t rng_next(void) {
    uint64_t x = rng_state;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}
static double rng_unit(void) { return (rng_next() >> 11) * (1.0 / 9007199254740992.0); }

static uint64_t next_size(uint64_t min, uint64_t max, const char *dist) {
    double u = rng_unit(), v;
    if (strcmp(dist, "log") == 0) {
        /* log-uniform between min and max */
        v = exp(log((double)min) + u * (log((double)max) - log((double)min)));
    } else {
        v = (double)min + u * (double)(max - min);
    }
    uint64_t s = (uint64_t)v;
    s = (s + 4095) & ~4095ULL;
    if (s < min) s = min;
    if (s > max) s = max;
    return s;
}

static void write_file(const char *path, uint64_t size) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die(path);
    while (size > 0) {
        size_t n = size > sizeof wbuf ? sizeof wbuf : size;
        ssize_t w = write(fd, wbuf, n);
        if (w <= 0) die("write");
        size -= (uint64_t)w;
        throttle();
    }
    close(fd);
}

static int cmd_fill(char **a) {
    const char *dir = a[0], *prefix = a[1], *dist = a[6];
    uint64_t target = strtoull(a[2], 0, 10), seed = strtoull(a[3], 0, 10);
    uint64_t min = strtoull(a[4], 0, 10), max = strtoull(a[5], 0, 10);
    rng_state = seed ? seed : 1;
    uint64_t total = 0, n = 0, smallest = UINT64_MAX, largest = 0;
    char path[4096];
    while (total < target) {
        uint64_t s = next_size(min, max, dist);
        snprintf(path, sizeof path, "%s/%s%06llu", dir, prefix, (unsigned long long)n);
        write_file(path, s);
        total += s; n++;
        if (s < smallest) smallest = s;
        if (s > largest) largest = s;
    }
    printf("files=%llu bytes=%llu smallest=%llu largest=%llu\n", (unsigned long long)n,
           (unsigned long long)total, (unsigned long long)smallest, (unsigned long long)largest);
    return 0;
}

static int unlink_some(const char *dir, const char *prefix, int step) {
    char path[4096];
    struct stat st;
    uint64_t n = 0, bytes = 0;
    for (uint64_t i = (step == 2 ? 1 : 0);; i += step) {
        snprintf(path, sizeof path, "%s/%s%06llu", dir, prefix, (unsigned long long)i);
        if (stat(path, &st) != 0) {
            /* punch: stop when neither i nor i-1 exists */
            char prev[4096];
            snprintf(prev, sizeof prev, "%s/%s%06llu", dir, prefix, (unsigned long long)(i - 1));
            if (step == 1 || stat(prev, &st) != 0) break;
            continue;
        }
        if (unlink(path) != 0) die(path);
        n++; bytes += (uint64_t)st.st_size;
        throttle();
    }
    printf("files=%llu bytes=%llu\n", (unsigned long long)n, (unsigned long long)bytes);
    return 0;
}

static int cmd_rmall(char **a) {
    DIR *d = opendir(a[0]);
    if (!d) die(a[0]);
    struct dirent *e;
    struct stat st;
    char path[4096];
    uint64_t n = 0, bytes = 0;
    size_t pl = strlen(a[1]);
    while ((e = readdir(d)) != 0) {
        if (strncmp(e->d_name, a[1], pl) != 0) continue;
        snprintf(path, sizeof path, "%s/%s", a[0], e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (unlink(path) != 0) die(path);
        n++; bytes += (uint64_t)st.st_size;
        throttle();
    }
    closedir(d);
    printf("files=%llu bytes=%llu\n", (unsigned long long)n, (unsigned long long)bytes);
    return 0;
}

static int cmd_touchn(char **a) {
    uint64_t count = strtoull(a[2], 0, 10), size = strtoull(a[3], 0, 10);
    char path[4096];
    for (uint64_t i = 0; i < count; i++) {
        snprintf(path, sizeof path, "%s/%s%06llu", a[0], a[1], (unsigned long long)i);
        write_file(path, size);
        if (i % 256 == 0) throttle();
    }
    printf("files=%llu bytes=%llu\n", (unsigned long long)count, (unsigned long long)(count * size));
    return 0;
}

static int cmd_writefile(char **a) {
    uint64_t size = strtoull(a[1], 0, 10), total = size;
    int fd = open(a[0], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die(a[0]);
    while (size > 0) {
        size_t n = size > sizeof wbuf ? sizeof wbuf : size;
        ssize_t w = write(fd, wbuf, n);
        if (w <= 0) die("write");
        size -= (uint64_t)w;
        throttle();
    }
    if (fsync(fd) != 0) die("fsync");
    close(fd);
    printf("bytes=%llu\n", (unsigned long long)total);
    return 0;
}

static int cmd_readfile(char **a) {
    int fd = open(a[0], O_RDONLY);
    if (fd < 0) die(a[0]);
    uint64_t total = 0;
    ssize_t r;
    while ((r = read(fd, wbuf, sizeof wbuf)) > 0) { total += (uint64_t)r; throttle(); }
    if (r < 0) die("read");
    close(fd);
    printf("bytes=%llu\n", (unsigned long long)total);
    return 0;
}

static volatile sig_atomic_t stop_flag;
static void on_stop(int s) { (void)s; stop_flag = 1; }

static int cmd_hog(char **a) {
    uint64_t size = strtoull(a[0], 0, 10);
    int thp = strcmp(a[1], "thp") == 0;
    const uint64_t huge = 2ULL << 20;
    size = (size + 4095) & ~4095ULL;
    uint64_t maplen = thp ? size + huge : size;
    char *p = mmap(0, maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("mmap");
    if (thp) {
        char *q = (char *)(((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1));
        p = q;
        size = size & ~(huge - 1);
    }
    if (madvise(p, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0) die("madvise");
    signal(SIGTERM, on_stop);
    signal(SIGINT, on_stop);
    for (uint64_t off = 0; off < size; off += 4096) {
        p[off] = 1;
        if ((off & ((1 << 20) - 1)) == 0) throttle();
    }
    /* AnonHugePages of this process */
    long long ahp = -1;
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (f) {
        char line[256];
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "AnonHugePages: %lld kB", &ahp) == 1) break;
        fclose(f);
    }
    printf("ready bytes=%llu mode=%s anonHugePagesKb=%lld throttleSleeps=%llu\n", (unsigned long long)size, a[1], ahp, thr_sleeps);
    fflush(stdout);
    fclose(stdout);
    while (!stop_flag) pause();
    return 0;
}

static int cmd_spawn(int argc, char **a) {
    (void)argc;
    long n = strtol(a[0], 0, 10), fails = 0;
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) die("fork");
        if (pid == 0) {
            int fd = open("/dev/null", O_RDWR);
            if (fd >= 0) { dup2(fd, 0); dup2(fd, 1); }
            execv(a[1], a + 1);
            _exit(127);
        }
        int st;
        if (waitpid(pid, &st, 0) < 0) die("waitpid");
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) fails++;
        throttle();
    }
    printf("processes=%ld failed=%ld\n", n, fails);
    return 0;
}

/* ---- pump ---- */
#define PUMP_BUF (8u << 20)
#define PUMP_CHUNK (1u << 20)
struct stream { int in, out; char *buf; size_t fill; uint64_t off, bytes; const char *name; };
static volatile sig_atomic_t finish_flag;
static void on_finish(int s) { (void)s; finish_flag = 1; }

static void flush_stream(struct stream *s, int final) {
    size_t n = final ? s->fill : (s->fill / PUMP_CHUNK) * PUMP_CHUNK;
    if (n == 0) return;
    size_t padded = (n + 4095) & ~(size_t)4095;
    if (padded > n) memset(s->buf + n, 0, padded - n);
    size_t done = 0;
    while (done < padded) {
        ssize_t w = pwrite(s->out, s->buf + done, padded - done, (off_t)(s->off + done));
        if (w <= 0) die("pwrite");
        done += (size_t)w;
    }
    s->off += n; /* only whole chunks are written before the final flush */
    memmove(s->buf, s->buf + n, s->fill - n);
    s->fill -= n;
}

static int cmd_pump(int argc, char **a) {
    struct stream st[8];
    int ns = 0;
    for (int i = 0; i < argc && ns < 8; i++, ns++) {
        char *spec = strdup(a[i]), *colon = strchr(spec, ':');
        if (!colon) { fprintf(stderr, "pump: PIPE:DEV expected\n"); return 2; }
        *colon = 0;
        st[ns].name = spec;
        st[ns].in = open(spec, O_RDONLY | O_NONBLOCK);
        if (st[ns].in < 0) die(spec);
        st[ns].out = open(colon + 1, O_WRONLY | O_DIRECT);
        if (st[ns].out < 0) die(colon + 1);
        if (posix_memalign((void **)&st[ns].buf, 4096, PUMP_BUF)) die("posix_memalign");
        memset(st[ns].buf, 0, PUMP_BUF); /* fault the buffer in before tracing starts */
        st[ns].fill = 0; st[ns].off = 0; st[ns].bytes = 0;
    }
    signal(SIGUSR1, on_finish);
    if (mlockall(MCL_CURRENT) != 0) { /* not fatal */ }
    printf("pump ready\n");
    fflush(stdout);
    int idle_rounds = 0;
    for (;;) {
        int got = 0;
        int finishing = finish_flag;
        for (int i = 0; i < ns; i++) {
            struct stream *s = &st[i];
            for (int k = 0; k < 256; k++) {
                if (PUMP_BUF - s->fill < 65536) flush_stream(s, 0);
                ssize_t r = read(s->in, s->buf + s->fill, PUMP_BUF - s->fill - 4096);
                if (r > 0) { s->fill += (size_t)r; s->bytes += (uint64_t)r; got = 1; continue; }
                if (r < 0 && errno == EINTR) continue;
                if (r < 0 && errno != EAGAIN) die("read trace_pipe");
                break;
            }
            if (s->fill >= PUMP_CHUNK) flush_stream(s, 0);
        }
        if (got) { idle_rounds = 0; continue; }
        if (finishing) { if (++idle_rounds >= 3) break; }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, 0);
    }
    for (int i = 0; i < ns; i++) {
        flush_stream(&st[i], 1);
        fsync(st[i].out);
        printf("stream=%s bytes=%llu\n", st[i].name, (unsigned long long)st[i].bytes);
    }
    return 0;
}

static int run(int argc, char **argv);
int main(int argc, char **argv) {
    int rc = run(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "pump") != 0 && strcmp(argv[1], "hog") != 0 && thr_high >= 0) {
        printf("throttleSleeps=%llu\n", thr_sleeps);
    }
    return rc;
}

static int run(int argc, char **argv) {
    memset(wbuf, 0x5a, sizeof wbuf);
    if (argc < 2) { fprintf(stderr, "usage: cvmtool CMD ...\n"); return 2; }
    const char *c = argv[1];
    char **a = argv + 2;
    int n = argc - 2;
    if (!strcmp(c, "fill") && n == 7) return cmd_fill(a);
    if (!strcmp(c, "punch") && n == 2) return unlink_some(a[0], a[1], 2);
    if (!strcmp(c, "rmall") && n == 2) return cmd_rmall(a);
    if (!strcmp(c, "touchn") && n == 4) return cmd_touchn(a);
    if (!strcmp(c, "writefile") && n == 2) return cmd_writefile(a);
    if (!strcmp(c, "readfile") && n == 1) return cmd_readfile(a);
    if (!strcmp(c, "hog") && n == 2) return cmd_hog(a);
    if (!strcmp(c, "spawn") && n >= 2) return cmd_spawn(n, a);
    if (!strcmp(c, "pump") && n >= 1) return cmd_pump(n, a);
    fprintf(stderr, "cvmtool: bad command or arguments: %s\n", c);
    return 2;
}
