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
  std::string error;           // when !ok: why (child's message, timeout, signal)
  std::vector<double> values;  // the body's figures, in its order
  double teardown_s = 0;       // time to destroy the peer
  bool teardown_capped = false;  // destroying it outlasted the cap; killed
};

ChildOutcome run_in_child(const ChildBody &body, double run_cap_s, double teardown_cap_s);

// In a child: the figures so far are final; report a failure instead.
// Used by fail() (see peer.h) to carry the message to the parent.
void child_report_error(const char *what);
bool in_child();

}  // namespace bench

#endif
