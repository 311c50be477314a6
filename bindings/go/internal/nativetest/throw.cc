// A native task that throws, to test that a C++ exception escaping a task
// reaches the Go PanicHandler as a *NativePanic.
#include <stdexcept>

extern "C" void nativetest_throw_task(void *) {
  throw std::runtime_error("native boom");
}
