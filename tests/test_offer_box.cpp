// test_offer_box.cpp - the engine's offer box (core/offer.h, issue 12): the
// one cache line through which a submitter hands a task to a worker without
// the pool lock. Its protocol on its own, single-threaded at every state and
// boundary, then under threads (run under TSan in CI): every task posted is
// either taken exactly once or withdrawn, never both, never lost.
//
// Linked against ants::testing, which exposes the engine's headers.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
extern "C" {  // this cmocka.h has no C++ guards of its own
#include <cmocka.h>
}

#include <atomic>
#include <thread>
#include <vector>

#include "numbered_task.h"
#include "offer.h"

namespace {

using ants::OfferBox;
using ants::Task;

void test_post_then_take(void **) {
  OfferBox box;
  Task got;
  assert_false(box.Full());
  assert_false(box.Take(&got, false));  // nothing there
  uint64_t ticket = 0;
  assert_true(box.Post(TaskNumbered(7), &ticket));
  assert_true(box.Full());
  assert_false(box.Taken(ticket));
  uint64_t other = 0;
  assert_false(box.Post(TaskNumbered(8), &other));  // one offer at a time
  assert_true(box.Take(&got, false));
  assert_int_equal(Number(got), 7);
  assert_true(box.Taken(ticket));
  assert_false(box.Withdraw(ticket));   // too late: a worker owns it
  assert_false(box.Take(&got, false));  // taken once only
  // Empty again, with a new sequence: the next offer has a new ticket.
  uint64_t next = 0;
  assert_true(box.Post(TaskNumbered(9), &next));
  assert_true(next != ticket);
  assert_false(box.Taken(next));
}

void test_withdraw(void **) {
  OfferBox box;
  uint64_t ticket = 0;
  assert_true(box.Post(TaskNumbered(1), &ticket));
  assert_true(box.Withdraw(ticket));
  assert_false(box.Full());
  Task got;
  assert_false(box.Take(&got, false));  // withdrawn offers are never taken
  assert_false(box.Withdraw(ticket));   // nor withdrawn twice
  uint64_t next = 0;
  assert_true(box.Post(TaskNumbered(2), &next));
  assert_false(box.Withdraw(ticket));  // an old ticket never names a new offer
  assert_true(box.Full());
}

void test_spinners_are_bounded(void **) {
  OfferBox box;
  assert_true(box.AddSpinner(2));
  assert_true(box.AddSpinner(2));
  assert_false(box.AddSpinner(2));
  assert_int_equal(box.Spinners(), 2);
  // A spinner that takes an offer gives up its registration in the same step.
  uint64_t ticket = 0;
  assert_true(box.Post(TaskNumbered(3), &ticket));
  Task got;
  assert_true(box.Take(&got, true));
  assert_int_equal(box.Spinners(), 1);
  box.RemoveSpinner();
  assert_int_equal(box.Spinners(), 0);
  assert_false(box.AddSpinner(0));  // pre-alloc pools: nobody spins
}

// The spinner count has 10 bits below the sequence: at its limit the count
// must stop, not carry into the sequence (a submitter would read a changed
// sequence as "taken").
void test_spinner_count_never_reaches_the_sequence(void **) {
  OfferBox box;
  uint64_t ticket = 0;
  assert_true(box.Post(TaskNumbered(4), &ticket));
  for (int i = 0; i < OfferBox::kMaxSpinners; ++i)
    assert_true(box.AddSpinner(OfferBox::kMaxSpinners));
  assert_false(box.AddSpinner(OfferBox::kMaxSpinners));
  assert_false(box.AddSpinner(OfferBox::kMaxSpinners + 1000));  // the field's limit holds too
  assert_int_equal(box.Spinners(), OfferBox::kMaxSpinners);
  assert_false(box.Taken(ticket));
  assert_true(box.Withdraw(ticket));
  for (int i = 0; i < OfferBox::kMaxSpinners; ++i) box.RemoveSpinner();
  assert_int_equal(box.Spinners(), 0);
}

// One submitter, several takers that also register and drop spinner slots:
// every task ends up taken exactly once or withdrawn by its submitter.
void test_every_offer_taken_once_or_withdrawn(void **) {
  constexpr uintptr_t kTasks = 50000;
  constexpr int kTakers = 3;
  OfferBox box;
  std::vector<std::atomic<int>> taken(kTasks);
  std::vector<char> withdrawn(kTasks, 0);
  std::atomic<bool> done{false};
  std::vector<std::thread> takers;
  for (int k = 0; k < kTakers; ++k) {
    takers.emplace_back([&] {
      while (!done.load(std::memory_order_acquire)) {
        const bool spinner = box.AddSpinner(2);
        Task got;
        if (box.Take(&got, spinner)) {
          taken[Number(got)].fetch_add(1, std::memory_order_relaxed);
        } else {
          if (spinner) box.RemoveSpinner();
          std::this_thread::yield();  // 4 threads share 2 cores in CI
        }
      }
    });
  }
  for (uintptr_t n = 0; n < kTasks; ++n) {
    uint64_t ticket = 0;
    while (!box.Post(TaskNumbered(n), &ticket)) std::this_thread::yield();
    // Withdraw some at once, let the others be taken.
    if (n % 3 == 0 && box.Withdraw(ticket)) {
      withdrawn[n] = 1;
      continue;
    }
    while (!box.Taken(ticket)) std::this_thread::yield();
  }
  done.store(true, std::memory_order_release);
  for (std::thread &t : takers) t.join();
  assert_int_equal(box.Spinners(), 0);
  for (uintptr_t n = 0; n < kTasks; ++n) {
    if (withdrawn[n]) {
      assert_int_equal(taken[n].load(), 0);
    } else {
      assert_int_equal(taken[n].load(), 1);
    }
  }
}

}  // namespace

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_post_then_take),
      cmocka_unit_test(test_withdraw),
      cmocka_unit_test(test_spinners_are_bounded),
      cmocka_unit_test(test_spinner_count_never_reaches_the_sequence),
      cmocka_unit_test(test_every_offer_taken_once_or_withdrawn),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
