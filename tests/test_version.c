/*
 * test_version.c - the version macros agree with the loaded library, so a
 * program can detect header/library skew.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

static void test_version_string_matches_macros(void **state) {
  (void)state;
  char want[64];
  snprintf(want, sizeof want, "%d.%d.%d", ANTS_VERSION_MAJOR, ANTS_VERSION_MINOR,
           ANTS_VERSION_PATCH);
  assert_non_null(ants_version());
  assert_string_equal(ants_version(), want);
}

static void test_version_number_matches_macros(void **state) {
  (void)state;
  assert_int_equal(ANTS_VERSION_NUMBER,
                   ANTS_VERSION_MAJOR * 10000 + ANTS_VERSION_MINOR * 100 + ANTS_VERSION_PATCH);
  assert_int_equal(ants_version_number(), ANTS_VERSION_NUMBER);
}

static void test_version_is_static(void **state) {
  (void)state;
  assert_ptr_equal(ants_version(), ants_version());
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_version_string_matches_macros),
      cmocka_unit_test(test_version_number_matches_macros),
      cmocka_unit_test(test_version_is_static),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
