// handle.h - what the opaque C handles are, and the guard that keeps C++
// exceptions from ever crossing the C ABI.
#ifndef ANTS_CAPI_HANDLE_H
#define ANTS_CAPI_HANDLE_H

#include <atomic>
#include <new>
#include <system_error>

#include "ants.h"
#include "group.h"
#include "options.h"
#include "pool_base.h"

struct ants_pool {
  ants::PoolBase *impl;
  bool is_default;  // the process-wide pool: never freed
  // Owners of the handle: one for its creator, one per ants_pool_retain.
  // The last ants_pool_free releases, waits and frees.
  std::atomic<int> owners{1};
};

struct ants_options {
  ants::Options opts;
};

struct ants_group {
  ants::Group *impl;
};

namespace ants::capi {

// Runs body (returning a status) and maps any exception to a status: the C
// ABI must never see one. bad_alloc is the only one the engine can raise in
// practice (std::string in options); the rest are belts and braces.
template <typename Body>
int Guard(Body body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return ANTS_ERR_NO_MEMORY;
  } catch (...) {
    return ANTS_ERR_SYSTEM;
  }
}

}  // namespace ants::capi

#endif
