// pool_base.h - what every kind of pool can do. The C handle ants_pool wraps
// one PoolBase, so every C function works on plain pools and multipools alike
// through one virtual call.
#ifndef ANTS_CORE_POOL_BASE_H
#define ANTS_CORE_POOL_BASE_H

#include <cstdint>

#include "ants.h"
#include "task.h"

namespace ants {

// Per-sub-pool statistics of a multipool (the *_by_index getters).
enum class Stat { kRunning, kAvailable, kWaiting, kBusy };

class PoolBase {
 public:
  virtual ~PoolBase() = default;

  // The pool's fixed function, or nullptr for a pool that takes ants_submit.
  virtual ants_task_fn func() const = 0;

  // Accepts task or says why not. timeout_ms < 0: block as long as needed
  // (ants_submit); >= 0: at most that long (ants_submit_timeout).
  virtual int Submit(const Task &task, int64_t timeout_ms) = 0;

  virtual int Running() const = 0;
  virtual int Busy() const = 0;
  virtual int Available() const = 0;
  virtual int Cap() const = 0;
  virtual int Waiting() const = 0;
  virtual int Queued() const = 0;
  virtual bool IsClosed() const = 0;

  virtual void Tune(int size) = 0;
  virtual void Release() = 0;
  virtual int ReleaseTimeout(int64_t timeout_ms) = 0;
  virtual void Reboot() = 0;
  virtual int WaitIdle(int64_t timeout_ms) = 0;
  // Drops the queued tasks no worker has started; returns how many.
  virtual int CancelQueued() = 0;

  // Slots (ants.h, "Slots"): admission for tasks libants does not run.
  // Slots and tickets are slot_token.h values naming the sub-pool; every
  // call validates what it can and answers ANTS_ERR_INVALID_ARGUMENT.
  virtual int AcquireSlot(int64_t *slot, int64_t timeout_ms) = 0;
  virtual int AcquireSlotAsync(int64_t *slot, int64_t *ticket, ants_slot_grant_fn fn,
                               void *ctx) = 0;
  virtual int CancelSlotWait(int64_t ticket) = 0;
  virtual int BeginSlot(int64_t slot) = 0;
  // 1: the holder keeps the slot, now idle; 0: it was given back.
  virtual int EndSlot(int64_t slot) = 0;
  virtual int ReleaseSlot(int64_t slot) = 0;
  virtual void AddSlotListener(int64_t id, ants_slot_listener_fn fn, void *ctx,
                               ants_pool *handle) = 0;
  virtual bool RemoveSlotListener(int64_t id) = 0;
  // Idle worker lifetime in ms; -1 if idle workers never expire.
  virtual int64_t ExpiryMs() const = 0;

  // Multipools only; plain pools answer ANTS_ERR_INVALID_ARGUMENT.
  virtual int StatByIndex(int *out, Stat stat, int index) const {
    (void)out;
    (void)stat;
    (void)index;
    return ANTS_ERR_INVALID_ARGUMENT;
  }

  // The handle is going away: release, wait for the workers unless called
  // from one of them, and drop the handle's ownership.
  virtual void Destroy() = 0;
};

}  // namespace ants

#endif
