#include "log.h"

#include <cstdarg>
#include <cstdio>

namespace ants {

void Logger::Printf(const char *fmt, ...) const {
  // A fixed buffer: logging must work when memory is short.
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (fn) {
    fn(ctx, buf);
  } else {
    std::fprintf(stderr, "libants: %s\n", buf);
  }
}

}  // namespace ants
