// child.h - runs one measurement in a forked child process.
//
// Every run of every peer gets a fresh process: peak RSS, thread counts and
// process-global state (C-Thread-Pool's keep-alive flag, GLib's shared
// threads, oneTBB's scheduler) then belong to that peer alone, and a pool
// that hangs or takes long to tear down is killed at a deadline instead of
// stalling the suite. The parent (the Google Benchmark process) never starts
// a thread, so forking it is safe.
#ifndef ANTS_BENCH_CHILD_H
#define ANTS_BENCH_CHILD_H

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "peer.h"

namespace bench {

// The child's body: measure, return the figures, and leave the peer in
// `keep` so that its teardown is timed separately (and capped).
using ChildBody = std::function<std::vector<double>(std::unique_ptr<Peer> &keep)>;

struct ChildOutcome {
  bool ok = false;
  std::string error;             // when !ok: why (child's message, timeout, signal)
  std::vector<double> values;    // the body's figures, in its order
  double teardown_s = 0;         // time to destroy the peer
  bool teardown_capped = false;  // destroying it outlasted the cap; killed
};

ChildOutcome run_in_child(const ChildBody &body, double run_cap_s, double teardown_cap_s);

// In a child: the figures so far are final; report a failure instead.
// Used by fail() (see peer.h) to carry the message to the parent.
void child_report_error(const char *what);
bool in_child();
// In a child: this process's CPU seconds so far, read by the parent through
// the child's process CPU clock (-1 if unavailable). The kernel sums every
// thread's time for such a reading, ~3 ms at 10,000 threads, and charges it
// to the reader: read from inside, that cost would count as the pool's own
// idle CPU. The calling thread blocks until the answer comes.
double child_cpu_s();

}  // namespace bench

#endif
