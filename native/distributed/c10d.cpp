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

template <typename T>
void delete_holder(node_api_basic_env, void* data, void*) {
  delete static_cast<T*>(data);
}

template <typename T>
napi_value make_holder(napi_env env, T value) {
  auto* holder = new T(std::move(value));
  napi_value out;
  if (napi_create_external(env, holder, delete_holder<T>, nullptr, &out) != napi_ok) {
    delete holder;
    throw JsError("internal N-API failure: create_external");
  }
  return out;
}

template <typename T>
T& holder_arg(napi_env env, napi_value v, const char* what) {
  void* data = nullptr;
  // A tensor handle is a bare V8 External, which N-API must not unwrap (binding/handles.cpp).
  if (v == nullptr || is_tensor_handle(env, v) || napi_get_value_external(env, v, &data) != napi_ok || data == nullptr) {
    throw JsError(std::string("expected a ") + what + " handle", JsError::Type);
  }
  auto& held = *static_cast<T*>(data);
  if (!held) throw JsError(std::string("this ") + what + " has been closed");
  return held;
}

// Releases what a handle holds now (close()), before its finalizer runs; idempotent.
template <typename T>
napi_value close_holder(napi_env env, napi_callback_info info, const char* what) {
  PST_TRY
  Args args(env, info);
  void* data = nullptr;
  if (is_tensor_handle(env, args[0]) || napi_get_value_external(env, args[0], &data) != napi_ok || data == nullptr) {
    throw JsError(std::string("expected a ") + what + " handle", JsError::Type);
  }
  static_cast<T*>(data)->reset();
  return make_undefined(env);
  PST_CATCH(env)
}

std::chrono::milliseconds ms_arg(napi_env env, napi_value v, const char* name) {
  int64_t ms = int_arg(env, v, name);
  if (ms <= 0) throw JsError(std::string(name) + " must be a positive number of milliseconds", JsError::Range);
  return std::chrono::milliseconds(ms);
}

std::vector<at::Tensor> tensor_list_arg(napi_env env, napi_value v, const char* name) {
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  if (!is_array) throw JsError(std::string("argument '") + name + "' must be an array of tensors", JsError::Type);
  uint32_t n;
  napi_get_array_length(env, v, &n);
  std::vector<at::Tensor> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, v, i, &e);
    out.push_back(tensor_arg(env, e, name));
  }
  return out;
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

#define FN(name) napi_value name(napi_env env, napi_callback_info info)
#define BEGIN \
  PST_TRY     \
  Args args(env, info);

// ---- TCPStore ----

// tcpStore(host, port, isServer, numWorkers | -1, timeoutMs, waitWorkers)
FN(tcp_store) {
  BEGIN
  std::string host = string_arg(env, args[0], "host");
  int64_t port = int_arg(env, args[1], "port");
  if (port < 0 || port > 65535) throw JsError("port must be in 0..65535", JsError::Range);
  ::c10d::TCPStoreOptions opts;
  opts.port = static_cast<std::uint16_t>(port);
  opts.isServer = bool_arg(env, args[2], "isServer");
  int64_t workers = int_arg(env, args[3], "numWorkers");
  if (workers > 0) opts.numWorkers = static_cast<size_t>(workers);
  opts.timeout = ms_arg(env, args[4], "timeoutMs");
  opts.waitWorkers = bool_arg(env, args[5], "waitWorkers");
  StorePtr store;
  try {
    store = c10d_compat::make_tcp_store(host, opts);
  } catch (const std::exception& e) {
    throw JsError(std::string("TCPStore ") + (opts.isServer ? "server" : "client") + " at " + host + ":" +
                  std::to_string(port) + " failed: " + e.what());
  }
  return make_holder(env, store);
  PST_CATCH(env)
}

// The port a server store listens on (useful with port 0).
FN(store_port) {
  BEGIN
  auto& store = holder_arg<StorePtr>(env, args[0], "store");
  auto* tcp = dynamic_cast<::c10d::TCPStore*>(store.get());
  if (!tcp) throw JsError("not a TCPStore");
  return make_int(env, tcp->getPort());
  PST_CATCH(env)
}

// prefixStore(store, prefix): keys namespaced as PyTorch's process groups do.
FN(prefix_store) {
  BEGIN
  auto& store = holder_arg<StorePtr>(env, args[0], "store");
  StorePtr prefixed = c10::make_intrusive<::c10d::PrefixStore>(string_arg(env, args[1], "prefix"), store);
  return make_holder(env, prefixed);
  PST_CATCH(env)
}

std::vector<uint8_t> bytes_arg(napi_env env, napi_value v) {
  if (type_of(env, v) == napi_string) {
    std::string s = string_arg(env, v, "value");
    return std::vector<uint8_t>(s.begin(), s.end());
  }
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) throw JsError("store value must be a string or a Uint8Array", JsError::Type);
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  check(napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset), "typedarray");
  if (type != napi_uint8_array) throw JsError("store value must be a Uint8Array", JsError::Type);
  auto* p = static_cast<uint8_t*>(data);
  return std::vector<uint8_t>(p, p + length);
}

napi_value bytes_to_js(napi_env env, const std::vector<uint8_t>& bytes) {
  void* dst;
  napi_value ab, out;
  check(napi_create_arraybuffer(env, bytes.size(), &dst, &ab), "arraybuffer");
  if (!bytes.empty()) std::memcpy(dst, bytes.data(), bytes.size());
  check(napi_create_typedarray(env, napi_uint8_array, bytes.size(), ab, 0, &out), "typedarray");
  return out;
}

FN(store_set) {
  BEGIN
  holder_arg<StorePtr>(env, args[0], "store")->set(string_arg(env, args[1], "key"), bytes_arg(env, args[2]));
  return make_undefined(env);
  PST_CATCH(env)
}
// storeGet(store, key): waits (up to the store's timeout) for the key.
FN(store_get) {
  BEGIN
  auto& store = holder_arg<StorePtr>(env, args[0], "store");
  std::string key = string_arg(env, args[1], "key");
  CollectiveScope waiting_on_peers;
  try {
    return bytes_to_js(env, store->get(key));
  } catch (const c10::Error& e) {
    throw JsError("store.get('" + key + "') failed: " + clean_torch_message(e));
  }
  PST_CATCH(env)
}
FN(store_add) {
  BEGIN
  auto& store = holder_arg<StorePtr>(env, args[0], "store");
  return make_int(env, store->add(string_arg(env, args[1], "key"), int_arg(env, args[2], "amount")));
  PST_CATCH(env)
}
FN(store_check) {
  BEGIN
  auto& store = holder_arg<StorePtr>(env, args[0], "store");
  std::vector<std::string> keys;
  uint32_t n;
  check(napi_get_array_length(env, args[1], &n), "keys");
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, args[1], i, &e);
    keys.push_back(string_arg(env, e, "key"));
  }
  return make_bool(env, store->check(keys));
  PST_CATCH(env)
}
FN(store_delete) {
  BEGIN
  return make_bool(env, holder_arg<StorePtr>(env, args[0], "store")->deleteKey(string_arg(env, args[1], "key")));
  PST_CATCH(env)
}
FN(store_set_timeout) {
  BEGIN
  holder_arg<StorePtr>(env, args[0], "store")->setTimeout(ms_arg(env, args[1], "timeoutMs"));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(store_close) {
  return close_holder<StorePtr>(env, info, "store");
}

// ---- process groups ----

// processGroup(backend "gloo" | "nccl", store, rank, size, timeoutMs)
FN(process_group) {
  BEGIN
  std::string backend = string_arg(env, args[0], "backend");
  auto& store = holder_arg<StorePtr>(env, args[1], "store");
  int rank = static_cast<int>(int_arg(env, args[2], "rank"));
  int size = static_cast<int>(int_arg(env, args[3], "size"));
  auto timeout = ms_arg(env, args[4], "timeoutMs");
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
  PST_CATCH(env)
}
FN(has_nccl) {
#if defined(PST_WITH_NCCL)
  return make_bool(env, true);
#else
  return make_bool(env, false);
#endif
}
FN(group_close) {
  return close_holder<GroupPtr>(env, info, "process group");
}

// allReduce(pg, tensors[], op, timeoutMs): in place. AVG is SUM then a division, as backends
// without a native average need.
FN(all_reduce) {
  BEGIN
  auto& pg = holder_arg<GroupPtr>(env, args[0], "process group");
  auto tensors = tensor_list_arg(env, args[1], "tensors");
  int64_t op = int_arg(env, args[2], "op");
  auto timeout = ms_arg(env, args[3], "timeoutMs");
  ::c10d::AllreduceOptions opts;
  opts.reduceOp = reduce_op(op == 1 ? 0 : op);
  opts.timeout = timeout;
  at::NoGradGuard no_grad;
  wait_for(pg->allreduce(tensors, opts), timeout, "allReduce");
  if (op == 1) for (auto& t : tensors) t.div_(pg->getSize());
  return make_undefined(env);
  PST_CATCH(env)
}
// broadcast(pg, tensors[], root, timeoutMs): in place.
FN(broadcast) {
  BEGIN
  auto& pg = holder_arg<GroupPtr>(env, args[0], "process group");
  auto tensors = tensor_list_arg(env, args[1], "tensors");
  auto timeout = ms_arg(env, args[3], "timeoutMs");
  ::c10d::BroadcastOptions opts;
  opts.rootRank = static_cast<int64_t>(int_arg(env, args[2], "root"));
  opts.timeout = timeout;
  at::NoGradGuard no_grad;
  for (auto& t : tensors) {
    std::vector<at::Tensor> one{t};
    wait_for(pg->broadcast(one, opts), timeout, "broadcast");
  }
  return make_undefined(env);
  PST_CATCH(env)
}
// broadcastCoalesced(pg, tensors[], root, bufferBytes): DDP's start-up sync of parameters and
// buffers, packed into few messages.
FN(broadcast_coalesced) {
  BEGIN
  auto& pg = holder_arg<GroupPtr>(env, args[0], "process group");
  auto tensors = tensor_list_arg(env, args[1], "tensors");
  int root = static_cast<int>(int_arg(env, args[2], "root"));
  size_t buffer = static_cast<size_t>(int_arg(env, args[3], "bufferBytes"));
  at::NoGradGuard no_grad;
  ::c10d::broadcast_coalesced(pg, tensors, buffer, root);
  return make_undefined(env);
  PST_CATCH(env)
}
// allGather(pg, outputs[], input, timeoutMs)
FN(all_gather) {
  BEGIN
  auto& pg = holder_arg<GroupPtr>(env, args[0], "process group");
  std::vector<std::vector<at::Tensor>> outputs{tensor_list_arg(env, args[1], "outputs")};
  std::vector<at::Tensor> inputs{tensor_arg(env, args[2], "input")};
  auto timeout = ms_arg(env, args[3], "timeoutMs");
  if (static_cast<int>(outputs[0].size()) != pg->getSize()) {
    throw JsError("allGather: expected " + std::to_string(pg->getSize()) + " output tensors (one per rank)", JsError::Range);
  }
  ::c10d::AllgatherOptions opts;
  opts.timeout = timeout;
  at::NoGradGuard no_grad;
  wait_for(pg->allgather(outputs, inputs, opts), timeout, "allGather");
  return make_undefined(env);
  PST_CATCH(env)
}
// reduceScatter(pg, output, inputs[], op, timeoutMs): throws where the backend lacks it (the
// JS layer then falls back to allReduce).
FN(reduce_scatter) {
  BEGIN
  auto& pg = holder_arg<GroupPtr>(env, args[0], "process group");
  std::vector<at::Tensor> outputs{tensor_arg(env, args[1], "output")};
  std::vector<std::vector<at::Tensor>> inputs{tensor_list_arg(env, args[2], "inputs")};
  auto timeout = ms_arg(env, args[4], "timeoutMs");
  ::c10d::ReduceScatterOptions opts;
  opts.reduceOp = reduce_op(int_arg(env, args[3], "op"));
  opts.timeout = timeout;
  at::NoGradGuard no_grad;
  wait_for(pg->reduce_scatter(outputs, inputs, opts), timeout, "reduceScatter");
  return make_undefined(env);
  PST_CATCH(env)
}
FN(barrier) {
  BEGIN
  auto& pg = holder_arg<GroupPtr>(env, args[0], "process group");
  auto timeout = ms_arg(env, args[1], "timeoutMs");
  ::c10d::BarrierOptions opts;
  opts.timeout = timeout;
  wait_for(pg->barrier(opts), timeout, "barrier");
  return make_undefined(env);
  PST_CATCH(env)
}

// ---- DistributedDataParallel's Reducer ----

// reducer(pg, params[], bucketCapBytes, findUnusedParameters, gradientAsBucketView, names[])
FN(reducer_create) {
  BEGIN
  auto& pg = holder_arg<GroupPtr>(env, args[0], "process group");
  auto params = tensor_list_arg(env, args[1], "params");
  int64_t cap = int_arg(env, args[2], "bucketCapBytes");
  bool find_unused = bool_arg(env, args[3], "findUnusedParameters");
  bool as_view = bool_arg(env, args[4], "gradientAsBucketView");
  std::unordered_map<size_t, std::string> names;
  if (!is_nullish(env, args[5])) {
    uint32_t n;
    napi_get_array_length(env, args[5], &n);
    for (uint32_t i = 0; i < n; i++) {
      napi_value e;
      napi_get_element(env, args[5], i, &e);
      names[i] = string_arg(env, e, "name");
    }
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
  PST_CATCH(env)
}
FN(reducer_prepare_forward) {
  BEGIN
  holder_arg<ReducerPtr>(env, args[0], "reducer")->prepare_for_forward();
  return make_undefined(env);
  PST_CATCH(env)
}
// reducerPrepareBackward(reducer, outputs[]): arms the gradient hooks for the next backward
// (outputs are searched for unused parameters when findUnusedParameters is on).
FN(reducer_prepare_backward) {
  BEGIN
  holder_arg<ReducerPtr>(env, args[0], "reducer")->prepare_for_backward(tensor_list_arg(env, args[1], "outputs"));
  g_interrupt.reduction_armed.store(1, std::memory_order_relaxed);
  return make_undefined(env);
  PST_CATCH(env)
}
FN(reducer_close) {
  return close_holder<ReducerPtr>(env, info, "reducer");
}

}  // namespace

void register_distributed_exports(napi_env env, napi_value exports) {
  napi_value d;
  check(napi_create_object(env, &d), "object");
  define_exports(env, d,
                 {
                     {"tcpStore", tcp_store},
                     {"storePort", store_port},
                     {"prefixStore", prefix_store},
                     {"storeSet", store_set},
                     {"storeGet", store_get},
                     {"storeAdd", store_add},
                     {"storeCheck", store_check},
                     {"storeDelete", store_delete},
                     {"storeSetTimeout", store_set_timeout},
                     {"storeClose", store_close},
                     {"processGroup", process_group},
                     {"hasNccl", has_nccl},
                     {"groupClose", group_close},
                     {"allReduce", all_reduce},
                     {"broadcast", broadcast},
                     {"broadcastCoalesced", broadcast_coalesced},
                     {"allGather", all_gather},
                     {"reduceScatter", reduce_scatter},
                     {"barrier", barrier},
                     {"reducer", reducer_create},
                     {"reducerPrepareForward", reducer_prepare_forward},
                     {"reducerPrepareBackward", reducer_prepare_backward},
                     {"reducerClose", reducer_close},
                 });
  check(napi_set_named_property(env, exports, "distributed", d), "set distributed");
}

}  // namespace pst
