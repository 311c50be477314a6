// peer_thread.cpp - the baselines a pool must beat: a std::thread per task,
// unbounded or bounded by a counting semaphore (ants' own "semaphore"
// baseline, with threads in place of goroutines).
#include <semaphore.h>

#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

#include "peers.h"

namespace bench {
namespace {

// The kernel here allows ~32K threads in total (pid_max 32768) for every
// process on the machine; "unbounded" thread per task still stops at this
// many live threads so that no workload can exhaust it.
constexpr int kSafetyCap = 16384;

class ThreadPerTask final : public Peer {
 public:
  ThreadPerTask(int bound, TaskFn fn) : fn_(fn) {
    if (sem_init(&permits_, 0, static_cast<unsigned>(bound)) != 0) fail("sem_init");
  }

  // Teardown: wait for every started thread to finish its task. The threads
  // are detached, so this is the only way to know they are done with *this.
  ~ThreadPerTask() override {
    std::unique_lock<std::mutex> lock(mu_);
    all_done_.wait(lock, [this] { return live_ == 0; });
    lock.unlock();
    sem_destroy(&permits_);
  }

  void submit(void *arg) override {
    while (sem_wait(&permits_) != 0) {
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++live_;
    }
    try {
      std::thread([this, arg] { body(arg); }).detach();
    } catch (const std::system_error &) {
      fail("std::thread: the system refused a thread");
    }
  }

 private:
  void body(void *arg) {
    fn_(arg);
    sem_post(&permits_);
    // Notify under the lock so the destructor cannot free the condition
    // variable while this thread still uses it.
    std::lock_guard<std::mutex> lock(mu_);
    if (--live_ == 0) all_done_.notify_all();
  }

  TaskFn fn_;
  sem_t permits_;
  std::mutex mu_;
  std::condition_variable all_done_;
  int live_ = 0;  // guarded by mu_
};

}  // namespace

std::unique_ptr<Peer> make_thread_per_task(int /*capacity*/, TaskFn fn) {
  return std::make_unique<ThreadPerTask>(kSafetyCap, fn);
}

std::unique_ptr<Peer> make_thread_semaphore(int capacity, TaskFn fn) {
  return std::make_unique<ThreadPerTask>(capacity, fn);
}

}  // namespace bench
