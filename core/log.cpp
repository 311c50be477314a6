#include "log.h"

#include "unwind.h"

#include <cstdarg>
#include <cstdio>

namespace ants {

ANTS_CATCHES_FORCED_UNWIND
void Logger::Printf(const char *fmt, ...) const {
  // A fixed buffer: logging must work when memory is short.
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (fn) {
    // The logger runs on worker threads and in the engine's failure paths:
    // one that throws must not take the process down with it.
    try {
      fn(ctx, buf);
      return;
    } catch (abi::__forced_unwind &) {
      throw;  // pthread_exit or cancellation must unwind
    } catch (...) {
      std::fprintf(stderr, "libants: (the logger threw) %s\n", buf);
    }
  } else {
    std::fprintf(stderr, "libants: %s\n", buf);
  }
}

}  // namespace ants
