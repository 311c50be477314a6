// peer_glib.cpp - GLib's GThreadPool, shared (non-exclusive) mode: the
// default most GLib programs use.
#include <glib.h>

#include "peers.h"

namespace bench {
namespace {

class GlibPeer final : public Peer {
 public:
  GlibPeer(int capacity, TaskFn fn) : fn_(fn) {
    GError *err = nullptr;
    pool_ = g_thread_pool_new(&GlibPeer::trampoline, this, capacity, FALSE, &err);
    if (pool_ == nullptr) fail(err != nullptr ? err->message : "g_thread_pool_new");
  }
  // immediate = FALSE, wait = TRUE: finish queued tasks, then return.
  ~GlibPeer() override { g_thread_pool_free(pool_, FALSE, TRUE); }

  // GThreadPool rejects NULL task data; every workload passes a real pointer.
  void submit(void *arg) override {
    GError *err = nullptr;
    if (!g_thread_pool_push(pool_, arg, &err)) {
      fail(err != nullptr ? err->message : "g_thread_pool_push");
    }
  }

 private:
  static void trampoline(gpointer data, gpointer self) {
    static_cast<GlibPeer *>(self)->fn_(data);
  }

  TaskFn fn_;
  GThreadPool *pool_ = nullptr;
};

}  // namespace

std::unique_ptr<Peer> make_glib(int capacity, TaskFn fn) {
  return std::make_unique<GlibPeer>(capacity, fn);
}

}  // namespace bench
