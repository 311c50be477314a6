// engine.cpp - the engine's parallel work, as C++ code does it with ants.hpp:
// a task group over the pool it was handed, lambdas for the shards.
#include "engine.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <new>
#include <set>
#include <string>

#include <ants.hpp>

struct engine {
  ants::pool pool;  // retained: one of the pool's owners
};

extern "C" int engine_open(engine **out, ants_pool *pool) {
  if (!out || !pool) return ANTS_ERR_INVALID_ARGUMENT;
  try {
    *out = new engine{ants::pool::retain(pool)};
    return ANTS_OK;
  } catch (const ants::error &err) {
    return err.code();
  } catch (const std::bad_alloc &) {
    return ANTS_ERR_NO_MEMORY;
  }
}

extern "C" void engine_close(engine *e) {
  delete e;
}  // ~pool drops the engine's ownership

extern "C" ants_pool *engine_pool(engine *e) {
  return e ? e->pool.handle() : nullptr;
}

extern "C" int engine_search(engine *e, int shards, engine_report *out) {
  if (!e || !out || shards <= 0) return ANTS_ERR_INVALID_ARGUMENT;
  std::atomic<long long> score{0};
  std::atomic<int> ran{0}, max_busy{0};
  std::mutex mu;
  std::set<std::string> names;
  try {
    ants::group g;
    for (int i = 0; i < shards; ++i) {
      g.submit(e->pool, [&, i] {
        long long s = 0;
        for (int k = 0; k < 20000; ++k) s += (k * (i + 1)) % 7;  // "scoring"
        score += s;
        ran += 1;
        int busy = e->pool.busy();
        int seen = max_busy.load();
        while (busy > seen && !max_busy.compare_exchange_weak(seen, busy)) {
        }
        char name[16] = "?";
        pthread_getname_np(pthread_self(), name, sizeof name);
        std::lock_guard<std::mutex> lock(mu);
        names.insert(name);
      });
    }
    g.wait();
  } catch (const ants::error &err) {
    return err.code();
  }
  out->score = score.load();
  out->tasks = ran.load();
  out->max_busy = max_busy.load();
  std::string joined;
  for (const std::string &n : names) joined += (joined.empty() ? "" : " ") + n;
  std::snprintf(out->threads, sizeof out->threads, "%s", joined.c_str());
  return ANTS_OK;
}
