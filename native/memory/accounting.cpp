// External-memory accounting: V8 must see tensor memory to schedule GCs by it, and dead tensors
// are freed only by GCs. docs/memory.md explains each mechanism and what it buys.
//
// - Bytes are reported with napi_adjust_external_memory from ordinary calls, batched per MB; the
//   in-GC weak callbacks only subtract, through V8's own counter (N-API may not be called there,
//   node-addon-api#1724).
// - After every 16 MB of fresh tensors still alive, or 2048 new handles, the next handle asks for
//   a scavenge (`gc({type: "minor"})`, handed over by src/torch/native.ts): V8 schedules them by
//   its young generation's fill alone, which lets dead tensor memory pile up cold.
// - Small tensors released in a batch are freed one per new result (the deferred-free queue), so
//   frees and mallocs alternate as in Python and glibc's per-thread cache serves them.
// Per thread: worker threads may load the addon, each with its own env, isolate and GC.
#include "memory/memory.h"

#include "binding/exports.h"
#include "binding/handles.h"
#include "binding/v8-access.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdlib>

namespace pst {
namespace memory {
namespace {

thread_local int64_t g_unreported_bytes = 0;
constexpr int64_t kReportThreshold = 1 << 20;

// Fresh handles not freed since the last scavenge asked for (tensors freed by dispose() or the
// GC need none).
thread_local int64_t g_young_bytes = 0;
thread_local int64_t g_young_handles = 0;
thread_local napi_ref g_minor_gc = nullptr;  // the gc of this thread's env
constexpr int64_t kMinorGcBytes = int64_t(16) << 20;
constexpr int64_t kMinorGcHandles = 2048;

void forget_young(int64_t bytes, int64_t handles) {
  g_young_bytes = bytes >= g_young_bytes ? 0 : g_young_bytes - bytes;
  g_young_handles = handles >= g_young_handles ? 0 : g_young_handles - handles;
}

// The deferred-free queue; on the heap, freed by the env's cleanup hook (a thread_local
// destructor could run after libtorch's own at exit).
constexpr size_t kMaxDeferred = 4096;
constexpr size_t kDeferrableBytes = 1024;
thread_local std::vector<at::Tensor>* g_deferred = nullptr;

inline void release_one_deferred() {
  if (g_deferred != nullptr && !g_deferred->empty()) g_deferred->pop_back();
}

void report(napi_env env) {
  if (g_unreported_bytes >= kReportThreshold || g_unreported_bytes <= -kReportThreshold) {
    release_stale_blocks();
    int64_t adjusted;
    napi_adjust_external_memory(env, g_unreported_bytes, &adjusted);
    g_unreported_bytes = 0;
  }
}

void note_young(napi_env env, int64_t data_bytes) {
  g_young_bytes += data_bytes;
  g_young_handles++;
  if ((g_young_bytes < kMinorGcBytes && g_young_handles < kMinorGcHandles) || g_minor_gc == nullptr) return;
  g_young_bytes = 0;
  g_young_handles = 0;
  napi_value fn, recv, ignored;
  if (napi_get_reference_value(env, g_minor_gc, &fn) != napi_ok || fn == nullptr) return;
  napi_get_undefined(env, &recv);
  napi_call_function(env, recv, fn, 0, nullptr, &ignored);
}

void stop_deferring(void*) {
  delete g_deferred;
  g_deferred = nullptr;
}

}  // namespace

// Data bytes are counted by the handle that owns its storage alone: views and handles to
// tensors held elsewhere (a .grad) count only their overhead, so aliases of big tensors do not
// inflate V8's estimate and trigger needless major GCs.
int64_t owned_bytes(const at::Tensor& t, bool fresh) {
  if (!t.defined() || t.layout() != at::kStrided || !t.has_storage()) return 0;
  if (fresh ? t.is_view() : (t.use_count() != 1 || t.storage().use_count() != 1)) return 0;
  return static_cast<int64_t>(t.storage().nbytes());
}

void on_new_handle(napi_env env, int64_t data_bytes) {
  g_unreported_bytes += kHandleOverhead + data_bytes;
  report(env);
  note_young(env, data_bytes);
  release_one_deferred();
}

void on_refill(napi_env env, int64_t data_bytes) {
  g_unreported_bytes += data_bytes;
  report(env);
  release_one_deferred();
}

void on_dispose(int64_t data_bytes) {
  g_unreported_bytes -= data_bytes;
  forget_young(data_bytes, 0);
}

// What the GC frees is reported at once, from inside the GC: right after a scavenge V8 decides
// whether to start a full GC from the external memory allocated since the last one. A decrease
// only updates V8's counters (no allocation, no GC), which is safe in a weak callback.
void on_collected(int64_t accounted_bytes) {
  g_unreported_bytes -= accounted_bytes;
  forget_young(accounted_bytes - kHandleOverhead, 1);
  v8::Isolate* isolate;  // none entered: an env's teardown, where nothing is left to schedule
  if (g_unreported_bytes <= -kReportThreshold && (isolate = v8::Isolate::GetCurrent()) != nullptr) {
    isolate->AdjustAmountOfExternalAllocatedMemory(g_unreported_bytes);
    g_unreported_bytes = 0;
  }
}

void release(at::Tensor& t) {
  if (g_deferred != nullptr && g_deferred->size() < kMaxDeferred && t.is_cpu() && t.has_storage() &&
      t.storage().nbytes() <= kDeferrableBytes && !t.requires_grad()) {
    g_deferred->push_back(std::move(t));  // capacity reserved: no allocation inside the GC
  }
  t.reset();
}

void install(napi_env env) {
#if defined(__GLIBC__)
  // Tensors die in batches (thousands per scavenge): glibc's fastbin consolidation after each
  // batch, and its trimming of the freed heap top, cost more than they save (docs/memory.md).
  // Left alone when the user tuned malloc.
  if (std::getenv("GLIBC_TUNABLES") == nullptr && std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr &&
      std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr && std::getenv("MALLOC_TOP_PAD_") == nullptr) {
    mallopt(M_MXFAST, 0);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
  }
#endif
  if (g_deferred == nullptr) {
    g_deferred = new std::vector<at::Tensor>();
    g_deferred->reserve(kMaxDeferred);  // push_back never allocates inside the GC
  }
  napi_add_env_cleanup_hook(env, stop_deferring, nullptr);
  install_block_cache();
}

namespace {

// setMinorGc(fn | undefined): the function that asks V8 for a scavenge.
Napi::Value set_minor_gc(const Napi::CallbackInfo& info) {
  napi_env env = info.Env();
  if (g_minor_gc != nullptr) napi_delete_reference(env, g_minor_gc);
  g_minor_gc = nullptr;
  // A raw reference: note_young() calls it from handle creation, a hot path.
  if (info[0].IsFunction()) check(napi_create_reference(env, info[0], 1, &g_minor_gc), "reference");
  return info.Env().Undefined();
}

// memoryStats() -> { cachedBytes, cachedBlocks, externalBytes } (torch.memory.stats()).
Napi::Value memory_stats(const Napi::CallbackInfo& info) {
  int64_t external = 0;
  napi_adjust_external_memory(info.Env(), 0, &external);
  auto obj = Napi::Object::New(info.Env());
  obj.Set("cachedBytes", static_cast<double>(cached_bytes()));
  obj.Set("cachedBlocks", static_cast<double>(cached_blocks()));
  obj.Set("externalBytes", static_cast<double>(external));
  return obj;
}

// A non-negative number of memoryConfigure's, or nothing for null/undefined.
c10::optional<double> non_negative_arg(Napi::Value v, const char* name) {
  if (is_nullish(v.Env(), v)) return c10::nullopt;
  double d = number_arg(v.Env(), v, name);
  if (!(d >= 0)) {
    throw JsError(std::string("torch.memory.configure(): '") + name + "' must be a non-negative number", JsError::Range);
  }
  return d;
}

// memoryConfigure(cacheBytes | undefined, cacheSeconds | undefined).
Napi::Value memory_configure(const Napi::CallbackInfo& info) {
  auto bytes = non_negative_arg(info[0], "cacheBytes");
  auto seconds = non_negative_arg(info[1], "cacheSeconds");
  configure_block_cache(bytes ? c10::optional<size_t>(static_cast<size_t>(*bytes)) : c10::nullopt, seconds);
  return info.Env().Undefined();
}

// memoryEmptyCache(): frees every cached block and queued tensor.
Napi::Value memory_empty_cache(const Napi::CallbackInfo& info) {
  if (g_deferred != nullptr) g_deferred->clear();
  empty_block_cache();
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  return info.Env().Undefined();
}

}  // namespace

void register_memory_exports(napi_env env, napi_value exports) {
  Napi::Object ex(env, exports);
  define<set_minor_gc>(ex, "setMinorGc");
  define<memory_stats>(ex, "memoryStats");
  define<memory_configure>(ex, "memoryConfigure");
  define<memory_empty_cache>(ex, "memoryEmptyCache");
}

}  // namespace memory
}  // namespace pst
