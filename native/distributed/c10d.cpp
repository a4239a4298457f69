// torch.distributed's engine from JS: c10d's TCPStore, process groups (Gloo; NCCL when this
// libtorch has it) with collectives, and DistributedDataParallel's Reducer. Version-specific
// construction is in compat/c10d.h.
//
// Collectives are synchronous, as in PyTorch, and every wait has a timeout so a dead peer
// becomes a JS error instead of a frozen process.
#include "binding/binding.h"

#include "compat/c10d.h"

#include <torch/csrc/distributed/c10d/comm.hpp>

namespace pst {
namespace {

using StorePtr = c10::intrusive_ptr<::c10d::Store>;
using GroupPtr = c10::intrusive_ptr<::c10d::ProcessGroup>;
using ReducerPtr = std::shared_ptr<::c10d::Reducer>;

// Each kind of handle JS holds: a napi External of a T, type-tagged with its kind, so a handle of
// another kind (or a tensor) is a TypeError naming the kind expected, never a misread pointer.
template <typename T>
struct HandleKind;
template <>
struct HandleKind<StorePtr> {
  static constexpr const char* kName = "store";
  static constexpr napi_type_tag kTag = {0x7073742d63313064, 0x73746f7265000001};  // "pst-c10d" "store"
};
template <>
struct HandleKind<GroupPtr> {
  static constexpr const char* kName = "process group";
  static constexpr napi_type_tag kTag = {0x7073742d63313064, 0x67726f7570000002};  // "pst-c10d" "group"
};
template <>
struct HandleKind<ReducerPtr> {
  static constexpr const char* kName = "reducer";
  static constexpr napi_type_tag kTag = {0x7073742d63313064, 0x7265647563000003};  // "pst-c10d" "reduc"
};

template <typename T>
void delete_holder(node_api_basic_env, void* data, void*) {
  delete static_cast<T*>(data);
}

template <typename T>
Napi::Value make_holder(Napi::Env env, T value) {
  auto* holder = new T(std::move(value));
  napi_value out;
  // Raw: a plain function finalizer that frees inside the GC, without node-addon-api's FinalizeData box.
  if (napi_create_external(env, holder, delete_holder<T>, nullptr, &out) != napi_ok) {
    delete holder;
    throw Napi::Error::New(env);
  }
  auto external = Napi::External<T>(env, out);
  external.TypeTag(&HandleKind<T>::kTag);
  return external;
}

// The holder of a handle of T's kind, closed or not.
template <typename T>
T& holder_of(Napi::Value v) {
  // A tensor handle is a bare V8 External, which N-API must not read (binding/handles.cpp).
  if (!v.IsExternal() || is_tensor_handle(v.Env(), v) || !v.As<Napi::External<T>>().CheckTypeTag(&HandleKind<T>::kTag)) {
    throw JsError(std::string("expected a ") + HandleKind<T>::kName + " handle", JsError::Type);
  }
  return *v.As<Napi::External<T>>().Data();
}

template <typename T>
T& holder_arg(Napi::Value v) {
  auto& held = holder_of<T>(v);
  if (!held) throw JsError(std::string("this ") + HandleKind<T>::kName + " has been closed");
  return held;
}

// Releases what a handle holds now (close()), before its finalizer runs; idempotent.
template <typename T>
Napi::Value close_holder(const Napi::CallbackInfo& info) {
  holder_of<T>(info[0]).reset();
  return info.Env().Undefined();
}

std::chrono::milliseconds ms_arg(napi_env env, napi_value v, const char* name) {
  int64_t ms = int_arg(env, v, name);
  if (ms <= 0) throw JsError(std::string(name) + " must be a positive number of milliseconds", JsError::Range);
  return std::chrono::milliseconds(ms);
}

void wait_for(const c10::intrusive_ptr<c10d_compat::Work>& work, std::chrono::milliseconds timeout, const char* what) {
  CollectiveScope waiting_on_peers;
  try {
    work->wait(timeout);
  } catch (const std::exception& e) {
    throw JsError(std::string(what) + " failed: " + e.what() +
                  " (a peer process may have died, or the collective timed out)");
  }
}

::c10d::ReduceOp reduce_op(int64_t code) {
  switch (code) {
    case 0: return ::c10d::ReduceOp::SUM;
    case 2: return ::c10d::ReduceOp::PRODUCT;
    case 3: return ::c10d::ReduceOp::MIN;
    case 4: return ::c10d::ReduceOp::MAX;
    default: throw JsError("unknown reduce op code " + std::to_string(code), JsError::Range);
  }
}

#define FN(name) Napi::Value name(const Napi::CallbackInfo& info)

// ---- TCPStore ----

// tcpStore(host, port, isServer, numWorkers | -1, timeoutMs, waitWorkers)
FN(tcp_store) {
  Napi::Env env = info.Env();
  std::string host = string_arg(env, info[0], "host");
  int64_t port = int_arg(env, info[1], "port");
  if (port < 0 || port > 65535) throw JsError("port must be in 0..65535", JsError::Range);
  ::c10d::TCPStoreOptions opts;
  opts.port = static_cast<std::uint16_t>(port);
  opts.isServer = bool_arg(env, info[2], "isServer");
  int64_t workers = int_arg(env, info[3], "numWorkers");
  if (workers > 0) opts.numWorkers = static_cast<size_t>(workers);
  opts.timeout = ms_arg(env, info[4], "timeoutMs");
  opts.waitWorkers = bool_arg(env, info[5], "waitWorkers");
  StorePtr store;
  try {
    store = c10d_compat::make_tcp_store(host, opts);
  } catch (const std::exception& e) {
    throw JsError(std::string("TCPStore ") + (opts.isServer ? "server" : "client") + " at " + host + ":" +
                  std::to_string(port) + " failed: " + e.what());
  }
  return make_holder(env, store);
}

// The port a server store listens on (useful with port 0).
FN(store_port) {
  Napi::Env env = info.Env();
  auto& store = holder_arg<StorePtr>(info[0]);
  auto* tcp = dynamic_cast<::c10d::TCPStore*>(store.get());
  if (!tcp) throw JsError("not a TCPStore");
  return Napi::Number::New(env, tcp->getPort());
}

// prefixStore(store, prefix): keys namespaced as PyTorch's process groups do.
FN(prefix_store) {
  Napi::Env env = info.Env();
  auto& store = holder_arg<StorePtr>(info[0]);
  StorePtr prefixed = c10::make_intrusive<::c10d::PrefixStore>(string_arg(env, info[1], "prefix"), store);
  return make_holder(env, prefixed);
}

std::vector<uint8_t> bytes_arg(Napi::Value v) {
  if (v.IsString()) {
    std::string s = v.As<Napi::String>().Utf8Value();
    return std::vector<uint8_t>(s.begin(), s.end());
  }
  if (!v.IsTypedArray()) throw JsError("store value must be a string or a Uint8Array", JsError::Type);
  auto typed = v.As<Napi::TypedArray>();
  if (typed.TypedArrayType() != napi_uint8_array) throw JsError("store value must be a Uint8Array", JsError::Type);
  auto bytes = typed.As<Napi::Uint8Array>();
  return std::vector<uint8_t>(bytes.Data(), bytes.Data() + bytes.ElementLength());
}

Napi::Value bytes_to_js(Napi::Env env, const std::vector<uint8_t>& bytes) {
  auto out = Napi::Uint8Array::New(env, bytes.size());
  if (!bytes.empty()) std::memcpy(out.Data(), bytes.data(), bytes.size());
  return out;
}

// A string[] argument (store keys, parameter names).
std::vector<std::string> string_list_arg(Napi::Value v, const char* name) {
  if (!v.IsArray()) throw JsError(std::string("argument '") + name + "' must be an array of strings", JsError::Type);
  auto array = v.As<Napi::Array>();
  std::vector<std::string> out;
  for (uint32_t i = 0, n = array.Length(); i < n; i++) out.push_back(string_arg(v.Env(), array.Get(i), name));
  return out;
}

FN(store_set) {
  Napi::Env env = info.Env();
  holder_arg<StorePtr>(info[0])->set(string_arg(env, info[1], "key"), bytes_arg(info[2]));
  return env.Undefined();
}
// storeGet(store, key): waits (up to the store's timeout) for the key.
FN(store_get) {
  Napi::Env env = info.Env();
  auto& store = holder_arg<StorePtr>(info[0]);
  std::string key = string_arg(env, info[1], "key");
  CollectiveScope waiting_on_peers;
  try {
    return bytes_to_js(env, store->get(key));
  } catch (const c10::Error& e) {
    throw JsError("store.get('" + key + "') failed: " + clean_torch_message(e));
  }
}
FN(store_add) {
  Napi::Env env = info.Env();
  auto& store = holder_arg<StorePtr>(info[0]);
  return Napi::Number::New(env, store->add(string_arg(env, info[1], "key"), int_arg(env, info[2], "amount")));
}
FN(store_check) {
  Napi::Env env = info.Env();
  auto& store = holder_arg<StorePtr>(info[0]);
  auto keys = string_list_arg(info[1], "key");
  return Napi::Boolean::New(env, store->check(keys));
}
FN(store_delete) {
  Napi::Env env = info.Env();
  return Napi::Boolean::New(env, holder_arg<StorePtr>(info[0])->deleteKey(string_arg(env, info[1], "key")));
}
FN(store_set_timeout) {
  Napi::Env env = info.Env();
  holder_arg<StorePtr>(info[0])->setTimeout(ms_arg(env, info[1], "timeoutMs"));
  return env.Undefined();
}
FN(store_close) {
  return close_holder<StorePtr>(info);
}

// ---- process groups ----

// processGroup(backend "gloo" | "nccl", store, rank, size, timeoutMs)
FN(process_group) {
  Napi::Env env = info.Env();
  std::string backend = string_arg(env, info[0], "backend");
  auto& store = holder_arg<StorePtr>(info[1]);
  int rank = static_cast<int>(int_arg(env, info[2], "rank"));
  int size = static_cast<int>(int_arg(env, info[3], "size"));
  auto timeout = ms_arg(env, info[4], "timeoutMs");
  if (size < 1 || rank < 0 || rank >= size) throw JsError("invalid rank " + std::to_string(rank) + " for world size " + std::to_string(size), JsError::Range);
  GroupPtr pg;
  if (backend == "gloo") {
    pg = c10d_compat::make_gloo(store, rank, size, timeout);
  } else if (backend == "nccl") {
#if defined(PST_WITH_NCCL)
    pg = c10d_compat::make_nccl(store, rank, size, timeout);
#else
    throw JsError("the NCCL backend is not in this build: rebuild against a CUDA libtorch with NCCL headers (LIBTORCH=...)");
#endif
  } else {
    throw JsError("unknown backend '" + backend + "' (gloo or nccl)", JsError::Type);
  }
  return make_holder(env, pg);
}
FN(has_nccl) {
#if defined(PST_WITH_NCCL)
  return Napi::Boolean::New(info.Env(), true);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}
FN(group_close) {
  return close_holder<GroupPtr>(info);
}

// allReduce(pg, tensors[], op, timeoutMs): in place. AVG is SUM then a division, as backends
// without a native average need.
FN(all_reduce) {
  Napi::Env env = info.Env();
  auto& pg = holder_arg<GroupPtr>(info[0]);
  auto tensors = tensor_list_arg(info[1], "tensors");
  int64_t op = int_arg(env, info[2], "op");
  auto timeout = ms_arg(env, info[3], "timeoutMs");
  ::c10d::AllreduceOptions opts;
  opts.reduceOp = reduce_op(op == 1 ? 0 : op);
  opts.timeout = timeout;
  at::NoGradGuard no_grad;
  wait_for(pg->allreduce(tensors, opts), timeout, "allReduce");
  if (op == 1) for (auto& t : tensors) t.div_(pg->getSize());
  return env.Undefined();
}
// broadcast(pg, tensors[], root, timeoutMs): in place.
FN(broadcast) {
  Napi::Env env = info.Env();
  auto& pg = holder_arg<GroupPtr>(info[0]);
  auto tensors = tensor_list_arg(info[1], "tensors");
  auto timeout = ms_arg(env, info[3], "timeoutMs");
  ::c10d::BroadcastOptions opts;
  opts.rootRank = static_cast<int64_t>(int_arg(env, info[2], "root"));
  opts.timeout = timeout;
  at::NoGradGuard no_grad;
  for (auto& t : tensors) {
    std::vector<at::Tensor> one{t};
    wait_for(pg->broadcast(one, opts), timeout, "broadcast");
  }
  return env.Undefined();
}
// broadcastCoalesced(pg, tensors[], root, bufferBytes): DDP's start-up sync of parameters and
// buffers, packed into few messages.
FN(broadcast_coalesced) {
  Napi::Env env = info.Env();
  auto& pg = holder_arg<GroupPtr>(info[0]);
  auto tensors = tensor_list_arg(info[1], "tensors");
  int root = static_cast<int>(int_arg(env, info[2], "root"));
  size_t buffer = static_cast<size_t>(int_arg(env, info[3], "bufferBytes"));
  at::NoGradGuard no_grad;
  ::c10d::broadcast_coalesced(pg, tensors, buffer, root);
  return env.Undefined();
}
// allGather(pg, outputs[], input, timeoutMs)
FN(all_gather) {
  Napi::Env env = info.Env();
  auto& pg = holder_arg<GroupPtr>(info[0]);
  std::vector<std::vector<at::Tensor>> outputs{tensor_list_arg(info[1], "outputs")};
  std::vector<at::Tensor> inputs{tensor_arg(env, info[2], "input")};
  auto timeout = ms_arg(env, info[3], "timeoutMs");
  if (static_cast<int>(outputs[0].size()) != pg->getSize()) {
    throw JsError("allGather: expected " + std::to_string(pg->getSize()) + " output tensors (one per rank)", JsError::Range);
  }
  ::c10d::AllgatherOptions opts;
  opts.timeout = timeout;
  at::NoGradGuard no_grad;
  wait_for(pg->allgather(outputs, inputs, opts), timeout, "allGather");
  return env.Undefined();
}
// reduceScatter(pg, output, inputs[], op, timeoutMs): throws where the backend lacks it (the
// JS layer then falls back to allReduce).
FN(reduce_scatter) {
  Napi::Env env = info.Env();
  auto& pg = holder_arg<GroupPtr>(info[0]);
  std::vector<at::Tensor> outputs{tensor_arg(env, info[1], "output")};
  std::vector<std::vector<at::Tensor>> inputs{tensor_list_arg(info[2], "inputs")};
  auto timeout = ms_arg(env, info[4], "timeoutMs");
  ::c10d::ReduceScatterOptions opts;
  opts.reduceOp = reduce_op(int_arg(env, info[3], "op"));
  opts.timeout = timeout;
  at::NoGradGuard no_grad;
  wait_for(pg->reduce_scatter(outputs, inputs, opts), timeout, "reduceScatter");
  return env.Undefined();
}
FN(barrier) {
  Napi::Env env = info.Env();
  auto& pg = holder_arg<GroupPtr>(info[0]);
  auto timeout = ms_arg(env, info[1], "timeoutMs");
  ::c10d::BarrierOptions opts;
  opts.timeout = timeout;
  wait_for(pg->barrier(opts), timeout, "barrier");
  return env.Undefined();
}

// ---- DistributedDataParallel's Reducer ----

// reducer(pg, params[], bucketCapBytes, findUnusedParameters, gradientAsBucketView, names[])
FN(reducer_create) {
  Napi::Env env = info.Env();
  auto& pg = holder_arg<GroupPtr>(info[0]);
  auto params = tensor_list_arg(info[1], "params");
  int64_t cap = int_arg(env, info[2], "bucketCapBytes");
  bool find_unused = bool_arg(env, info[3], "findUnusedParameters");
  bool as_view = bool_arg(env, info[4], "gradientAsBucketView");
  std::unordered_map<size_t, std::string> names;
  if (!is_nullish(env, info[5])) {
    auto list = string_list_arg(info[5], "name");
    for (size_t i = 0; i < list.size(); i++) names[i] = list[i];
  }
  for (size_t i = 0; i < params.size(); i++) {
    if (!params[i].requires_grad()) throw JsError("DistributedDataParallel: parameter " + (names.count(i) ? names[i] : std::to_string(i)) + " does not require grad");
  }
  // As torch.nn.parallel.DistributedDataParallel: a small first bucket (1 MB) so the first
  // allreduce starts early in backward, buckets in reverse parameter order.
  constexpr int64_t kFirstBucketBytes = 1024 * 1024;
  auto assignment = ::c10d::compute_bucket_assignment_by_size(
      params, {static_cast<size_t>(kFirstBucketBytes), static_cast<size_t>(cap)}, std::vector<bool>(params.size(), false));
  auto buckets = std::get<0>(assignment);
  auto limits = std::get<1>(assignment);
  std::reverse(buckets.begin(), buckets.end());
  std::reverse(limits.begin(), limits.end());
  ReducerPtr reducer = c10d_compat::make_reducer(params, buckets, limits, pg, cap, find_unused, as_view, names, cap);
  return make_holder(env, reducer);
}
FN(reducer_prepare_forward) {
  Napi::Env env = info.Env();
  holder_arg<ReducerPtr>(info[0])->prepare_for_forward();
  return env.Undefined();
}
// reducerPrepareBackward(reducer, outputs[]): arms the gradient hooks for the next backward
// (outputs are searched for unused parameters when findUnusedParameters is on).
FN(reducer_prepare_backward) {
  Napi::Env env = info.Env();
  holder_arg<ReducerPtr>(info[0])->prepare_for_backward(tensor_list_arg(info[1], "outputs"));
  g_interrupt.reduction_armed.store(1, std::memory_order_relaxed);
  return env.Undefined();
}
FN(reducer_close) {
  return close_holder<ReducerPtr>(info);
}

}  // namespace

void register_distributed_exports(napi_env env, napi_value exports) {
  auto d = Napi::Object::New(env);
  define<tcp_store>(d, "tcpStore");
  define<store_port>(d, "storePort");
  define<prefix_store>(d, "prefixStore");
  define<store_set>(d, "storeSet");
  define<store_get>(d, "storeGet");
  define<store_add>(d, "storeAdd");
  define<store_check>(d, "storeCheck");
  define<store_delete>(d, "storeDelete");
  define<store_set_timeout>(d, "storeSetTimeout");
  define<store_close>(d, "storeClose");
  define<process_group>(d, "processGroup");
  define<has_nccl>(d, "hasNccl");
  define<group_close>(d, "groupClose");
  define<all_reduce>(d, "allReduce");
  define<broadcast>(d, "broadcast");
  define<broadcast_coalesced>(d, "broadcastCoalesced");
  define<all_gather>(d, "allGather");
  define<reduce_scatter>(d, "reduceScatter");
  define<barrier>(d, "barrier");
  define<reducer_create>(d, "reducer");
  define<reducer_prepare_forward>(d, "reducerPrepareForward");
  define<reducer_prepare_backward>(d, "reducerPrepareBackward");
  define<reducer_close>(d, "reducerClose");
  Napi::Object(env, exports).Set("distributed", d);
}

}  // namespace pst
