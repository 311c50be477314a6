#include "fork_epoch.h"

#include <pthread.h>

#include <new>

namespace ants {

std::atomic<uint32_t> g_fork_epoch{0};

namespace {

// Never destroyed: the atfork handlers may run during or after static
// destruction (a fork from an atexit handler).
alignas(std::mutex) unsigned char g_reset_mu_storage[sizeof(std::mutex)];
std::mutex *g_reset_mu = new (g_reset_mu_storage) std::mutex;

void Prepare() {
  g_reset_mu->lock();
}
void Parent() {
  g_reset_mu->unlock();
}
void Child() {
  // The child has one thread, this one, which held the mutex in Prepare.
  g_reset_mu->unlock();
  g_fork_epoch.fetch_add(1, std::memory_order_relaxed);
}

// Registered when the library is loaded; no handler is needed per pool.
const int g_registered = pthread_atfork(Prepare, Parent, Child);

}  // namespace

std::mutex &ForkResetMutex() {
  (void)g_registered;
  return *g_reset_mu;
}

}  // namespace ants
