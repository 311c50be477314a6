// child.cpp - fork, a framed pipe protocol, and deadlines.
//
// Frames on the pipe: one type byte, a uint32 payload length, the payload.
//   'V' the body's figures (doubles)   'T' teardown seconds (one double)
//   'E' an error message (text)
//   'C' a request for the child's CPU time (empty): the parent answers
//       with one double on the reply pipe (child_cpu_s)
#include "child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "proc_stats.h"

namespace bench {
namespace {

int g_report_fd = -1;  // set in the child only
int g_reply_fd = -1;   // the parent's answers to 'C' (child only)

bool write_all(int fd, const void *data, size_t len) {
  const char *p = static_cast<const char *>(data);
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

void send_frame(char type, const void *payload, uint32_t len) {
  char header[5];
  header[0] = type;
  std::memcpy(header + 1, &len, sizeof len);
  // A parent that stopped listening has killed us or will: nothing to do.
  if (write_all(g_report_fd, header, sizeof header)) {
    (void)write_all(g_report_fd, payload, len);
  }
}

// Reads exactly len bytes before the deadline (monotonic seconds).
// Returns 1 on success, 0 on end of file, -1 on timeout.
int read_until(int fd, void *data, size_t len, double deadline) {
  char *p = static_cast<char *>(data);
  while (len > 0) {
    double left = deadline - now_s();
    if (left <= 0) return -1;
    pollfd pfd{fd, POLLIN, 0};
    int r = poll(&pfd, 1, static_cast<int>(std::ceil(left * 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return -1;
    ssize_t n = read(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return 1;
}

struct Frame {
  char type = 0;
  std::string payload;
};

int read_frame(int fd, Frame *out, double deadline) {
  char header[5];
  int r = read_until(fd, header, sizeof header, deadline);
  if (r != 1) return r;
  uint32_t len;
  std::memcpy(&len, header + 1, sizeof len);
  out->type = header[0];
  out->payload.assign(len, '\0');
  return len == 0 ? 1 : read_until(fd, &out->payload[0], len, deadline);
}

std::string describe_exit(int status) {
  char buf[64];
  if (WIFSIGNALED(status)) {
    std::snprintf(buf, sizeof buf, "child killed by signal %d", WTERMSIG(status));
  } else {
    std::snprintf(buf, sizeof buf, "child exited with status %d", WEXITSTATUS(status));
  }
  return buf;
}

// The child's process CPU clock, read from outside (see child_cpu_s).
bool answer_cpu_request(pid_t pid, int reply_fd) {
  double cpu_s = -1;
  clockid_t clock;
  timespec ts;
  if (clock_getcpuclockid(pid, &clock) == 0 && clock_gettime(clock, &ts) == 0) {
    cpu_s = static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  return write_all(reply_fd, &cpu_s, sizeof cpu_s);
}

// Reads the next frame other than a CPU request, answering those.
int read_report(pid_t pid, int fd, int reply_fd, Frame *f, double deadline) {
  for (;;) {
    int r = read_frame(fd, f, deadline);
    if (r != 1 || f->type != 'C') return r;
    if (!answer_cpu_request(pid, reply_fd)) return 0;
  }
}

[[noreturn]] void child_main(int fd, int reply_fd, const ChildBody &body) {
  g_report_fd = fd;
  g_reply_fd = reply_fd;
  // If the suite dies, its children must not live on holding threads.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::unique_ptr<Peer> keep;
  std::vector<double> values = body(keep);
  send_frame('V', values.data(), static_cast<uint32_t>(values.size() * sizeof(double)));
  double t0 = now_s();
  keep.reset();
  double teardown = now_s() - t0;
  send_frame('T', &teardown, sizeof teardown);
  // _exit: skip static destructors; oneTBB and GLib keep global threads.
  _exit(0);
}

}  // namespace

bool in_child() {
  return g_report_fd >= 0;
}

double child_cpu_s() {
  if (g_report_fd < 0) return -1;
  send_frame('C', nullptr, 0);
  double cpu_s = -1;
  if (read_until(g_reply_fd, &cpu_s, sizeof cpu_s, now_s() + 60) != 1) return -1;
  return cpu_s;
}

void child_report_error(const char *what) {
  if (g_report_fd >= 0) send_frame('E', what, static_cast<uint32_t>(std::strlen(what)));
}

ChildOutcome run_in_child(const ChildBody &body, double run_cap_s, double teardown_cap_s) {
  ChildOutcome out;
  int fds[2], reply[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    out.error = "pipe failed";
    return out;
  }
  if (pipe2(reply, O_CLOEXEC) != 0) {
    close(fds[0]);
    close(fds[1]);
    out.error = "pipe failed";
    return out;
  }
  std::fflush(nullptr);  // the child must not re-emit buffered output
  pid_t pid = fork();
  if (pid < 0) {
    out.error = "fork failed";
    for (int fd : {fds[0], fds[1], reply[0], reply[1]}) close(fd);
    return out;
  }
  if (pid == 0) {
    close(fds[0]);
    close(reply[1]);
    child_main(fds[1], reply[0], body);
  }
  close(fds[1]);
  close(reply[0]);

  bool killed = false;
  auto kill_child = [&] {
    kill(pid, SIGKILL);
    killed = true;
  };

  Frame f;
  double deadline = now_s() + run_cap_s;
  int r = read_report(pid, fds[0], reply[1], &f, deadline);
  if (r == -1) {
    kill_child();
    char buf[64];
    std::snprintf(buf, sizeof buf, "timed out after %.0f s", run_cap_s);
    out.error = buf;
  } else if (r == 0) {
    out.error = "child ended without reporting";
  } else if (f.type == 'E') {
    out.error = f.payload;
  } else if (f.type == 'V') {
    out.values.resize(f.payload.size() / sizeof(double));
    std::memcpy(out.values.data(), f.payload.data(), out.values.size() * sizeof(double));
    out.ok = true;
    r = read_report(pid, fds[0], reply[1], &f, now_s() + teardown_cap_s);
    if (r == 1 && f.type == 'T' && f.payload.size() == sizeof(double)) {
      std::memcpy(&out.teardown_s, f.payload.data(), sizeof(double));
    } else {
      // Timed out (or died) tearing down: the figures stand, teardown is capped.
      out.teardown_capped = true;
      out.teardown_s = teardown_cap_s;
      if (r == -1) kill_child();
    }
  } else {
    out.error = "garbled report from child";
  }
  close(fds[0]);
  close(reply[1]);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!out.ok && out.error.empty()) out.error = describe_exit(status);
  if (!out.ok && !killed && out.error == "child ended without reporting") {
    out.error = describe_exit(status);
  }
  return out;
}

}  // namespace bench
