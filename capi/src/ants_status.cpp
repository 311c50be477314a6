// Status text and version, generated from the same X-macro list as the enum.
#include "ants.h"

#define ANTS_STR_(x) #x
#define ANTS_STR(x) ANTS_STR_(x)

extern "C" {

ANTS_EXTERN const char *ants_strerror(int status) {
  switch (status) {
#define ANTS_STATUS_CASE_(name, value, text) \
  case ANTS_##name:                          \
    return text;
    ANTS_STATUS_MAP(ANTS_STATUS_CASE_)
#undef ANTS_STATUS_CASE_
  }
  return "unknown status";
}

ANTS_EXTERN const char *ants_version(void) {
  return ANTS_STR(ANTS_VERSION_MAJOR) "." ANTS_STR(ANTS_VERSION_MINOR) "." ANTS_STR(
      ANTS_VERSION_PATCH);
}

ANTS_EXTERN int ants_version_number(void) { return ANTS_VERSION_NUMBER; }

}  // extern "C"
