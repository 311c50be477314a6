// log.h - the library's only way to say something: through the user's
// logger, or to stderr by default. Never used for errors a caller can get as a
// status; only for events nobody is waiting on (a task's exception with no
// panic handler, a refused thread).
#ifndef ANTS_CORE_LOG_H
#define ANTS_CORE_LOG_H

#include "ants.h"

namespace ants {

struct Logger {
  ants_log_fn fn = nullptr;  // nullptr: stderr
  void *ctx = nullptr;

  void Printf(const char *fmt, ...) const __attribute__((format(printf, 2, 3)));
};

}  // namespace ants

#endif
