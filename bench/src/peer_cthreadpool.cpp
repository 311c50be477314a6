// peer_cthreadpool.cpp - Pithikos C-Thread-Pool: one mutex-guarded job list;
// a malloc'd job per task. Its keep-alive flag is process-global, which is
// harmless here because every run is its own process.
#include <thpool.h>

#include "peers.h"

namespace bench {
namespace {

class CThreadPoolPeer final : public Peer {
 public:
  CThreadPoolPeer(int capacity, TaskFn fn) : fn_(fn), pool_(thpool_init(capacity)) {
    if (pool_ == nullptr) fail("thpool_init");
  }
  // thpool_destroy polls its threads with sleep(1): teardown takes >= 1 s.
  ~CThreadPoolPeer() override { thpool_destroy(pool_); }

  void submit(void *arg) override {
    if (thpool_add_work(pool_, fn_, arg) != 0) fail("thpool_add_work");
  }

 private:
  TaskFn fn_;
  threadpool pool_;
};

}  // namespace

std::unique_ptr<Peer> make_cthreadpool(int capacity, TaskFn fn) {
  return std::make_unique<CThreadPoolPeer>(capacity, fn);
}

}  // namespace bench
