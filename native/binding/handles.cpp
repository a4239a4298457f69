// Tensor handles (binding/handles.h). Hot path, raw V8: a bare v8::External with one weak Global
// of ours costs half a napi_external (Node wraps each in a heap object with a second weak
// reference); docs/memory.md has the figures.
#include "binding/handles.h"

#include "binding/v8-access.h"
#include "memory/memory.h"

namespace pst {
namespace {

struct V8Box : TensorBox {
  explicit V8Box(at::Tensor t) : TensorBox(std::move(t)) {}
  v8::Global<v8::External> self;
  V8Box* prev = nullptr;  // this thread's live boxes, freed when its env is torn down
  V8Box* next = nullptr;
};

thread_local int64_t g_live_handles = 0;  // handles of this thread's env (liveHandles())
// V8 runs no weak callbacks when an isolate goes away: without this list, a worker thread that
// exits would leak the tensors it still held. Off on the main thread (src/torch/native.ts),
// whose env ends with the process.
thread_local V8Box* g_live_boxes = nullptr;
thread_local bool g_track_boxes = true;
// Boxes of collected handles, reused by the next wraps (a scavenge frees thousands at once).
constexpr size_t kMaxSpareBoxes = 4096;
thread_local std::vector<V8Box*>* g_spare_boxes = nullptr;

void link_box(V8Box* box) {
  box->next = g_live_boxes;
  if (g_live_boxes != nullptr) g_live_boxes->prev = box;
  g_live_boxes = box;
}

void unlink_box(V8Box* box) {
  if (box->prev == nullptr && g_live_boxes != box) return;  // never linked
  if (box->prev != nullptr) box->prev->next = box->next;
  else g_live_boxes = box->next;
  if (box->next != nullptr) box->next->prev = box->prev;
}

// First-pass weak callback, inside the GC: only frees memory.
void weak_box(const v8::WeakCallbackInfo<V8Box>& info) {
  V8Box* box = info.GetParameter();
  box->self.Reset();
  unlink_box(box);
  g_live_handles--;
  memory::on_collected(box->accounted);
  memory::release(box->tensor);
  if (g_spare_boxes != nullptr && g_spare_boxes->size() < kMaxSpareBoxes) g_spare_boxes->push_back(box);
  else delete box;
}

// Env teardown (a worker thread's end, process exit): frees the tensors JS still held.
void free_boxes(void*) {
  if (g_spare_boxes != nullptr) {
    for (V8Box* box : *g_spare_boxes) delete box;
    delete g_spare_boxes;
    g_spare_boxes = nullptr;
  }
  while (g_live_boxes != nullptr) {
    V8Box* box = g_live_boxes;
    unlink_box(box);
    box->self.Reset();
    delete box;
  }
}

napi_value wrap(napi_env env, at::Tensor t, bool fresh) {
  if (g_spare_boxes == nullptr) {
    g_spare_boxes = new std::vector<V8Box*>();
    g_spare_boxes->reserve(kMaxSpareBoxes);  // push_back never allocates inside the GC
    napi_add_env_cleanup_hook(env, free_boxes, nullptr);
  }
  V8Box* box;
  if (!g_spare_boxes->empty()) {
    box = g_spare_boxes->back();
    g_spare_boxes->pop_back();
    box->tensor = std::move(t);
    box->prev = box->next = nullptr;
  } else {
    box = new V8Box(std::move(t));
  }
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::External> external = v8::External::New(isolate, static_cast<TensorBox*>(box));
  box->self.Reset(isolate, external);
  box->self.SetWeak(box, weak_box, v8::WeakCallbackType::kParameter);
  if (g_track_boxes) link_box(box);
  int64_t bytes = memory::owned_bytes(box->tensor, fresh);
  box->accounted = memory::kHandleOverhead + bytes;
  g_live_handles++;
  memory::on_new_handle(env, bytes);
  return to_napi(external);
}

napi_value dispose_handle(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  TensorBox* box = box_of(env, args[0]);
  if (box == nullptr) throw JsError("dispose: expected a tensor handle", JsError::Type);
  if (box->tensor.defined()) {
    memory::release(box->tensor);
    memory::on_dispose(box->accounted - memory::kHandleOverhead);
    box->accounted = memory::kHandleOverhead;
  }
  return make_undefined(env);
  PST_CATCH(env)
}

napi_value is_disposed(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  TensorBox* box = box_of(env, args[0]);
  if (box == nullptr) throw JsError("isDisposed: expected a tensor handle", JsError::Type);
  return make_bool(env, !box->tensor.defined());
  PST_CATCH(env)
}

napi_value live_handles(napi_env env, napi_callback_info) { return make_int(env, g_live_handles); }

// setHandleTracking(on): whether this thread's tensor handles are listed for env teardown.
napi_value set_handle_tracking(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  g_track_boxes = bool_arg(env, args[0], "on");
  return make_undefined(env);
  PST_CATCH(env)
}

}  // namespace

TensorBox* box_of(napi_env env, napi_value v) {
  if (v == nullptr) return nullptr;
  v8::Local<v8::Value> local = to_local(v);
  if (!local->IsExternal()) return nullptr;
  void* data = local.As<v8::External>()->Value();
  // Other externals (c10d stores, N-API's own wrappers) hold other data: the magic tells them apart.
  if (data != nullptr && static_cast<TensorBox*>(data)->magic == TensorBox::kMagic) return static_cast<TensorBox*>(data);
  return nullptr;
}

bool is_tensor_handle(napi_env env, napi_value v) { return box_of(env, v) != nullptr; }

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

napi_value wrap_tensor(napi_env env, at::Tensor t) { return wrap(env, std::move(t), true); }

napi_value wrap_into(napi_env env, napi_value into, at::Tensor t) {
  TensorBox* box = box_of(env, into);
  if (box == nullptr) return wrap(env, std::move(t), true);
  // Only an empty handle may be reused: writing into a live one would free a tensor JS holds.
  if (box->tensor.defined()) throw JsError("internal error: result handle is in use");
  int64_t bytes = memory::owned_bytes(t, true);
  box->tensor = std::move(t);
  box->accounted = memory::kHandleOverhead + bytes;
  memory::on_refill(env, bytes);
  return into;
}

napi_value wrap_existing(napi_env env, const at::Tensor& t) {
  return t.defined() ? wrap(env, t, false) : make_undefined(env);
}

napi_value wrap_optional(napi_env env, const at::Tensor& t) {
  return t.defined() ? wrap_tensor(env, t) : make_undefined(env);
}

void register_handle_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"dispose", dispose_handle},
                     {"isDisposed", is_disposed},
                     {"liveHandles", live_handles},
                     {"setHandleTracking", set_handle_tracking},
                 });
}

}  // namespace pst
