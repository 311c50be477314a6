// registry.cpp - the list of peers, in the order tables and charts show them.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "child.h"
#include "peers.h"

namespace bench {

const std::vector<PeerInfo> &all_peers() {
  static const std::string queue_label =
      "libants (queue " + std::to_string(kLibantsQueueSize) + ")";
  static const std::string hpp_queue_label =
      "libants hpp, 1-pointer lambda (queue " + std::to_string(kLibantsQueueSize) + ")";
  static const std::vector<PeerInfo> peers = {
      // id, label, keeps_workers, slow_start, spins_when_idle, make[, per_task_only[,
      // nested[, go]]]
      {"libants", "libants (ants mode)", true, false, false, make_libants, false, true},
      // With a queue, a worker's nested submit is queued behind the worker
      // itself, which then waits for it: B7 would deadlock (bench/README.md).
      {"libants_queue", queue_label.c_str(), true, false, false, make_libants_queue},
      {"libants_hpp", "libants hpp, 1-pointer lambda", true, false, false, make_libants_hpp, true,
       true},
      {"libants_hpp_slab", "libants hpp, 2-pointer lambda", true, false, false,
       make_libants_hpp_slab, true},
      {"libants_hpp_async", "libants hpp, async", true, false, false, make_libants_hpp_async, true,
       true},
      {"libants_hpp_queue", hpp_queue_label.c_str(), true, false, false, make_libants_hpp_queue,
       true},
      // Go's ants v2, the library libants ports (the Go program bench/goants).
      {"go_ants", "Go ants v2", true, false, false, nullptr, false, true, true},
      {"thread", "std::thread per task", false, true, false, make_thread_per_task},
      {"thread_sem", "thread per task + semaphore", false, true, false, make_thread_semaphore},
      {"glib", "GLib GThreadPool", true, false, false, make_glib},
      {"asio", "boost::asio::thread_pool", true, false, false, make_asio},
      {"tbb_group", "oneTBB task_group", true, false, true, make_tbb_task_group, false, true},
      {"tbb_enqueue", "oneTBB arena enqueue", true, false, true, make_tbb_arena_enqueue},
      {"rvaser", "rvaser thread_pool", true, false, false, make_rvaser},
      {"cthreadpool", "C-Thread-Pool", true, false, false, make_cthreadpool},
  };
  return peers;
}

void Peer::fork_join(TaskFn, void *, void *) { fail("this pool has no fork-join form"); }

void fail(const char *what) {
  std::fprintf(stderr, "ants_bench: %s\n", what);
  std::fflush(stderr);
  child_report_error(what);
  _exit(2);
}

}  // namespace bench
