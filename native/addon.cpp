// Module entry point and the shared helpers of common.h: argument conversion, error
// translation, and the tensor handle with its memory accounting.
#include "common.h"

#if defined(PST_V8_HANDLES)
#include <v8.h>
#endif
#include "fileio.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include "compat/allocator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace pst {

// ---- errors ----

void throw_to_js(napi_env env, const char* message, JsError::Kind kind) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending || kind == JsError::Pending) return;  // a JS exception is already on its way (e.g. from a callback)
  switch (kind) {
    case JsError::Type: napi_throw_type_error(env, nullptr, message); break;
    case JsError::Range: napi_throw_range_error(env, nullptr, message); break;
    default: napi_throw_error(env, nullptr, message);
  }
}

// libtorch's messages carry C++ context after the text a user needs ("Exception raised
// from ...", frame lists): keep the message, drop the noise.
std::string clean_torch_message(const c10::Error& e) {
  std::string msg = e.what_without_backtrace();
  for (const char* marker : {"\nException raised from", "Exception raised from "}) {
    auto pos = msg.find(marker);
    if (pos != std::string::npos) msg.erase(pos);
  }
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

// ---- tensor handles and memory accounting ----
//
// V8 must see tensor memory to schedule GCs by it. napi_adjust_external_memory is called
// from ordinary calls only, never from the in-GC finalizer (node-addon-api#1724 reports
// crashes doing that under NAPI_EXPERIMENTAL): finalizers just add to a counter that the next
// wrap reports, batched so small tensors cost nothing extra.
// Per thread: worker threads may load the addon, each with its own env, isolate and GC.
static thread_local int64_t g_unreported_bytes = 0;
static thread_local int64_t g_live_handles = 0;  // handles of this thread's env (liveHandles())
// Native bytes a small tensor costs beyond its data (TensorImpl, StorageImpl, the 64-byte
// aligned allocation, the handle), measured here: ~620 bytes per 1-element tensor.
static constexpr int64_t kHandleOverhead = 640;
static constexpr int64_t kReportThreshold = 1 << 20;
// Bytes of fresh handles not freed since the last scavenge we asked for (see note_young):
// tensors freed by dispose() or a finalizer need no scavenge.
static thread_local int64_t g_young_bytes = 0;
static thread_local int64_t g_young_handles = 0;
static void forget_young(int64_t bytes, int64_t handles) {
  g_young_bytes = bytes >= g_young_bytes ? 0 : g_young_bytes - bytes;
  g_young_handles = handles >= g_young_handles ? 0 : g_young_handles - handles;
}

// The accounting of a handle the GC freed (finalize_box, weak_box). What the GC frees is reported
// at once, from inside the GC: right after a scavenge V8 decides whether to start a full GC,
// counting the external memory allocated since the last one, and a scavenge we asked for comes
// when 16 MB of results are alive (note_young). Told of their death only at the next op, V8 saw
// them as fresh allocations and marked the old generation over and over (measured: a full GC every
// ~110 ms in a GC-managed 64 KB matmul loop, 8-18 % slower than with dispose()). A decrease only
// updates V8's counters (no allocation, no GC), which is safe in a weak callback; N-API's
// napi_adjust_external_memory may not be called there (node-addon-api#1724), so V8's own is.
static void account_collected(const TensorBox* box) {
  g_unreported_bytes -= box->accounted;
  forget_young(box->accounted - kHandleOverhead, 1);
  g_live_handles--;
#if defined(PST_V8_HANDLES)
  v8::Isolate* isolate;  // none entered: an env's teardown, where nothing is left to schedule
  if (g_unreported_bytes <= -kReportThreshold && (isolate = v8::Isolate::GetCurrent()) != nullptr) {
    isolate->AdjustAmountOfExternalAllocatedMemory(g_unreported_bytes);
    g_unreported_bytes = 0;
  }
#endif
}

// ---- deferred release of small tensors ----
//
// Python frees each temporary when its last reference goes, so glibc serves the next op's
// TensorImpl, StorageImpl and version counter from its per-thread cache (tcache: 7 blocks per
// size). Here tensors die in batches (a tidy scope's end, a scavenge's weak callbacks): the cache
// overflows, and both the frees and the next op's mallocs take glibc's slow paths. Measured: a
// 1-element relu in tidy 0.54 us, 0.43-0.48 with a 4000-block tcache. So small CPU tensors
// released in a batch are queued and freed one per new result: frees and mallocs alternate as in
// Python. The queue is bounded (at most ~6 MB waits) and holds no autograd graph or view of a
// big storage, whose memory must go at once.
static constexpr size_t kMaxDeferred = 4096;
static constexpr size_t kDeferrableBytes = 1024;
// On the heap, freed by the env's cleanup hook (stop_recycling): a thread_local destructor could
// run after libtorch's own at exit.
static thread_local std::vector<at::Tensor>* g_deferred = nullptr;

static void release_tensor(at::Tensor& t) {
  if (g_deferred != nullptr && g_deferred->size() < kMaxDeferred && t.is_cpu() && t.has_storage() &&
      t.storage().nbytes() <= kDeferrableBytes && !t.requires_grad()) {
    g_deferred->push_back(std::move(t));  // capacity reserved: no allocation inside the GC
  }
  t.reset();
}

// One queued tensor freed per new result (wrap, wrap_into).
static inline void release_one_deferred() {
  if (g_deferred != nullptr && !g_deferred->empty()) g_deferred->pop_back();
}

static void finalize_box(node_api_basic_env, void* data, void*) {
  auto* box = static_cast<TensorBox*>(data);
  account_collected(box);
  release_tensor(box->tensor);
  delete box;
}

void release_stale_blocks();  // the CPU block cache, below

// Freed heap pages are not handed back with malloc_trim: since scavenges come every few MB of
// fresh tensors (note_young), dead tensors free memory that the next results reuse, and trimming
// only made them fault their pages in again (a 1 MB op 3x slower than Python's).
static void report_memory(napi_env env) {
  if (g_unreported_bytes >= kReportThreshold || g_unreported_bytes <= -kReportThreshold) {
    release_stale_large();  // torch.load's recycled blocks, once unused for a few seconds
    release_stale_blocks();
    int64_t adjusted;
    napi_adjust_external_memory(env, g_unreported_bytes, &adjusted);
    g_unreported_bytes = 0;
  }
}

// Dead tensors are freed by V8's scavenges, which V8 schedules by the young generation's fill
// alone: a loop of medium-sized results (a 64 KB matmul) piles up tens of MB of dead tensor data
// until external-memory pressure forces a full GC, and every new result lands in cold memory.
// So after every 16 MB (PYSTEMATIC_MINOR_GC_MB) of fresh tensors still alive, the next handle
// asks for a scavenge (~30 us when the young generation is mostly dead) through
// `gc({type: "minor"})`, which src/torch/native.ts hands over at load. Small results count their
// native overhead too (this replaced giving each Tensor young-generation ballast: a 1 MB op in a
// GC-managed loop was 12x slower than Python's without it, and 10k such ops grew RSS ~55 MB).
static thread_local napi_ref g_minor_gc = nullptr;  // the gc of this thread's env
static int64_t g_minor_gc_every = int64_t(16) << 20;  // PYSTEMATIC_MINOR_GC_MB overrides
// ... and after every 2048 new handles (PYSTEMATIC_MINOR_GC_HANDLES): dead small tensors are then
// freed while their ~1 MB of native memory is still in cache (measured: a GC-managed 1-element
// op ~10 % faster than with a scavenge every ~25k handles, which frees cold memory).
static int64_t g_minor_gc_handles = 2048;

static void note_young(napi_env env, int64_t data_bytes) {
  g_young_bytes += data_bytes;
  g_young_handles++;
  if ((g_young_bytes < g_minor_gc_every && g_young_handles < g_minor_gc_handles) || g_minor_gc == nullptr) return;
  g_young_bytes = 0;
  g_young_handles = 0;
  napi_value fn, recv, ignored;
  if (napi_get_reference_value(env, g_minor_gc, &fn) != napi_ok || fn == nullptr) return;
  napi_get_undefined(env, &recv);
  napi_call_function(env, recv, fn, 0, nullptr, &ignored);
}

static napi_value set_minor_gc(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  if (const char* mb = std::getenv("PYSTEMATIC_MINOR_GC_MB")) {
    double v = std::atof(mb);
    if (v > 0) g_minor_gc_every = static_cast<int64_t>(v * (1 << 20));
  }
  if (const char* n = std::getenv("PYSTEMATIC_MINOR_GC_HANDLES")) {
    long v = std::atol(n);
    if (v > 0) g_minor_gc_handles = v;
  }
  if (g_minor_gc != nullptr) napi_delete_reference(env, g_minor_gc);
  g_minor_gc = nullptr;
  if (type_of(env, args[0]) == napi_function) check(napi_create_reference(env, args[0], 1, &g_minor_gc), "reference");
  return make_undefined(env);
  PST_CATCH(env)
}

// Data bytes are counted by the handle that owns its storage alone: an op's fresh result (even
// when autograd also saved it for backward: that memory lives as long as this handle's graph).
// A view (detach, slicing) shares a storage, and a handle to a tensor held elsewhere (a .grad)
// counts only its own overhead, so aliases of big tensors do not inflate V8's estimate and
// trigger needless major GCs.
static int64_t owned_bytes(const at::Tensor& t, bool fresh) {
  if (!t.defined() || t.layout() != at::kStrided || !t.has_storage()) return 0;
  if (fresh ? t.is_view() : (t.use_count() != 1 || t.storage().use_count() != 1)) return 0;
  return static_cast<int64_t>(t.storage().nbytes());
}

#if defined(PST_V8_HANDLES)
// Tensor handles straight from V8. Node wraps every napi_external in a heap object with a weak
// reference of its own (for type tags), besides the finalizer's reference: two weak handles and
// two allocations per tensor. A bare v8::External with one weak Global of ours costs half that:
// measured, a GC-managed 1-element add 0.61 us instead of 0.80. A napi_value is a v8::Local
// (Node's N-API converts them the same way); PYSTEMATIC_NAPI_HANDLES=1 goes back to napi_external.
static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value must be a v8::Local");
static inline v8::Local<v8::Value> to_local(napi_value v) {
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void*>(&local), &v, sizeof(v));
  return local;
}
static inline napi_value to_napi(v8::Local<v8::Value> local) {
  napi_value v;
  std::memcpy(&v, static_cast<void*>(&local), sizeof(v));
  return v;
}

struct V8Box : TensorBox {
  explicit V8Box(at::Tensor t) : TensorBox(std::move(t)) {}
  v8::Global<v8::External> self;
  V8Box* prev = nullptr;  // this thread's live boxes, freed when its env is torn down
  V8Box* next = nullptr;
};

// V8 runs no weak callbacks when an isolate goes away (N-API finalizes its references then):
// without this list, a worker thread that exits would leak the tensors it still held.
// Only where an env can end before the process: src/torch/native.ts turns it off on the main
// thread (the list costs ~3 % of a 1-element op).
static thread_local V8Box* g_live_boxes = nullptr;
// Boxes of collected handles are reused by the next wraps (at most kMaxDeferred kept), for the
// reason small tensors are freed one at a time: a scavenge deletes thousands at once. Measured:
// ~0.03 us of a GC-managed 1-element op.
static thread_local std::vector<V8Box*>* g_spare_boxes = nullptr;
static thread_local bool g_track_boxes = true;

static void link_box(V8Box* box) {
  box->next = g_live_boxes;
  if (g_live_boxes != nullptr) g_live_boxes->prev = box;
  g_live_boxes = box;
}

static void unlink_box(V8Box* box) {
  if (box->prev == nullptr && g_live_boxes != box) return;  // never linked
  if (box->prev != nullptr) box->prev->next = box->next;
  else g_live_boxes = box->next;
  if (box->next != nullptr) box->next->prev = box->prev;
}

// First-pass weak callback, inside the GC: only frees memory, as finalize_box.
static void weak_box(const v8::WeakCallbackInfo<V8Box>& info) {
  V8Box* box = info.GetParameter();
  box->self.Reset();
  unlink_box(box);
  account_collected(box);
  release_tensor(box->tensor);
  if (g_spare_boxes != nullptr && g_spare_boxes->size() < kMaxDeferred) g_spare_boxes->push_back(box);
  else delete box;
}

// Env teardown (a worker thread's end, process exit): frees the tensors JS still held.
static void free_live_boxes(void*) {
  while (g_live_boxes != nullptr) {
    V8Box* box = g_live_boxes;
    unlink_box(box);
    box->self.Reset();
    delete box;
  }
}

static bool g_v8_handles = true;
#endif

static void start_recycling() {
  const char* off = std::getenv("PYSTEMATIC_DEFER_FREE");  // "0": free at once, no spare boxes
  if (off != nullptr && std::string(off) == "0") return;
  if (g_deferred == nullptr) {
    g_deferred = new std::vector<at::Tensor>();
    g_deferred->reserve(kMaxDeferred);  // push_back never allocates inside the GC
  }
#if defined(PST_V8_HANDLES)
  if (g_spare_boxes == nullptr) {
    g_spare_boxes = new std::vector<V8Box*>();
    g_spare_boxes->reserve(kMaxDeferred);
  }
#endif
}

// Env teardown (runs before free_live_boxes): later releases free at once.
static void stop_recycling(void*) {
  delete g_deferred;
  g_deferred = nullptr;
#if defined(PST_V8_HANDLES)
  if (g_spare_boxes != nullptr) {
    for (V8Box* box : *g_spare_boxes) delete box;
    delete g_spare_boxes;
    g_spare_boxes = nullptr;
  }
#endif
}

// setHandleTracking(on): whether this thread's tensor handles are listed for env teardown.
static napi_value set_handle_tracking(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
#if defined(PST_V8_HANDLES)
  g_track_boxes = bool_arg(env, args[0], "on");
#endif
  return make_undefined(env);
  PST_CATCH(env)
}

// The TensorBox of a handle, or nullptr for anything else.
TensorBox* box_of(napi_env env, napi_value v) {
  if (v == nullptr) return nullptr;
  void* data = nullptr;
#if defined(PST_V8_HANDLES)
  v8::Local<v8::Value> local = to_local(v);
  if (!local->IsExternal()) return nullptr;
  data = local.As<v8::External>()->Value();
  if (data != nullptr && static_cast<TensorBox*>(data)->magic == TensorBox::kMagic) return static_cast<TensorBox*>(data);
  data = nullptr;  // a napi_external: its value is Node's wrapper, N-API unwraps it
#endif
  if (napi_get_value_external(env, v, &data) != napi_ok || data == nullptr) return nullptr;
  auto* box = static_cast<TensorBox*>(data);
  return box->magic == TensorBox::kMagic ? box : nullptr;
}

static napi_value wrap(napi_env env, at::Tensor t, bool fresh) {
  napi_value result;
  TensorBox* box;
#if defined(PST_V8_HANDLES)
  if (g_v8_handles) {
    V8Box* vbox;
    if (g_spare_boxes != nullptr && !g_spare_boxes->empty()) {
      vbox = g_spare_boxes->back();
      g_spare_boxes->pop_back();
      vbox->tensor = std::move(t);
      vbox->prev = vbox->next = nullptr;
    } else {
      vbox = new V8Box(std::move(t));
    }
    v8::Isolate* isolate = v8::Isolate::GetCurrent();
    v8::Local<v8::External> external = v8::External::New(isolate, static_cast<TensorBox*>(vbox));
    vbox->self.Reset(isolate, external);
    vbox->self.SetWeak(vbox, weak_box, v8::WeakCallbackType::kParameter);
    if (g_track_boxes) link_box(vbox);
    result = to_napi(external);
    box = vbox;
  } else
#endif
  {
    box = new TensorBox(std::move(t));
    if (napi_create_external(env, box, finalize_box, nullptr, &result) != napi_ok) {
      delete box;
      throw JsError("internal N-API failure: create_external");
    }
  }
  int64_t bytes = kHandleOverhead + owned_bytes(box->tensor, fresh);
  box->accounted = bytes;
  g_live_handles++;
  g_unreported_bytes += bytes;
  report_memory(env);
  note_young(env, bytes - kHandleOverhead);
  release_one_deferred();
  return result;
}

napi_value wrap_tensor(napi_env env, at::Tensor t) {
  return wrap(env, std::move(t), true);
}

napi_value wrap_into(napi_env env, napi_value into, at::Tensor t) {
  TensorBox* box = box_of(env, into);
  if (box == nullptr) return wrap(env, std::move(t), true);
  // Only an empty handle may be reused: writing into a live one would free a tensor JS holds.
  if (box->tensor.defined()) throw JsError("internal error: result handle is in use");
  int64_t bytes = owned_bytes(t, true);
  box->tensor = std::move(t);
  box->accounted = kHandleOverhead + bytes;
  g_unreported_bytes += bytes;
  report_memory(env);
  release_one_deferred();
  return into;
}

napi_value wrap_existing(napi_env env, const at::Tensor& t) {
  return t.defined() ? wrap(env, t, false) : make_undefined(env);
}

napi_value wrap_optional(napi_env env, const at::Tensor& t) {
  return t.defined() ? wrap_tensor(env, t) : make_undefined(env);
}

bool is_tensor_handle(napi_env env, napi_value v) {
  // Direct checks fail fast on other values; napi_typeof tests every type in turn.
  return box_of(env, v) != nullptr;
}

at::Tensor& tensor_arg(napi_env env, napi_value v, const char* name) {
  TensorBox* box = box_of(env, v);
  if (box == nullptr) {
    throw JsError(std::string("argument '") + name + "' must be a Tensor", JsError::Type);
  }
  if (!box->tensor.defined()) {
    throw JsError(std::string("argument '") + name +
                  "' is a disposed Tensor: it was freed by dispose() or by the end of a tidy() scope");
  }
  return box->tensor;
}

static napi_value dispose_handle(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  TensorBox* box = box_of(env, args[0]);
  if (box == nullptr) throw JsError("dispose: expected a tensor handle", JsError::Type);
  if (box->tensor.defined()) {
    release_tensor(box->tensor);
    g_unreported_bytes -= box->accounted - kHandleOverhead;
    forget_young(box->accounted - kHandleOverhead, 0);
    box->accounted = kHandleOverhead;
  }
  return make_undefined(env);
  PST_CATCH(env)
}

static napi_value is_disposed(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  TensorBox* box = box_of(env, args[0]);
  if (box == nullptr) throw JsError("isDisposed: expected a tensor handle", JsError::Type);
  return make_bool(env, !box->tensor.defined());
  PST_CATCH(env)
}

// "v8" (bare V8 externals) or "napi" (napi_externals): how this build makes tensor handles.
static napi_value handle_kind(napi_env env, napi_callback_info) {
#if defined(PST_V8_HANDLES)
  if (g_v8_handles) return make_string(env, "v8");
#endif
  return make_string(env, "napi");
}

static napi_value live_handles(napi_env env, napi_callback_info) {
  return make_int(env, g_live_handles);
}

// externalMemory(): the external memory V8 counts for this isolate (tests, diagnostics).
static napi_value external_memory(napi_env env, napi_callback_info) {
  int64_t amount = 0;
  napi_adjust_external_memory(env, 0, &amount);
  return make_int(env, amount);
}

// ---- argument conversion ----

// Argument reading runs for every argument of every op: built with V8's headers, types and
// numbers are read straight from V8 (the same checks N-API makes, without its env and
// last-error bookkeeping: ~10 ns a call, measured 3 % of `t.idx(0)`).
napi_valuetype type_of(napi_env env, napi_value v) {
#if defined(PST_V8_HANDLES)
  if (v != nullptr) {  // napi_typeof's order: an External is also an Object
    v8::Local<v8::Value> l = to_local(v);
    if (l->IsNumber()) return napi_number;
    if (l->IsBigInt()) return napi_bigint;
    if (l->IsString()) return napi_string;
    if (l->IsFunction()) return napi_function;
    if (l->IsExternal()) return napi_external;
    if (l->IsObject()) return napi_object;
    if (l->IsBoolean()) return napi_boolean;
    if (l->IsUndefined()) return napi_undefined;
    if (l->IsSymbol()) return napi_symbol;
    if (l->IsNull()) return napi_null;
  }
#endif
  napi_valuetype t;
  check(napi_typeof(env, v, &t), "typeof");
  return t;
}

bool is_array(napi_env env, napi_value v) {
  if (v == nullptr) return false;
#if defined(PST_V8_HANDLES)
  return to_local(v)->IsArray();
#else
  bool r = false;
  napi_is_array(env, v, &r);
  return r;
#endif
}

uint32_t array_length(napi_env env, napi_value arr) {
#if defined(PST_V8_HANDLES)
  return to_local(arr).As<v8::Array>()->Length();
#else
  uint32_t n = 0;
  check(napi_get_array_length(env, arr, &n), "array length");
  return n;
#endif
}

napi_value array_element(napi_env env, napi_value arr, uint32_t i) {
#if defined(PST_V8_HANDLES)
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::Value> e;
  // A getter may throw: V8 keeps its exception for the return to JS.
  if (!to_local(arr).As<v8::Object>()->Get(isolate->GetCurrentContext(), i).ToLocal(&e)) {
    throw JsError("array element getter threw", JsError::Pending);
  }
  return to_napi(e);
#else
  napi_value e;
  check(napi_get_element(env, arr, i, &e), "get element");
  return e;
#endif
}

bool read_number(napi_env env, napi_value v, double* out) {
  if (v == nullptr) return false;
#if defined(PST_V8_HANDLES)
  v8::Local<v8::Value> l = to_local(v);
  if (!l->IsNumber()) return false;
  *out = l.As<v8::Number>()->Value();
  return true;
#else
  return napi_get_value_double(env, v, out) == napi_ok;
#endif
}

bool is_nullish(napi_env env, napi_value v) {
  if (v == nullptr) return true;
  auto t = type_of(env, v);
  return t == napi_undefined || t == napi_null;
}

double number_arg(napi_env env, napi_value v, const char* name) {
  double out;
  if (!read_number(env, v, &out)) {
    throw JsError(std::string("argument '") + name + "' must be a number", JsError::Type);
  }
  return out;
}

int64_t int_arg(napi_env env, napi_value v, const char* name) {
  double d;
  // A number is read directly: napi_typeof tests type after type, and this runs for every int
  // argument of every op (the op id of each generated call included).
  if (!read_number(env, v, &d)) {
    if (v != nullptr && type_of(env, v) == napi_bigint) {
      int64_t out;
      bool lossless;
      check(napi_get_value_bigint_int64(env, v, &out, &lossless), "bigint");
      if (!lossless) throw JsError(std::string("argument '") + name + "' does not fit in int64", JsError::Range);
      return out;
    }
    d = number_arg(env, v, name);  // throws: neither a number nor a bigint
  }
  if (!std::isfinite(d) || std::floor(d) != d) {
    throw JsError(std::string("argument '") + name + "' must be an integer, got " + std::to_string(d),
                  JsError::Type);
  }
  if (std::fabs(d) > kMaxSafeInteger) {
    throw JsError(std::string("argument '") + name + "' is beyond 2^53: pass a bigint", JsError::Range);
  }
  return static_cast<int64_t>(d);
}

bool bool_arg(napi_env env, napi_value v, const char* name) {
  bool out;
  if (v == nullptr || napi_get_value_bool(env, v, &out) != napi_ok) {
    throw JsError(std::string("argument '") + name + "' must be a boolean", JsError::Type);
  }
  return out;
}

std::string string_arg(napi_env env, napi_value v, const char* name) {
  size_t len;
  if (v == nullptr || napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) {
    throw JsError(std::string("argument '") + name + "' must be a string", JsError::Type);
  }
  std::string s(len, '\0');
  check(napi_get_value_string_utf8(env, v, s.data(), len + 1, &len), "string");
  return s;
}

std::vector<int64_t> int_list_arg(napi_env env, napi_value v, const char* name) {
  if (!is_array(env, v)) {
    // A single integer stands for a one-element list, as in PyTorch (`sum(dim=1)`).
    if (v != nullptr && (type_of(env, v) == napi_number || type_of(env, v) == napi_bigint)) {
      return {int_arg(env, v, name)};
    }
    throw JsError(std::string("argument '") + name + "' must be an array of integers", JsError::Type);
  }
  uint32_t n = array_length(env, v);
  std::vector<int64_t> out(n);
  for (uint32_t i = 0; i < n; i++) out[i] = int_arg(env, array_element(env, v, i), name);
  return out;
}

at::ScalarType dtype_arg(napi_env env, napi_value v, const char* name) {
  int64_t code = int_arg(env, v, name);
  if (code < 0 || code >= static_cast<int64_t>(at::ScalarType::NumOptions)) {
    throw JsError(std::string("argument '") + name + "' is not a known dtype", JsError::Type);
  }
  return static_cast<at::ScalarType>(code);
}

c10::Scalar scalar_arg(napi_env env, napi_value v, const char* name) {
  switch (v == nullptr ? napi_undefined : type_of(env, v)) {
    case napi_number: {
      double d;
      read_number(env, v, &d);
      // JS has one number type: integral values act as Python ints (keep integer dtypes),
      // others as floats.
      if (is_safe_integer(d)) {
        return c10::Scalar(static_cast<int64_t>(d));
      }
      return c10::Scalar(d);
    }
    case napi_boolean: return c10::Scalar(bool_arg(env, v, name));
    case napi_bigint: return c10::Scalar(int_arg(env, v, name));
    default:
      throw JsError(std::string("argument '") + name + "' must be a number, boolean or bigint", JsError::Type);
  }
}

at::Device device_arg(napi_env env, napi_value v) {
  std::string s = string_arg(env, v, "device");
  try {
    return at::Device(s);
  } catch (const c10::Error&) {
    throw JsError("invalid device '" + s + "': expected 'cpu', 'cuda' or 'cuda:N'", JsError::Type);
  }
}

at::TensorOptions options_arg(napi_env env, napi_value dtype, napi_value device) {
  at::TensorOptions o;
  if (!is_nullish(env, dtype)) o = o.dtype(dtype_arg(env, dtype));
  if (!is_nullish(env, device)) o = o.device(device_arg(env, device));
  return o;
}

// ---- JS values ----

napi_value make_number(napi_env env, double v) {
  napi_value r;
  check(napi_create_double(env, v, &r), "create double");
  return r;
}
napi_value make_int(napi_env env, int64_t v) {
  napi_value r;
  check(napi_create_int64(env, v, &r), "create int");
  return r;
}
napi_value make_bool(napi_env env, bool v) {
  napi_value r;
  check(napi_get_boolean(env, v, &r), "create bool");
  return r;
}
napi_value make_string(napi_env env, const std::string& s) {
  napi_value r;
  check(napi_create_string_utf8(env, s.data(), s.size(), &r), "create string");
  return r;
}
napi_value make_undefined(napi_env env) {
  napi_value r;
  napi_get_undefined(env, &r);
  return r;
}
napi_value make_null(napi_env env) {
  napi_value r;
  napi_get_null(env, &r);
  return r;
}
napi_value make_int_array(napi_env env, c10::IntArrayRef values) {
  napi_value arr;
  check(napi_create_array_with_length(env, values.size(), &arr), "create array");
  for (size_t i = 0; i < values.size(); i++) {
    check(napi_set_element(env, arr, i, make_int(env, values[i])), "set element");
  }
  return arr;
}

napi_value scalar_to_js(napi_env env, const c10::Scalar& s) {
  if (s.isBoolean()) return make_bool(env, s.toBool());
  if (s.isIntegral(false)) {
    int64_t v = s.toLong();
    if (v > 9007199254740991LL || v < -9007199254740991LL) {
      throw JsError("item(): the int64 value " + std::to_string(v) +
                        " is beyond 2^53 and cannot be a JS number exactly; use toTypedArray() (BigInt64Array)",
                    JsError::Range);
    }
    return make_number(env, static_cast<double>(v));
  }
  if (s.isComplex()) throw JsError("item(): complex values have no JS number; use toTypedArray()", JsError::Type);
  return make_number(env, s.toDouble());
}

std::string device_string(const at::Device& d) {
  return d.str();  // "cpu", "cuda:0"
}

void define_exports(napi_env env, napi_value exports, const std::vector<Export>& table) {
  for (const auto& e : table) {
    napi_value fn;
    check(napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn), "create function");
    check(napi_set_named_property(env, exports, e.name, fn), "set export");
  }
}

// ---- small CPU tensor memory ----
//
// libtorch's default CPU allocator takes every block from posix_memalign(64): for the tiny
// tensors of a 1-element op that is the costliest allocation of the op, and tensors freed in
// batches (a scope's end) fragment glibc's heap. Blocks of up to 1 KB come from per-size free
// lists here instead (LIFO, so the next op reuses a block still in cache; measured: a 1-element
// op inside tidy ~10 % faster). The lists are bounded (a scavenge frees tens of thousands of
// tensors at once; caching them all made GC-managed ops slower). Every block starts with a
// 64-byte header naming its size class, so one deleter frees any block: libtorch's raw
// allocations (raw_allocate/raw_deallocate) need a single raw deleter. Thread-safe (a spinlock
// per size): tensors may die on other threads.
namespace {

constexpr size_t kSmallClasses = 5;  // 64, 128, 256, 512, 1024 bytes
constexpr size_t kMaxCachedPerClass = 2048;
constexpr size_t kBlockHeader = 64;  // keeps the data 64-byte aligned, as libtorch's
constexpr uint32_t kLargeBlock = 0xffffffff;
// Medium blocks (1 KB to 4 MB): the header holds the block's rounded size instead of a class.
constexpr size_t kMaxMedium = size_t(4) << 20;

struct SmallFreeList {
  std::atomic<bool> busy{false};
  std::vector<void*> blocks;
  void lock() {
    while (busy.exchange(true, std::memory_order_acquire)) {
    }
  }
  void unlock() { busy.store(false, std::memory_order_release); }
};
SmallFreeList g_small[kSmallClasses];

// Medium blocks freed in a batch (a scope's end, a scavenge) are kept for the next results of
// the same size, up to 64 MB (PYSTEMATIC_BLOCK_CACHE_MB): handed back to glibc, they were
// returned to the system or scattered, and every next result faulted its pages in and wrote
// into cold memory (a 64 KB matmul result in a scope of 1000: 128 us instead of Python's 111).
// Python frees each result at once and glibc hands the same warm block back; the cache restores
// that. Sizes neither freed nor taken for 5 s are released (release_stale_blocks, called as
// memory is reported).
struct MediumCache {
  struct Size {
    std::vector<void*> blocks;  // LIFO
    std::chrono::steady_clock::time_point last_use;
  };
  std::mutex mutex;
  std::unordered_map<size_t, Size> sizes;  // by rounded size
  size_t bytes = 0;
  size_t limit = size_t(64) << 20;
};
MediumCache& medium_cache() {
  static MediumCache* c = new MediumCache();  // never destroyed: blocks die during exit too
  return *c;
}

size_t medium_size(size_t nbytes) {
  size_t step = nbytes <= (size_t(16) << 10) ? 256 : 4096;
  return (nbytes + step - 1) / step * step;
}

void free_block(void* data) {
  if (data == nullptr) return;
  void* block = static_cast<char*>(data) - kBlockHeader;
  uint32_t c = *static_cast<uint32_t*>(block);
  if (c < kSmallClasses) {
    SmallFreeList& list = g_small[c];
    list.lock();
    if (list.blocks.size() < kMaxCachedPerClass) {
      list.blocks.push_back(block);
      block = nullptr;
    }
    list.unlock();
  } else if (c != kLargeBlock) {
    MediumCache& cache = medium_cache();
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (cache.bytes + c <= cache.limit) {
      try {
        MediumCache::Size& size = cache.sizes[c];
        size.blocks.push_back(block);
        size.last_use = std::chrono::steady_clock::now();
        cache.bytes += c;
        block = nullptr;
      } catch (...) {  // no memory for the list: free the block itself
      }
    }
  }
  if (block != nullptr) c10::free_cpu(block);
}

void* take_medium(size_t size) {
  MediumCache& cache = medium_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto it = cache.sizes.find(size);
  if (it == cache.sizes.end() || it->second.blocks.empty()) return nullptr;
  void* block = it->second.blocks.back();
  it->second.blocks.pop_back();
  it->second.last_use = std::chrono::steady_clock::now();
  cache.bytes -= size;
  return block;
}

class SmallBlockAllocator final : public compat::CpuAllocator<SmallBlockAllocator> {
 public:
  c10::DataPtr allocate_block(size_t nbytes) const {
    const c10::Device cpu(c10::DeviceType::CPU);
    if (nbytes == 0) return {nullptr, nullptr, &free_block, cpu};
    void* block = nullptr;
    uint32_t c = kLargeBlock;
    if (nbytes <= (size_t(64) << (kSmallClasses - 1))) {
      c = 0;
      while ((size_t(64) << c) < nbytes) c++;
      SmallFreeList& list = g_small[c];
      list.lock();
      if (!list.blocks.empty()) {
        block = list.blocks.back();
        list.blocks.pop_back();
      }
      list.unlock();
      if (block == nullptr) block = c10::alloc_cpu(kBlockHeader + (size_t(64) << c));
    } else if (nbytes <= kMaxMedium) {
      size_t size = medium_size(nbytes);
      c = static_cast<uint32_t>(size);
      block = take_medium(size);
      if (block == nullptr) block = c10::alloc_cpu(kBlockHeader + size);
    } else {
      block = c10::alloc_cpu(kBlockHeader + nbytes);
    }
    *static_cast<uint32_t*>(block) = c;
    void* data = static_cast<char*>(block) + kBlockHeader;
    return {data, data, &free_block, cpu};
  }
  c10::DeleterFnPtr raw_deleter() const override { return &free_block; }
};

}  // namespace

// Medium sizes neither freed nor taken for 5 s give their cached blocks back to glibc.
void release_stale_blocks() {
  MediumCache& cache = medium_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  if (cache.bytes == 0) return;
  auto stale = std::chrono::steady_clock::now() - std::chrono::seconds(5);
  for (auto& [size, entry] : cache.sizes) {
    if (entry.blocks.empty() || entry.last_use >= stale) continue;
    for (void* block : entry.blocks) c10::free_cpu(block);
    cache.bytes -= size * entry.blocks.size();
    entry.blocks.clear();
    entry.blocks.shrink_to_fit();
  }
}

// cachedBlockBytes(): bytes of medium blocks kept for reuse (tests, diagnostics).
static napi_value cached_block_bytes(napi_env env, napi_callback_info) {
  MediumCache& cache = medium_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  return make_number(env, static_cast<double>(cache.bytes));
}

static void install_small_block_allocator() {
  const char* off = std::getenv("PYSTEMATIC_SMALL_BLOCKS");  // "0": libtorch's allocator alone
  if (off != nullptr && std::string(off) == "0") return;
  if (const char* mb = std::getenv("PYSTEMATIC_BLOCK_CACHE_MB")) {
    medium_cache().limit = static_cast<size_t>(std::max(0.0, std::atof(mb)) * (1 << 20));
  }
  static SmallBlockAllocator allocator;
  c10::SetCPUAllocator(&allocator, /*priority=*/1);
}

}  // namespace pst

static napi_value Init(napi_env env, napi_value exports) {
#if defined(__GLIBC__)
  // GC-managed tensors die in batches (thousands per scavenge), which makes glibc consolidate
  // its fastbins over and over: measured, ~35 % of a 1-element op went to malloc_consolidate and
  // friends. Without fastbins (tcache still serves the hot sizes) the same op is ~25 % faster.
  // PYSTEMATIC_MALLOC_FASTBINS=1 keeps glibc's default.
  if (std::getenv("PYSTEMATIC_MALLOC_FASTBINS") == nullptr) mallopt(M_MXFAST, 0);
  // glibc returns the top of its heap to the system once 128 KB of it are free, and raises that
  // bar only after freeing an mmapped block (to twice its size, capped at 64 MB). A Python
  // process frees each result at once, so the next result reuses the same warm block; here a
  // scope's end or a scavenge frees results in batches, the freed top is handed back, and the
  // next results fault all their pages in again: a 64x784 @ 784x256 matmul in tidy took 121-137
  // us instead of 108-110 (490k page faults in 3 s instead of 80k). So start where glibc's own
  // rule ends: blocks under 32 MB from the heap, up to 64 MB of free top kept. Unless the user
  // tuned malloc (MALLOC_*_ or GLIBC_TUNABLES) or set PYSTEMATIC_MALLOC_DEFAULTS=1.
  if (std::getenv("PYSTEMATIC_MALLOC_DEFAULTS") == nullptr && std::getenv("GLIBC_TUNABLES") == nullptr &&
      std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr && std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr &&
      std::getenv("MALLOC_TOP_PAD_") == nullptr) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
  }
#endif
#if defined(PST_V8_HANDLES)
  if (const char* n = std::getenv("PYSTEMATIC_NAPI_HANDLES")) pst::g_v8_handles = std::string(n) != "1";
  napi_add_env_cleanup_hook(env, pst::free_live_boxes, nullptr);
#endif
  pst::start_recycling();
  napi_add_env_cleanup_hook(env, pst::stop_recycling, nullptr);
  try {
    pst::install_small_block_allocator();
    pst::define_exports(env, exports,
                        {
                            {"dispose", pst::dispose_handle},
                            {"isDisposed", pst::is_disposed},
                            {"liveHandles", pst::live_handles},
                            {"handleKind", pst::handle_kind},
                            {"setHandleTracking", pst::set_handle_tracking},
                            {"setMinorGc", pst::set_minor_gc},
                            {"cachedBlockBytes", pst::cached_block_bytes},
                            {"externalMemory", pst::external_memory},
                        });
    // The libtorch this addon was compiled against (torch/version.h), as Python's torch.__version__.
    napi_value version;
    napi_create_string_utf8(env, TORCH_VERSION, NAPI_AUTO_LENGTH, &version);
    napi_set_named_property(env, exports, "torchVersion", version);
    pst::register_tensor_exports(env, exports);
    pst::register_op_exports(env, exports);
    pst::register_fileio_exports(env, exports);
    pst::register_context_settings_exports(env, exports);
    pst::register_interrupt_exports(env, exports);
#if defined(PST_WITH_DISTRIBUTED)
    pst::register_distributed_exports(env, exports);
#endif
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return exports;
}

NAPI_MODULE(pystematic_native, Init)
