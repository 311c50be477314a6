/*
 * test_pool_panic.c - an exception escaping a task: the panic handler gets
 * its text, or the logger does; the worker survives and nothing is lost
 * (issue 2, line 9).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "support.h"
#include "throwing_task.h"

/* Collects what a panic handler or logger was given. */
typedef struct recorder {
  pthread_mutex_t mu;
  char last[512];
  atomic_int count;
  atomic_long tid; /* thread the callback ran on */
} recorder;
static void recorder_init(recorder *r) {
  pthread_mutex_init(&r->mu, NULL);
  r->last[0] = '\0';
  atomic_init(&r->count, 0);
  atomic_init(&r->tid, 0);
}
static void recorder_destroy(recorder *r) { pthread_mutex_destroy(&r->mu); }
static void record(void *ctx, const char *text) {
  recorder *r = (recorder *)ctx;
  pthread_mutex_lock(&r->mu);
  snprintf(r->last, sizeof r->last, "%s", text ? text : "(null)");
  pthread_mutex_unlock(&r->mu);
  atomic_store(&r->tid, test_gettid());
  atomic_fetch_add(&r->count, 1);
}
static int recorded_contains(recorder *r, const char *needle) {
  pthread_mutex_lock(&r->mu);
  int found = strstr(r->last, needle) != NULL;
  pthread_mutex_unlock(&r->mu);
  return found;
}

/* Options for a pool whose idle worker stays, so "the same worker ran the
 * next task" is meaningful. */
static ants_options *options(recorder *handler, recorder *logger, int pre_alloc) {
  ants_options *o = NULL;
  assert_int_equal(ants_options_new(&o), ANTS_OK);
  assert_int_equal(ants_options_set_disable_purge(o, 1), ANTS_OK);
  assert_int_equal(ants_options_set_pre_alloc(o, pre_alloc), ANTS_OK);
  if (handler) assert_int_equal(ants_options_set_panic_handler(o, record, handler), ANTS_OK);
  if (logger) assert_int_equal(ants_options_set_logger(o, record, logger), ANTS_OK);
  return o;
}

static void record_tid(void *arg) { atomic_store((atomic_long *)arg, test_gettid()); }

/* A throwing task on a one-worker pool: the handler ran on that worker and
 * the same worker then runs the next task. */
static void check_panic_and_survival(ants_pool *p, recorder *handler, ants_task_fn thrower,
                                     void *arg, const char *want) {
  assert_int_equal(ants_submit(p, thrower, arg), ANTS_OK);
  assert_true(wait_until(atomic_load(&handler->count) == 1));
  if (want) assert_true(recorded_contains(handler, want));
  assert_true(wait_until(ants_busy(p) == 0));
  assert_int_equal(ants_running(p), 1); /* ants' worker would have died */
  atomic_long tid;
  atomic_init(&tid, 0);
  assert_int_equal(ants_submit(p, record_tid, &tid), ANTS_OK);
  assert_true(wait_until(atomic_load(&tid) != 0));
  assert_int_equal(atomic_load(&tid), atomic_load(&handler->tid));
}

static void test_panic_handler(void **state) {
  (void)state;
  /* ants' TestPanicHandler. */
  recorder handler, logger;
  recorder_init(&handler);
  recorder_init(&logger);
  ants_options *o = options(&handler, &logger, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  check_panic_and_survival(p, &handler, throw_std_task, "boom-std", "boom-std");
  pthread_mutex_lock(&handler.mu);
  assert_string_equal(handler.last, "boom-std"); /* exactly what() */
  pthread_mutex_unlock(&handler.mu);
  /* A handled exception is not logged as well. */
  assert_int_equal(atomic_load(&logger.count), 0);
  ants_pool_free(p);
  recorder_destroy(&handler);
  recorder_destroy(&logger);
}

static void test_panic_handler_pre_malloc(void **state) {
  (void)state;
  recorder handler;
  recorder_init(&handler);
  ants_options *o = options(&handler, NULL, 1);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  check_panic_and_survival(p, &handler, throw_std_task, "boom-prealloc", "boom-prealloc");
  ants_pool_free(p);
  recorder_destroy(&handler);
}

static void test_panic_handler_non_std_exception(void **state) {
  (void)state;
  recorder handler;
  recorder_init(&handler);
  ants_options *o = options(&handler, NULL, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  check_panic_and_survival(p, &handler, throw_int_task, NULL, NULL);
  pthread_mutex_lock(&handler.mu);
  assert_true(handler.last[0] != '\0'); /* a fixed, non-empty text */
  assert_string_not_equal(handler.last, "(null)");
  pthread_mutex_unlock(&handler.mu);
  ants_pool_free(p);
  recorder_destroy(&handler);
}

static void test_ants_pool_with_func_panic_handler(void **state) {
  (void)state;
  recorder handler;
  recorder_init(&handler);
  ants_options *o = options(&handler, NULL, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_with_func_new(&p, 1, throw_std_task, o), ANTS_OK);
  ants_options_free(o);
  assert_int_equal(ants_invoke(p, "boom-func"), ANTS_OK);
  assert_true(wait_until(atomic_load(&handler.count) == 1));
  assert_true(recorded_contains(&handler, "boom-func"));
  assert_int_equal(ants_invoke(p, "again"), ANTS_OK);
  assert_true(wait_until(atomic_load(&handler.count) == 2));
  assert_true(recorded_contains(&handler, "again"));
  assert_true(wait_until(ants_busy(p) == 0));
  assert_int_equal(ants_running(p), 1);
  ants_pool_free(p);
  recorder_destroy(&handler);
}

static void test_panic_without_handler_goes_to_logger(void **state) {
  (void)state;
  recorder logger;
  recorder_init(&logger);
  ants_options *o = options(NULL, &logger, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  check_panic_and_survival(p, &logger, throw_std_task, "boom-log", "boom-log");
  ants_pool_free(p);
  recorder_destroy(&logger);
}

static void test_panic_handler_null_restores_logging(void **state) {
  (void)state;
  recorder handler, logger;
  recorder_init(&handler);
  recorder_init(&logger);
  ants_options *o = options(&handler, &logger, 0);
  assert_int_equal(ants_options_set_panic_handler(o, NULL, NULL), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);
  check_panic_and_survival(p, &logger, throw_std_task, "boom-restored", "boom-restored");
  assert_int_equal(atomic_load(&handler.count), 0);
  ants_pool_free(p);
  recorder_destroy(&handler);
  recorder_destroy(&logger);
}

/* Whole content of fd (from offset 0) into buf, NUL-terminated. */
static void read_fd(int fd, char *buf, size_t size) {
  ssize_t n = pread(fd, buf, size - 1, 0);
  buf[n > 0 ? n : 0] = '\0';
}

static int stderr_capture_has(int fd, const char *a, const char *b) {
  char buf[4096];
  read_fd(fd, buf, sizeof buf);
  return strstr(buf, a) != NULL && strstr(buf, b) != NULL;
}

static void test_panic_default_logger_writes_to_stderr(void **state) {
  (void)state;
  /* set_logger(NULL) selects the default: stderr, prefixed "libants: ". */
  ants_options *o = options(NULL, NULL, 0);
  assert_int_equal(ants_options_set_logger(o, NULL, NULL), ANTS_OK);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 1, o), ANTS_OK);
  ants_options_free(o);

  char path[] = "/tmp/ants-test-stderr-XXXXXX";
  int capture = mkstemp(path);
  assert_true(capture >= 0);
  unlink(path);
  fflush(stderr);
  int saved = dup(2);
  assert_true(saved >= 0);
  assert_true(dup2(capture, 2) == 2);
  assert_int_equal(ants_submit(p, throw_std_task, "boom-stderr"), ANTS_OK);
  int seen = wait_until(stderr_capture_has(capture, "libants: ", "boom-stderr"));
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  char buf[4096];
  read_fd(capture, buf, sizeof buf);
  close(capture);
  print_message("captured stderr: %s", buf);
  assert_true(seen);
  /* The worker survived the logged exception. */
  atomic_int ran;
  atomic_init(&ran, 0);
  assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  assert_true(wait_until(atomic_load(&ran) == 1));
  assert_int_equal(ants_running(p), 1);
  ants_pool_free(p);
}

static void test_many_panics_nothing_lost(void **state) {
  (void)state;
  enum { N = 200 };
  recorder handler;
  recorder_init(&handler);
  ants_options *o = options(&handler, NULL, 0);
  ants_pool *p = NULL;
  assert_int_equal(ants_pool_new(&p, 2, o), ANTS_OK);
  ants_options_free(o);
  atomic_int ran;
  atomic_init(&ran, 0);
  for (int i = 0; i < N; i++) {
    assert_int_equal(ants_submit(p, throw_std_task, "many"), ANTS_OK);
    assert_int_equal(ants_submit(p, task_count, &ran), ANTS_OK);
  }
  assert_true(wait_until(atomic_load(&ran) == N && atomic_load(&handler.count) == N));
  assert_true(ants_running(p) <= 2);
  ants_pool_free(p);
  recorder_destroy(&handler);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_panic_handler),
      cmocka_unit_test(test_panic_handler_pre_malloc),
      cmocka_unit_test(test_panic_handler_non_std_exception),
      cmocka_unit_test(test_ants_pool_with_func_panic_handler),
      cmocka_unit_test(test_panic_without_handler_goes_to_logger),
      cmocka_unit_test(test_panic_handler_null_restores_logging),
      cmocka_unit_test(test_panic_default_logger_writes_to_stderr),
      cmocka_unit_test(test_many_panics_nothing_lost),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
