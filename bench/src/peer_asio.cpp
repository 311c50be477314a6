// peer_asio.cpp - boost::asio::thread_pool: a fixed set of threads serving
// one shared scheduler queue.
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "peers.h"

namespace bench {
namespace {

class AsioPeer final : public Peer {
 public:
  AsioPeer(int capacity, TaskFn fn) : fn_(fn), pool_(static_cast<std::size_t>(capacity)) {}
  // join() waits for queued work, then the threads exit.
  ~AsioPeer() override { pool_.join(); }

  void submit(void *arg) override {
    TaskFn fn = fn_;
    boost::asio::post(pool_, [fn, arg] { fn(arg); });
  }

 private:
  TaskFn fn_;
  boost::asio::thread_pool pool_;
};

}  // namespace

std::unique_ptr<Peer> make_asio(int capacity, TaskFn fn) {
  return std::make_unique<AsioPeer>(capacity, fn);
}

}  // namespace bench
