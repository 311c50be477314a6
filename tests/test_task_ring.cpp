// test_task_ring.cpp - the engine's bounded task queue (core/task_queue.h)
// on its own: FIFO order across the ring's wrap, the reservation a task
// taken out for a thread start keeps until the start settles (the fix for
// a task run twice, issue 12), and when a blocked caller may move in.
//
// Linked against ants::testing, which exposes the engine's headers.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
extern "C" {  // this cmocka.h has no C++ guards of its own
#include <cmocka.h>
}

#include "numbered_task.h"
#include "task_queue.h"

namespace {

using ants::Task;
using ants::TaskQueue;

void test_fifo_across_the_wrap(void **) {
  TaskQueue q(3);
  uintptr_t next_in = 0, next_out = 0;
  for (int round = 0; round < 10; ++round) {
    while (!q.full()) q.Push(TaskNumbered(next_in++));
    assert_int_equal(q.size(), 3);
    for (int i = 0; i < 2; ++i) assert_int_equal(Number(q.Pop()), next_out++);
  }
  while (!q.empty()) assert_int_equal(Number(q.Pop()), next_out++);
  assert_int_equal(next_out, next_in);
}

// A reserved task holds its place: the queue reads full with it out, and
// its put-back always fits, back at the head, however the rest filled.
void test_reserved_place_fits_the_put_back(void **) {
  TaskQueue q(4);
  for (uintptr_t i = 0; i < 4; ++i) q.Push(TaskNumbered(i));
  Task a = q.PopReserved();
  Task b = q.PopReserved();
  assert_int_equal(Number(a), 0);
  assert_int_equal(Number(b), 1);
  assert_int_equal(q.size(), 2);
  assert_int_equal(q.reserved(), 2);
  assert_true(q.full());  // two out, two in: no room for a submitter
  q.Restore(b);
  q.Restore(a);
  assert_int_equal(q.reserved(), 0);
  assert_int_equal(q.size(), 4);
  for (uintptr_t i = 0; i < 4; ++i) assert_int_equal(Number(q.Pop()), i);
  assert_true(q.empty());
}

// A start that succeeded gives its place back; room appears only then.
void test_release_frees_the_place(void **) {
  TaskQueue q(2);
  q.Push(TaskNumbered(7));
  q.Push(TaskNumbered(8));
  assert_int_equal(Number(q.PopReserved()), 7);
  assert_true(q.full());
  q.Release();
  assert_false(q.full());
  q.Push(TaskNumbered(9));
  assert_int_equal(Number(q.Pop()), 8);
  assert_int_equal(Number(q.Pop()), 9);
}

// Blocked callers move in once a sixteenth is free (reserved places count
// as taken), or at the first free place in a queue under 16.
void test_room_for_blocked_callers(void **) {
  TaskQueue big(32);
  for (uintptr_t i = 0; i < 32; ++i) big.Push(TaskNumbered(i));
  big.Pop();
  assert_false(big.RoomForBlocked());
  assert_int_equal(Number(big.PopReserved()), 1);
  assert_false(big.RoomForBlocked());  // the reserved place is not free
  big.Release();
  assert_true(big.RoomForBlocked());

  TaskQueue small(3);
  for (uintptr_t i = 0; i < 3; ++i) small.Push(TaskNumbered(i));
  assert_false(small.RoomForBlocked());
  small.Pop();
  assert_true(small.RoomForBlocked());
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fifo_across_the_wrap),
      cmocka_unit_test(test_reserved_place_fits_the_put_back),
      cmocka_unit_test(test_release_frees_the_place),
      cmocka_unit_test(test_room_for_blocked_callers),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
