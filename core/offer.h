// offer.h - the pool's offer box: in a full pool, a task a submitter holds
// out to the pool's workers instead of taking an idle one through the pool
// lock. A worker that just finished a task and spins for the next one (at
// most max_spinners_ do), or else the first busy worker to finish, takes it
// and stays busy. The pool decides when to offer and who may take
// (pool_offer.cpp); this box only moves one task between two threads.
//
// Why: in ants' default mode (no queue) every task is a hand-off from the
// submitter to a worker. Through the idle list that costs two rounds on the
// pool lock and two writes of busy_ per task (the worker goes idle, the
// submitter takes it back). The box is one cache line holding the task
// itself and one state word: the submitter writes the task and flips the
// word, the worker claims it with a CAS and reads the task from the line it
// just claimed - a handful of transfers of one line per task.
//
// The state word: phase (2 bits), workers spinning for an offer (10 bits),
// and a sequence number that grows with every offer taken or withdrawn, so
// a submitter knows its own offer was taken even if the box was reused.
//   kEmpty -> kWriting (a submitter claimed the box) -> kFull (the task is
//   there) -> kTaking (a worker claimed it) -> kEmpty, sequence + 1;
//   or kFull -> kEmpty, sequence + 1, when the submitter withdraws.
#ifndef ANTS_CORE_OFFER_H
#define ANTS_CORE_OFFER_H

#include <atomic>
#include <cstdint>

#include "task.h"

namespace ants {

class OfferBox {
 public:
  static constexpr int kMaxSpinners = 1023;

  // Submitter: puts task in the box if it is empty. *ticket identifies this
  // offer for Taken/Withdraw. Sequentially consistent (the pool's Dekker
  // check follows it).
  bool Post(const Task &task, uint64_t *ticket) {
    uint64_t s = state_.load(std::memory_order_relaxed);
    do {
      if (Phase(s) != kEmpty) return false;
    } while (!state_.compare_exchange_weak(s, s + kWriting, std::memory_order_acquire,
                                           std::memory_order_relaxed));
    task_ = task;
    // kWriting -> kFull; spinners may have come and gone meanwhile.
    *ticket = Seq(state_.fetch_add(kFull - kWriting, std::memory_order_seq_cst));
    return true;
  }
  // Submitter: whether a worker has claimed the offer of ticket.
  bool Taken(uint64_t ticket) const {
    uint64_t s = state_.load(std::memory_order_acquire);
    return Seq(s) != ticket || Phase(s) != kFull;
  }
  // Submitter: takes its offer back. false if a worker claimed it first.
  bool Withdraw(uint64_t ticket) {
    uint64_t s = state_.load(std::memory_order_relaxed);
    do {
      if (Seq(s) != ticket || Phase(s) != kFull) return false;
    } while (!state_.compare_exchange_weak(s, s - kFull + kSeqOne, std::memory_order_seq_cst,
                                           std::memory_order_relaxed));
    return true;
  }

  bool Full() const { return Phase(state_.load(std::memory_order_seq_cst)) == kFull; }
  int Spinners() const {
    return static_cast<int>((state_.load(std::memory_order_relaxed) >> kSpinShift) & kSpinMask);
  }

  // Worker: claims the task if one is there. A registered spinner gives up
  // its registration with the same CAS.
  bool Take(Task *task, bool spinner) {
    uint64_t s = state_.load(std::memory_order_relaxed);
    do {
      if (Phase(s) != kFull) return false;
    } while (!state_.compare_exchange_weak(s, s + (kTaking - kFull) - (spinner ? kSpinOne : 0),
                                           std::memory_order_seq_cst, std::memory_order_relaxed));
    *task = task_;
    // kTaking -> kEmpty, next sequence: the box is free again.
    state_.fetch_add(kSeqOne - kTaking, std::memory_order_release);
    return true;
  }
  // Worker: registers as spinning for an offer, if fewer than max do. A
  // CAS, not an add checked afterwards: thousands of workers finishing at
  // once would carry a 10-bit count into the sequence, and a submitter
  // would take its offer for taken.
  bool AddSpinner(int max) {
    if (max > kMaxSpinners) max = kMaxSpinners;  // the field's own limit
    uint64_t s = state_.load(std::memory_order_relaxed);
    do {
      if (static_cast<int>((s >> kSpinShift) & kSpinMask) >= max) return false;
    } while (!state_.compare_exchange_weak(s, s + kSpinOne, std::memory_order_seq_cst,
                                           std::memory_order_relaxed));
    return true;
  }
  void RemoveSpinner() { state_.fetch_sub(kSpinOne, std::memory_order_seq_cst); }

  // After fork(), in the child: nobody is offering or spinning there.
  void Reset() { state_.store(0, std::memory_order_relaxed); }

 private:
  static constexpr uint64_t kEmpty = 0, kWriting = 1, kFull = 2, kTaking = 3;
  static constexpr int kSpinShift = 2;
  static constexpr uint64_t kSpinMask = 1023;
  static constexpr uint64_t kSpinOne = uint64_t{1} << kSpinShift;
  static constexpr int kSeqShift = 12;
  static constexpr uint64_t kSeqOne = uint64_t{1} << kSeqShift;
  static uint64_t Phase(uint64_t s) { return s & 3; }
  static uint64_t Seq(uint64_t s) { return s >> kSeqShift; }

  std::atomic<uint64_t> state_{0};
  Task task_;  // written in kWriting by the submitter, read in kTaking by the worker
};

}  // namespace ants

#endif
