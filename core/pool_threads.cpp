// pool_threads.cpp - worker threads: started (each counted in running_
// before it exists, so the capacity holds while pthread_create runs),
// finished, and joined by the next one to exit or by release/free.
#include "pool.h"

#include <pthread.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "fault_injection.h"

namespace ants {

Worker *Pool::TakeWorkerStructLocked(std::unique_lock<SpinMutex> &lock) {
  if (!spare_ && zombies_) {
    // Every struct belongs to a live or an exited thread: join the exited
    // ones (they are past their last instruction in the pool) and reuse
    // theirs - a pre-allocated pool must not allocate here.
    Worker *exited = zombies_;
    zombies_ = nullptr;
    lock.unlock();
    JoinAndRecycle(exited);
    lock.lock();
  }
  if (Worker *w = spare_) {
    spare_ = w->next;
    w->next = nullptr;
    return w;
  }
  if (fault::fail(ANTS_FAULT_ALLOC)) return nullptr;
  Worker *w = new (std::nothrow) Worker;
  if (!w) return nullptr;
  w->pool = this;
  w->all_next = all_;
  all_ = w;
  return w;
}

int Pool::SpawnLocked(std::unique_lock<SpinMutex> &lock, const Task &task, bool woken,
                      bool reuse_slot) {
  // Count the slot first: taking a struct may drop the lock (to join exited
  // threads), and the capacity must hold meanwhile.
  if (!reuse_slot) running_.fetch_add(1, std::memory_order_relaxed);
  busy_.fetch_add(1, std::memory_order_relaxed);
  ++spawning_;  // until the thread runs (WorkerLoop)
  if (woken) ++waking_;
  int status = ANTS_ERR_NO_MEMORY;
  int err = 0;
  Worker *w = TakeWorkerStructLocked(lock);
  if (w) {
    w->generation = generation_;
    w->woken = woken;
    w->slot_handed = false;
    w->ResetSignal();
    w->Hand(task);  // nobody waits on it yet: this only stores the first task
    Ref();          // the thread's reference
    lock.unlock();

    // Thread creation takes tens of microseconds: never under the lock. The
    // slot is already counted in running_, so the capacity holds meanwhile.
    err = EAGAIN;
    if (!fault::fail(ANTS_FAULT_THREAD_CREATE)) {
      pthread_attr_t attr;
      pthread_attr_init(&attr);
      if (opts_.stack_size > 0) pthread_attr_setstacksize(&attr, opts_.stack_size);
      pthread_t tid;
      err = pthread_create(&tid, &attr, &Pool::ThreadMain, w);
      pthread_attr_destroy(&attr);
    }
    // Once the thread runs, its task may free this pool (ants_pool_free
    // from inside a task) and the thread may then drop the last reference:
    // on success, touch nothing of the pool again, not even to relock.
    if (err == 0) return ANTS_OK;
    lock.lock();
    w->woken = false;
    w->next = spare_;
    spare_ = w;
    refs_.fetch_sub(1, std::memory_order_relaxed);  // the caller still holds one
    status = ANTS_ERR_SYSTEM;
  }

  // The rollback is a slot freed like any other: the same wake-ups as a
  // worker's exit. (Callers never queue behind a thread being created; a
  // queue hand-off that needed this thread is the caller's to redo.)
  --spawning_;
  if (!reuse_slot) running_.fetch_sub(1, std::memory_order_relaxed);
  busy_.fetch_sub(1, std::memory_order_relaxed);
  if (woken) --waking_;
  WaiterRef wt = reuse_slot ? WaiterRef() : SlotFreedLocked();
  if (wt || err != 0) {
    lock.unlock();
    if (wt) wt->Notify();
    if (err != 0) opts_.logger.Printf("cannot start a worker thread: %s", std::strerror(err));
    lock.lock();
  }
  return status;
}

void *Pool::ThreadMain(void *arg) {
  Worker *w = static_cast<Worker *>(arg);
  w->pool->WorkerLoop(w);
  return nullptr;
}

void Pool::FinishWorker(Worker *w) {
  WaiterRef wt;
  Worker *exited;
  {
    std::lock_guard<SpinMutex> lock(mu_);
    const bool freed = !w->slot_handed;
    w->slot_handed = false;
    if (freed) running_.fetch_sub(1, std::memory_order_relaxed);
    --retiring_;
    // Join the threads that exited before this one; this one is joined by
    // the next to exit, or by release/free (they wait for running_ == 0,
    // which holds only once every thread is on this list).
    exited = zombies_;
    zombies_ = nullptr;
    if (never_freed_) {
      pthread_detach(w->thread);
      w->next = spare_;
      spare_ = w;
    } else {
      w->next = nullptr;
      zombies_ = w;
    }
    // A slot freed up (after a shrink, an expiry or a reboot): a blocked
    // caller may start a worker in it.
    if (freed) wt = SlotFreedLocked();
  }
  if (wt) wt->Notify();
  JoinAndRecycle(exited);
  Unref();
}

void Pool::JoinAndRecycle(Worker *exited) {
  if (!exited) return;
  Worker *last = exited;
  for (Worker *z = exited;; z = z->next) {
    pthread_join(z->thread, nullptr);
    if (!z->next) {
      last = z;
      break;
    }
  }
  std::lock_guard<SpinMutex> lock(mu_);
  last->next = spare_;
  spare_ = exited;
}

void Pool::JoinExited() {
  for (;;) {
    Worker *exited;
    {
      std::lock_guard<SpinMutex> lock(mu_);
      exited = zombies_;
      zombies_ = nullptr;
    }
    if (!exited) return;
    JoinAndRecycle(exited);
  }
}

}  // namespace ants
