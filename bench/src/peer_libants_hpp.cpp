// peer_libants_hpp.cpp - libants through its C++ interface (ants.hpp), each
// task a C++ lambda: the rows to read against the C function-pointer rows
// of the same pool (peer_libants.cpp) and against the peers' lambdas.
#include <ants.hpp>

#include "peers.h"

namespace bench {
namespace {

// Every run has a child process of its own with one peer in it (child.h),
// so the run's task function can live here, and the "one pointer" lambdas
// capture only their argument - the case issue 16 targets: it travels
// inside the C task, no allocation. The "two pointers" lambda captures the
// function too, exactly as the asio and oneTBB adapters' lambdas do, and so
// goes through the pool's slab.
TaskFn g_task = nullptr;

enum class Form { one_pointer, two_pointers, async };

class LibantsHppPeer final : public Peer {
 public:
  LibantsHppPeer(int capacity, TaskFn fn, int queue_size, Form form)
      : pool_(make_pool(capacity, queue_size)), fn_(fn), form_(form) {
    g_task = fn;
  }
  // ~pool: release, wait for the workers, free.
  ~LibantsHppPeer() override = default;

  void submit(void *arg) override {
    try {
      switch (form_) {
        case Form::one_pointer:
          pool_.submit([arg] { g_task(arg); });
          break;
        case Form::two_pointers:
          pool_.submit([fn = fn_, arg] { fn(arg); });
          break;
        case Form::async:  // the future is dropped; the task still runs
          (void)pool_.async([arg] { g_task(arg); });
          break;
      }
    } catch (const ants::error &e) {
      fail(e.what());
    }
  }

  // The forms a C++ user would write: an ants::group, or two futures.
  void fork_join(TaskFn fn, void *a, void *b) override {
    try {
      if (form_ == Form::async) {
        auto fa = pool_.async([fn, a] { fn(a); });
        auto fb = pool_.async([fn, b] { fn(b); });
        fa.get();
        fb.get();
      } else {
        ants::group g;
        g.submit(pool_, [fn, a] { fn(a); });
        g.submit(pool_, [fn, b] { fn(b); });
        g.wait();
      }
    } catch (const ants::error &e) {
      fail(e.what());
    }
  }

 private:
  static ants::pool make_pool(int capacity, int queue_size) {
    try {
      ants::options opts;
      if (queue_size > 0) opts.queue_size(queue_size);
      return ants::pool(capacity, opts);
    } catch (const ants::error &e) {
      fail(e.what());
    }
  }

  ants::pool pool_;
  TaskFn fn_;
  Form form_;
};

}  // namespace

std::unique_ptr<Peer> make_libants_hpp(int capacity, TaskFn fn) {
  return std::make_unique<LibantsHppPeer>(capacity, fn, 0, Form::one_pointer);
}

std::unique_ptr<Peer> make_libants_hpp_slab(int capacity, TaskFn fn) {
  return std::make_unique<LibantsHppPeer>(capacity, fn, 0, Form::two_pointers);
}

std::unique_ptr<Peer> make_libants_hpp_async(int capacity, TaskFn fn) {
  return std::make_unique<LibantsHppPeer>(capacity, fn, 0, Form::async);
}

std::unique_ptr<Peer> make_libants_hpp_queue(int capacity, TaskFn fn) {
  return std::make_unique<LibantsHppPeer>(capacity, fn, kLibantsQueueSize, Form::one_pointer);
}

}  // namespace bench
