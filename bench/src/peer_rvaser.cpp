// peer_rvaser.cpp - rvaser's thread_pool: one queue per thread with
// try-lock stealing; every Submit returns a std::future (discarded here).
#include <thread_pool/thread_pool.hpp>

#include "peers.h"

namespace bench {
namespace {

class RvaserPeer final : public Peer {
 public:
  RvaserPeer(int capacity, TaskFn fn) : fn_(fn), pool_(static_cast<std::size_t>(capacity)) {}
  // The destructor drains the queues and joins every thread.
  ~RvaserPeer() override = default;

  void submit(void *arg) override { (void)pool_.Submit(fn_, arg); }

 private:
  TaskFn fn_;
  thread_pool::ThreadPool pool_;
};

}  // namespace

std::unique_ptr<Peer> make_rvaser(int capacity, TaskFn fn) {
  return std::make_unique<RvaserPeer>(capacity, fn);
}

}  // namespace bench
