// peer_tbb.cpp - oneTBB, in its two ways of running fire-and-forget tasks:
// a task_group fed from inside an arena, and task_arena::enqueue.
//
// oneTBB sizes itself to the hardware; to give it `capacity` workers like
// every other peer we raise its global limit (max_allowed_parallelism counts
// the submitting thread too) and size the arena to match. Teardown calls
// oneapi::tbb::finalize, the only way to wait until oneTBB's workers exit.
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <new>
#include <optional>

#include "peers.h"

namespace bench {
namespace {

namespace tbb = oneapi::tbb;

class TbbBase : public Peer {
 protected:
  explicit TbbBase(int capacity, TaskFn fn)
      : fn_(fn),
        handle_(tbb::attach{}),
        limit_(std::in_place, tbb::global_control::max_allowed_parallelism,
               static_cast<std::size_t>(capacity) + 1) {}

  void finalize() {
    limit_.reset();
    // false means other users kept the scheduler alive; nothing to wait for.
    (void)tbb::finalize(handle_, std::nothrow);
  }

  TaskFn fn_;

 private:
  tbb::task_scheduler_handle handle_;
  std::optional<tbb::global_control> limit_;
};

// The submitting thread enters the arena (its one slot reserved for a
// master) and spawns into it; `capacity` workers fill the other slots. The
// harness never calls tg.wait() while measuring, so the submitter does not
// run tasks itself - like every other peer's submitter.
class TbbTaskGroupPeer final : public TbbBase {
 public:
  TbbTaskGroupPeer(int capacity, TaskFn fn)
      : TbbBase(capacity, fn), arena_(std::in_place, capacity + 1, 1), group_(std::in_place) {}
  // noexcept: oneTBB declares ~task_group() noexcept(false), which would make
  // this destructor laxer than Peer's; a throw here may as well terminate.
  ~TbbTaskGroupPeer() noexcept override {
    arena_->execute([this] { group_->wait(); });
    group_.reset();
    arena_.reset();
    finalize();
  }

  void run(const std::function<void()> &body) override { arena_->execute(body); }

  void submit(void *arg) override {
    TaskFn fn = fn_;
    group_->run([fn, arg] { fn(arg); });
  }

  // oneTBB's own fork-join: a task_group per fork; wait() runs tasks of the
  // arena (work stealing) instead of blocking the worker.
  void fork_join(TaskFn fn, void *a, void *b) override {
    tbb::task_group tg;
    tg.run([fn, a] { fn(a); });
    tg.run([fn, b] { fn(b); });
    tg.wait();
  }

 private:
  std::optional<tbb::task_arena> arena_;
  std::optional<tbb::task_group> group_;
};

// No slot reserved for masters: `capacity` workers take enqueued tasks.
class TbbArenaEnqueuePeer final : public TbbBase {
 public:
  TbbArenaEnqueuePeer(int capacity, TaskFn fn)
      : TbbBase(capacity, fn), arena_(std::in_place, capacity, 0) {}
  ~TbbArenaEnqueuePeer() override {
    arena_.reset();
    finalize();
  }

  void submit(void *arg) override {
    TaskFn fn = fn_;
    arena_->enqueue([fn, arg] { fn(arg); });
  }

 private:
  std::optional<tbb::task_arena> arena_;
};

}  // namespace

std::unique_ptr<Peer> make_tbb_task_group(int capacity, TaskFn fn) {
  return std::make_unique<TbbTaskGroupPeer>(capacity, fn);
}

std::unique_ptr<Peer> make_tbb_arena_enqueue(int capacity, TaskFn fn) {
  return std::make_unique<TbbArenaEnqueuePeer>(capacity, fn);
}

}  // namespace bench
