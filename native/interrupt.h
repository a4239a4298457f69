// Signals and progress (DECISIONS, "2026-12: signals, flushing, restarts"). A SIGINT/SIGTERM
// handler sets `pending`; every op entry point calls check_interrupt(), so the next op on the
// main thread throws the JS InterruptError and `finally` blocks and exit hooks run. The same call
// marks progress for the heartbeat of distributed ranks. See interrupt.cpp.
#pragma once
#include <node_api.h>

#include <atomic>

namespace pst {

struct InterruptState {
  std::atomic<int> pending{0};        // the signal number no op or JS listener has taken yet
  std::atomic<int> progress{0};       // set by each op, taken by the heartbeat watcher
  std::atomic<int> in_collective{0};  // >0 while blocked in a collective (not a hang of ours)
  std::atomic<int> reduction_armed{0};  // a DDP reducer awaits the next backward's gradients
  std::atomic<napi_env> main_env{nullptr};
};
extern InterruptState g_interrupt;

// Throws the InterruptError of the pending signal (a C++ JsError::Pending unwinds to PST_CATCH).
void throw_interrupt(napi_env env);

// Called first in every op entry point: one relaxed load, one relaxed store.
inline void check_interrupt(napi_env env) {
  if (__builtin_expect(g_interrupt.pending.load(std::memory_order_relaxed) != 0, 0)) throw_interrupt(env);
  g_interrupt.progress.store(1, std::memory_order_relaxed);
}

// Marks the time a collective blocks as waiting on other ranks, not as this rank hanging.
struct CollectiveScope {
  CollectiveScope() { g_interrupt.in_collective.fetch_add(1, std::memory_order_relaxed); }
  ~CollectiveScope() {
    g_interrupt.progress.store(1, std::memory_order_relaxed);
    g_interrupt.in_collective.fetch_sub(1, std::memory_order_relaxed);
  }
  CollectiveScope(const CollectiveScope&) = delete;
  CollectiveScope& operator=(const CollectiveScope&) = delete;
};

// Around backward(): with a DDP reducer armed, backward waits for the other ranks' gradients
// (the reducer's all-reduces), which is a collective's wait too.
class BackwardScope {
  bool reducing_;

 public:
  BackwardScope() : reducing_(g_interrupt.reduction_armed.exchange(0, std::memory_order_relaxed) != 0) {
    if (reducing_) g_interrupt.in_collective.fetch_add(1, std::memory_order_relaxed);
  }
  ~BackwardScope() {
    if (!reducing_) return;
    g_interrupt.progress.store(1, std::memory_order_relaxed);
    g_interrupt.in_collective.fetch_sub(1, std::memory_order_relaxed);
  }
  BackwardScope(const BackwardScope&) = delete;
  BackwardScope& operator=(const BackwardScope&) = delete;
};

void register_interrupt_exports(napi_env env, napi_value exports);

}  // namespace pst
