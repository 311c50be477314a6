// peer_libants.cpp - libants through its C API, in two configurations.
#include <ants.h>

#include <cstdio>
#include <cstdlib>

#include "peers.h"

namespace bench {

// The fastest length found on this machine (bench/README.md, "Choosing the
// queue length"): long enough that the submitter of B1/B3 almost never
// blocks, which is what makes the queue pay. A ring of 24-byte slots, so
// 1.5 MiB of address space, touched only as far as it fills. The environment
// variable ANTS_BENCH_QUEUE_SIZE overrides it, to look for a better one.
const int kLibantsQueueSize = [] {
  const char *env = std::getenv("ANTS_BENCH_QUEUE_SIZE");
  int n = env != nullptr ? std::atoi(env) : 0;
  return n > 0 ? n : 65536;
}();

namespace {

class LibantsPeer final : public Peer {
 public:
  LibantsPeer(int capacity, TaskFn fn, int queue_size) : fn_(fn) {
    ants_options *opts = nullptr;
    check(ants_options_new(&opts), "ants_options_new");
    if (queue_size > 0) {
      check(ants_options_set_queue_size(opts, queue_size), "ants_options_set_queue_size");
    }
    int rc = ants_pool_new(&pool_, capacity, opts);
    ants_options_free(opts);
    check(rc, "ants_pool_new");
  }
  ~LibantsPeer() override { ants_pool_free(pool_); }

  void submit(void *arg) override { check(ants_submit(pool_, fn_, arg), "ants_submit"); }

  // A task group per fork. In ants mode a worker's submit into its own full
  // pool runs the child inline, so waiting here cannot deadlock.
  void fork_join(TaskFn fn, void *a, void *b) override {
    ants_group *g = nullptr;
    check(ants_group_new(&g), "ants_group_new");
    check(ants_group_submit(g, pool_, fn, a), "ants_group_submit");
    check(ants_group_submit(g, pool_, fn, b), "ants_group_submit");
    check(ants_group_wait(g, -1), "ants_group_wait");
    ants_group_free(g);
  }

 private:
  static void check(int rc, const char *what) {
    if (rc != ANTS_OK) {
      char msg[160];
      std::snprintf(msg, sizeof msg, "%s: %s", what, ants_strerror(rc));
      fail(msg);
    }
  }

  TaskFn fn_;
  ants_pool *pool_ = nullptr;
};

}  // namespace

std::unique_ptr<Peer> make_libants(int capacity, TaskFn fn) {
  return std::make_unique<LibantsPeer>(capacity, fn, 0);
}

std::unique_ptr<Peer> make_libants_queue(int capacity, TaskFn fn) {
  return std::make_unique<LibantsPeer>(capacity, fn, kLibantsQueueSize);
}

}  // namespace bench
