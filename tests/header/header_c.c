/* header_c.c - ants.h alone must compile as strict C11 (see CMakeLists). */
#include "ants.h"

/* Use a little of the header so the unit is not empty and the enum and
 * macros are checked too. */
typedef char ants_header_c_check[ANTS_OK == 0 && ANTS_VERSION_NUMBER >= 0 ? 1 : -1];
