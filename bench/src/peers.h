// peers.h - the factory of each adapter; one adapter per file (peer_*.cpp).
#ifndef ANTS_BENCH_PEERS_H
#define ANTS_BENCH_PEERS_H

#include "peer.h"

namespace bench {

// libants with default options: ants' semantics, blocking submit, no queue.
std::unique_ptr<Peer> make_libants(int capacity, TaskFn fn);
// libants in its fastest configuration (a bounded task queue).
std::unique_ptr<Peer> make_libants_queue(int capacity, TaskFn fn);
// The length of that queue; shown in the table's label (65536 unless the
// environment sets ANTS_BENCH_QUEUE_SIZE).
extern const int kLibantsQueueSize;

// libants through ants.hpp (issue 16), default options unless named: a
// lambda capturing one pointer (carried in the C task), one capturing two
// (the pool's slab), async() with the future dropped, and the one-pointer
// lambda with the task queue of make_libants_queue.
std::unique_ptr<Peer> make_libants_hpp(int capacity, TaskFn fn);
std::unique_ptr<Peer> make_libants_hpp_slab(int capacity, TaskFn fn);
std::unique_ptr<Peer> make_libants_hpp_async(int capacity, TaskFn fn);
std::unique_ptr<Peer> make_libants_hpp_queue(int capacity, TaskFn fn);

// A std::thread per task, bounded only by a safety cap on live threads.
std::unique_ptr<Peer> make_thread_per_task(int capacity, TaskFn fn);
// A std::thread per task, at most `capacity` at once (a counting semaphore).
std::unique_ptr<Peer> make_thread_semaphore(int capacity, TaskFn fn);

std::unique_ptr<Peer> make_glib(int capacity, TaskFn fn);
std::unique_ptr<Peer> make_asio(int capacity, TaskFn fn);
std::unique_ptr<Peer> make_tbb_task_group(int capacity, TaskFn fn);
std::unique_ptr<Peer> make_tbb_arena_enqueue(int capacity, TaskFn fn);
std::unique_ptr<Peer> make_rvaser(int capacity, TaskFn fn);
std::unique_ptr<Peer> make_cthreadpool(int capacity, TaskFn fn);

}  // namespace bench

#endif
