/*
 * test_status.c - status codes and ants_strerror (issue 2: status codes).
 *
 * The codes are the ABI: distinct, negative for failures, never renumbered;
 * each has its own static, never-NULL text.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

/* Built from the header's own list, so a new code is covered automatically. */
#define STATUS_ENTRY(name, value, text) {ANTS_##name, #name, text},
static const struct {
  int code;
  const char *name;
  const char *text;
} statuses[] = {ANTS_STATUS_MAP(STATUS_ENTRY)};
#undef STATUS_ENTRY
static const size_t n_statuses = sizeof statuses / sizeof statuses[0];

static void test_codes_have_their_published_values(void **state) {
  (void)state;
  /* Renumbering breaks every compiled caller and binding: pin the values. */
  assert_int_equal(ANTS_OK, 0);
  assert_int_equal(ANTS_ERR_INVALID_ARGUMENT, -1);
  assert_int_equal(ANTS_ERR_LACK_POOL_FUNC, -2);
  assert_int_equal(ANTS_ERR_INVALID_POOL_EXPIRY, -3);
  assert_int_equal(ANTS_ERR_POOL_CLOSED, -4);
  assert_int_equal(ANTS_ERR_POOL_OVERLOAD, -5);
  assert_int_equal(ANTS_ERR_INVALID_PRE_ALLOC_SIZE, -6);
  assert_int_equal(ANTS_ERR_TIMEOUT, -7);
  assert_int_equal(ANTS_ERR_INVALID_POOL_INDEX, -8);
  assert_int_equal(ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY, -9);
  assert_int_equal(ANTS_ERR_INVALID_MULTI_POOL_SIZE, -10);
  assert_int_equal(ANTS_ERR_NO_MEMORY, -11);
  assert_int_equal(ANTS_ERR_SYSTEM, -12);
  assert_int_equal(ANTS_ERR_WOULD_DEADLOCK, -13);
}

static void test_codes_are_distinct_and_failures_negative(void **state) {
  (void)state;
  for (size_t i = 0; i < n_statuses; i++) {
    if (statuses[i].code != ANTS_OK) assert_true(statuses[i].code < 0);
    for (size_t j = i + 1; j < n_statuses; j++)
      assert_int_not_equal(statuses[i].code, statuses[j].code);
  }
}

static void test_strerror_distinct_non_null_for_every_code(void **state) {
  (void)state;
  const char *unknown = ants_strerror(INT_MIN);
  for (size_t i = 0; i < n_statuses; i++) {
    const char *s = ants_strerror(statuses[i].code);
    assert_non_null(s);
    assert_true(s[0] != '\0');
    /* The header promises enum and text come from one list. */
    assert_string_equal(s, statuses[i].text);
    assert_string_not_equal(s, unknown);
    for (size_t j = i + 1; j < n_statuses; j++)
      assert_string_not_equal(s, ants_strerror(statuses[j].code));
  }
}

static void test_strerror_is_static(void **state) {
  (void)state;
  /* Static text: the same pointer every time, valid after other calls. */
  const char *a = ants_strerror(ANTS_ERR_POOL_CLOSED);
  (void)ants_strerror(ANTS_ERR_TIMEOUT);
  assert_ptr_equal(a, ants_strerror(ANTS_ERR_POOL_CLOSED));
}

static void test_strerror_unknown_code(void **state) {
  (void)state;
  const int unknown[] = {1, 42, -14, -1000, INT_MIN, INT_MAX};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
    const char *s = ants_strerror(unknown[i]);
    assert_non_null(s);
    assert_string_equal(s, "unknown status");
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_codes_have_their_published_values),
      cmocka_unit_test(test_codes_are_distinct_and_failures_negative),
      cmocka_unit_test(test_strerror_distinct_non_null_for_every_code),
      cmocka_unit_test(test_strerror_is_static),
      cmocka_unit_test(test_strerror_unknown_code),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
