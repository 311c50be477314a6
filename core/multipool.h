// multipool.h - n independent pools behind one handle, to cut lock
// contention (ants' MultiPool / MultiPoolWithFunc). Tasks are spread
// round-robin or to the sub-pool with the fewest busy workers.
#ifndef ANTS_CORE_MULTIPOOL_H
#define ANTS_CORE_MULTIPOOL_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "pool.h"

namespace ants {

class MultiPool final : public PoolBase {
 public:
  static int Create(MultiPool **out, int n, int size_per_pool, ants_task_fn fn, int strategy,
                    const Options &opts);
  ~MultiPool() override;

  ants_task_fn func() const override { return func_; }
  int Submit(const Task &task, int64_t timeout_ms) override;

  int Running() const override { return Sum(&Pool::Running); }
  int Busy() const override { return Sum(&Pool::Busy); }
  int Available() const override;
  int Cap() const override;
  int Waiting() const override { return Sum(&Pool::Waiting); }
  int Queued() const override { return Sum(&Pool::Queued); }
  bool IsClosed() const override { return closed_.load(std::memory_order_relaxed); }

  void Tune(int size) override;
  void Release() override;
  int ReleaseTimeout(int64_t timeout_ms) override;
  void Reboot() override;
  int WaitIdle(int64_t timeout_ms) override;
  int CancelQueued() override;
  int StatByIndex(int *out, Stat stat, int index) const override;
  void Destroy() override;

  // Slots: a sub-pool is picked as for a submit; tokens carry its index.
  int AcquireSlot(int64_t *slot, int64_t timeout_ms) override;
  int AcquireSlotAsync(int64_t *slot, int64_t *ticket, ants_slot_grant_fn fn, void *ctx) override;
  int CancelSlotWait(int64_t ticket) override;
  int BeginSlot(int64_t slot) override;
  int EndSlot(int64_t slot) override;
  int ReleaseSlot(int64_t slot) override;
  void AddSlotListener(int64_t id, ants_slot_listener_fn fn, void *ctx, ants_pool *handle) override;
  bool RemoveSlotListener(int64_t id) override;
  int64_t ExpiryMs() const override { return pools_[0]->ExpiryMs(); }

 private:
  MultiPool(ants_task_fn fn, int strategy) : func_(fn), strategy_(strategy) {}
  int Sum(int (Pool::*getter)() const) const;
  Pool *RoundRobin();
  Pool *LeastBusy() const;
  bool CalledFromOwnWorker() const { return pools_[0]->CalledFromOwnWorker(); }
  template <typename Acquire>
  int PickAndAcquire(Acquire acquire);
  int OnSubPool(int64_t token, int (Pool::*op)(int64_t));
  // The sub-pool a slot or ticket names, or nullptr.
  Pool *SubPoolOf(int64_t token) const;

  const ants_task_fn func_;
  const int strategy_;
  std::vector<Pool *> pools_;
  std::atomic<unsigned> next_{0};
  std::atomic<bool> closed_{false};
};

}  // namespace ants

#endif
