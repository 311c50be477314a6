// peer_go.cpp - Go's ants as a column of the suite: each run starts the Go
// program bench/goants (built by bench/run.sh) from the run's child process
// and reads back its figures. The Go program measures the workload the way
// workloads.cpp does, with the counts, spin length and budgets it is given
// on its command line.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "workloads.h"

namespace bench {
namespace {

int wait_exit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// The Go process, once it has reported: it releases its pool and exits,
// and destroying this waits for that (B2's teardown).
class GoProcess final : public Peer {
 public:
  explicit GoProcess(pid_t pid) : pid_(pid) {}
  ~GoProcess() override { (void)wait_exit(pid_); }
  void submit(void *) override { fail("the Go program submits its own tasks"); }

 private:
  pid_t pid_;
};

}  // namespace

ChildBody go_body(const std::string &program, const std::vector<std::string> &args) {
  return [=](std::unique_ptr<Peer> &keep) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) fail("pipe failed");
    std::vector<char *> argv;
    argv.push_back(const_cast<char *>(program.c_str()));
    for (const std::string &a : args) argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) fail("fork failed");
    if (pid == 0) {
      // Killed with this child when the harness kills it at its deadline.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(fds[1], STDOUT_FILENO);  // the copy is not close-on-exec
      execv(program.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    // One line: "figures <v0> <v1> ...". Its error messages go to stderr,
    // which is the suite's (run.log).
    std::string line;
    char buf[256];
    while (line.find('\n') == std::string::npos) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    close(fds[0]);
    const std::string prefix = "figures ";
    if (line.compare(0, prefix.size(), prefix) != 0) {
      int status = wait_exit(pid);
      std::string why = "the Go program (" + program + ") ";
      if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        why += "could not be started";
      } else {
        why += "reported no figures, exit status " +
               std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) +
               " (its message is in the log)";
      }
      fail(why.c_str());
    }
    keep = std::make_unique<GoProcess>(pid);
    std::vector<double> values;
    const char *p = line.c_str() + prefix.size();
    for (;;) {
      char *end = nullptr;
      double v = std::strtod(p, &end);
      if (end == p) break;
      values.push_back(v);
      p = end;
    }
    if (values.empty()) fail("the Go program's figures line is empty");
    return values;
  };
}

}  // namespace bench
