/*
 * test_dlclose.c - a program may dlclose libants right after freeing its
 * last pool (a plugin, the JNI library, a Go program that loads it): free
 * must have waited until every worker thread left the library's code, its
 * hooks and its TLS destructors. Loads libants.so (argv[1]) with dlopen,
 * uses a pool, frees it, unloads the library, and checks the library is
 * really gone from the address space - so that a thread still inside would
 * crash (ASan reports it) rather than pass unnoticed. Prints
 * "N passed, N failed".
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct ants_pool ants_pool;
typedef int (*pool_new_fn)(ants_pool **, int, const void *);
typedef int (*submit_fn)(ants_pool *, void (*)(void *), void *);
typedef void (*pool_free_fn)(ants_pool *);
typedef int (*release_timeout_fn)(ants_pool *, long long);

static atomic_int ran;
static pthread_key_t key;
static atomic_int dtors, threads;
static void tls_dtor(void *v) {
  (void)v;
  /* Slow, so that a free that does not wait for thread exit returns first. */
  struct timespec ts = {0, 5 * 1000 * 1000};
  nanosleep(&ts, NULL);
  atomic_fetch_add(&dtors, 1);
}
static void task(void *arg) {
  (void)arg;
  if (!pthread_getspecific(key)) {
    pthread_setspecific(key, (void *)1); /* a TLS destructor at thread exit */
    atomic_fetch_add(&threads, 1);
  }
  atomic_fetch_add(&ran, 1);
}

static int mapped(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4096];
  int found = 0;
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    if (strstr(line, base)) found = 1;
  }
  fclose(f);
  return found;
}

static int one_round(const char *path, int use_release_timeout) {
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 0;
  }
  pool_new_fn pool_new = (pool_new_fn)dlsym(h, "ants_pool_new");
  submit_fn submit = (submit_fn)dlsym(h, "ants_submit");
  pool_free_fn pool_free = (pool_free_fn)dlsym(h, "ants_pool_free");
  release_timeout_fn release_timeout = (release_timeout_fn)dlsym(h, "ants_release_timeout");
  ants_pool *p = NULL;
  int ok = pool_new && submit && pool_free && release_timeout && pool_new(&p, 4, NULL) == 0;
  atomic_store(&ran, 0);
  atomic_store(&dtors, 0);
  atomic_store(&threads, 0);
  for (int i = 0; ok && i < 200; i++) ok = submit(p, task, NULL) == 0;
  if (p) {
    if (use_release_timeout) ok = ok && release_timeout(p, 30000) == 0;
    pool_free(p);
  }
  ok = ok && atomic_load(&ran) == 200;
  /* Every worker thread ran its TLS destructors before free returned. */
  ok = ok && atomic_load(&threads) > 0 && atomic_load(&dtors) == atomic_load(&threads);
  dlclose(h);
  if (mapped(path) != 0) {
    fprintf(stderr, "libants is still mapped after dlclose\n");
    ok = 0;
  }
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s path/to/libants.so\n", argv[0]);
    return 2;
  }
  pthread_key_create(&key, tls_dtor);
  int passed = 0, failed = 0;
  for (int round = 0; round < 30; round++) {
    if (one_round(argv[1], round % 2)) {
      passed++;
    } else {
      failed++;
    }
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
