// The Tensor core: creation, properties, copies out to JS, device and dtype moves, autograd
// basics, CUDA and thread settings, and hand-unboxed hot ops (the generated, schema-driven op
// surface lives in ops.cpp).
#include "common.h"
#include "fileio.h"
#include "compat/allocator.h"
#include "compat/autocast.h"

#include <cstring>

#include <ATen/CPUFunctions.h>

#if __has_include(<cuda_runtime_api.h>) && __has_include(<c10/cuda/CUDACachingAllocator.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#define PST_HAS_CUDA_ALLOCATOR 1
#endif

namespace pst {
namespace {

#define FN(name) napi_value name(napi_env env, napi_callback_info info)
#define BEGIN           \
  PST_TRY               \
  check_interrupt(env); \
  Args args(env, info);

// ---- creation ----

// fromBuffer(typedArray, sourceDtype, shape, dtype?, device?, requiresGrad)
FN(from_buffer) {
  BEGIN
  bool is_typed = false;
  napi_is_typedarray(env, args[0], &is_typed);
  if (!is_typed) throw JsError("tensor data must be a TypedArray", JsError::Type);
  napi_typedarray_type ttype;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  check(napi_get_typedarray_info(env, args[0], &ttype, &length, &data, &buffer, &offset), "typedarray info");
  at::ScalarType src = dtype_arg(env, args[1], "sourceDtype");
  auto shape = int_list_arg(env, args[2], "shape");
  int64_t numel = 1;
  for (auto s : shape) {
    if (s < 0) throw JsError("tensor: negative dimension in shape", JsError::Range);
    numel *= s;
  }
  int64_t itemsize = static_cast<int64_t>(c10::elementSize(src));
  size_t byte_len = length * (ttype == napi_int8_array || ttype == napi_uint8_array || ttype == napi_uint8_clamped_array ? 1
                              : ttype == napi_int16_array || ttype == napi_uint16_array                               ? 2
                              : ttype == napi_int32_array || ttype == napi_uint32_array || ttype == napi_float32_array ? 4
                                                                                                                      : 8);
  if (static_cast<int64_t>(byte_len) != numel * itemsize) {
    throw JsError("tensor: data has " + std::to_string(byte_len / itemsize) + " elements but shape " +
                      c10::str(c10::IntArrayRef(shape)) + " needs " + std::to_string(numel),
                  JsError::Range);
  }
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(src));
  if (byte_len) std::memcpy(t.data_ptr(), data, byte_len);
  at::TensorOptions o = options_arg(env, args[3], args[4]);
  if (o.has_dtype() || o.has_device()) {
    t = t.to(o.device_opt().value_or(at::kCPU), o.has_dtype() ? c10::typeMetaToScalarType(o.dtype()) : src);
  }
  if (!is_nullish(env, args[5]) && bool_arg(env, args[5], "requiresGrad")) t.requires_grad_(true);
  return wrap_tensor(env, std::move(t));
  PST_CATCH(env)
}

at::TensorOptions creation_options(napi_env env, const Args& args, size_t at) {
  return options_arg(env, args[at], args[at + 1]);
}

// kind(shape, dtype?, device?)
FN(empty) {
  BEGIN
  return wrap_tensor(env, at::empty(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
// The memory of emptyLarge tensors: alloc_large (fileio.cpp) recycles blocks freed in the last
// seconds, so a reloaded checkpoint reuses the pages of the last one instead of faulting in fresh
// ones. A c10 allocator, so storages stay resizable (a resize allocates through it again).
struct LargeBlock {
  void* p;
  size_t bytes;
};
void free_large_block(void* ctx) {
  auto* block = static_cast<LargeBlock*>(ctx);
  free_large(block->p, block->bytes);
  delete block;
}
struct LargeAllocator final : compat::CpuAllocator<LargeAllocator> {
  c10::DataPtr allocate_block(size_t n) const {
    void* p = n ? alloc_large(n) : nullptr;
    if (p == nullptr) return c10::GetAllocator(c10::kCPU)->allocate(n);
    LargeBlock* block;
    try {
      block = new LargeBlock{p, n};
    } catch (...) {
      free_large(p, n);
      throw;
    }
    return {p, block, &free_large_block, c10::Device(c10::kCPU)};
  }
};
LargeAllocator g_large_allocator;

// emptyLarge(shape, dtype?): an uninitialised CPU tensor for a large storage about to be filled at
// once (torch.load reads files into it), in LargeAllocator's memory.
FN(empty_large) {
  BEGIN
  auto shape = int_list_arg(env, args[0], "size");
  at::TensorOptions o = options_arg(env, args[1], nullptr);
  for (auto s : shape) {
    if (s < 0) throw JsError("emptyLarge: negative dimension in shape", JsError::Range);
  }
  return wrap_tensor(env, at::Tensor(at::detail::empty_generic(shape, &g_large_allocator,
                                                               c10::DispatchKeySet(c10::DispatchKey::CPU),
                                                               c10::typeMetaToScalarType(o.dtype()), c10::nullopt)));
  PST_CATCH(env)
}
FN(zeros) {
  BEGIN
  return wrap_tensor(env, at::zeros(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
FN(ones) {
  BEGIN
  return wrap_tensor(env, at::ones(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
FN(rand) {
  BEGIN
  return wrap_tensor(env, at::rand(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
FN(randn) {
  BEGIN
  return wrap_tensor(env, at::randn(int_list_arg(env, args[0], "size"), creation_options(env, args, 1)));
  PST_CATCH(env)
}
// full(shape, value, dtype?, device?)
FN(full) {
  BEGIN
  return wrap_tensor(env, at::full(int_list_arg(env, args[0], "size"), scalar_arg(env, args[1], "fillValue"),
                                   creation_options(env, args, 2)));
  PST_CATCH(env)
}
// randint(low, high, shape, dtype?, device?)
FN(randint) {
  BEGIN
  auto o = creation_options(env, args, 3);
  if (!o.has_dtype()) o = o.dtype(at::kLong);
  return wrap_tensor(env, at::randint(int_arg(env, args[0], "low"), int_arg(env, args[1], "high"),
                                      int_list_arg(env, args[2], "size"), o));
  PST_CATCH(env)
}
// eye(n, m, dtype?, device?)
FN(eye) {
  BEGIN
  int64_t n = int_arg(env, args[0], "n");
  int64_t m = is_nullish(env, args[1]) ? n : int_arg(env, args[1], "m");
  return wrap_tensor(env, at::eye(n, m, creation_options(env, args, 2)));
  PST_CATCH(env)
}
// arange(start, end, step, dtype?, device?): integer arguments give int64, as PyTorch.
FN(arange) {
  BEGIN
  auto start = scalar_arg(env, args[0], "start");
  auto end = scalar_arg(env, args[1], "end");
  auto step = scalar_arg(env, args[2], "step");
  return wrap_tensor(env, at::arange(start, end, step, creation_options(env, args, 3)));
  PST_CATCH(env)
}
// linspace(start, end, steps, dtype?, device?)
FN(linspace) {
  BEGIN
  return wrap_tensor(env, at::linspace(scalar_arg(env, args[0], "start"), scalar_arg(env, args[1], "end"),
                                       int_arg(env, args[2], "steps"), creation_options(env, args, 3)));
  PST_CATCH(env)
}
// scalarTensor(value, dtype?, device?)
FN(scalar_tensor) {
  BEGIN
  return wrap_tensor(env, at::scalar_tensor(scalar_arg(env, args[0], "value"), creation_options(env, args, 1)));
  PST_CATCH(env)
}

// ---- properties ----

FN(shape) {
  BEGIN
  return make_int_array(env, tensor_arg(env, args[0], "self").sizes());
  PST_CATCH(env)
}
FN(strides) {
  BEGIN
  return make_int_array(env, tensor_arg(env, args[0], "self").strides());
  PST_CATCH(env)
}
FN(storage_offset) {
  BEGIN
  return make_int(env, tensor_arg(env, args[0], "self").storage_offset());
  PST_CATCH(env)
}
FN(dtype) {
  BEGIN
  return make_int(env, static_cast<int64_t>(tensor_arg(env, args[0], "self").scalar_type()));
  PST_CATCH(env)
}
FN(device) {
  BEGIN
  return make_string(env, device_string(tensor_arg(env, args[0], "self").device()));
  PST_CATCH(env)
}
FN(numel) {
  BEGIN
  return make_int(env, tensor_arg(env, args[0], "self").numel());
  PST_CATCH(env)
}
FN(dim) {
  BEGIN
  return make_int(env, tensor_arg(env, args[0], "self").dim());
  PST_CATCH(env)
}
FN(is_contiguous) {
  BEGIN
  return make_bool(env, tensor_arg(env, args[0], "self").is_contiguous());
  PST_CATCH(env)
}
FN(requires_grad) {
  BEGIN
  return make_bool(env, tensor_arg(env, args[0], "self").requires_grad());
  PST_CATCH(env)
}
FN(set_requires_grad) {
  BEGIN
  tensor_arg(env, args[0], "self").set_requires_grad(bool_arg(env, args[1], "requiresGrad"));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(is_leaf) {
  BEGIN
  return make_bool(env, tensor_arg(env, args[0], "self").is_leaf());
  PST_CATCH(env)
}
FN(grad) {
  BEGIN
  return wrap_existing(env, tensor_arg(env, args[0], "self").grad());
  PST_CATCH(env)
}
FN(set_grad) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (is_nullish(env, args[1])) {
    t.mutable_grad().reset();
  } else {
    t.mutable_grad() = tensor_arg(env, args[1], "grad");
  }
  return make_undefined(env);
  PST_CATCH(env)
}
FN(grad_fn_name) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  const auto& fn = t.grad_fn();
  return fn ? make_string(env, fn->name()) : make_null(env);
  PST_CATCH(env)
}
FN(element_size) {
  BEGIN
  return make_int(env, static_cast<int64_t>(tensor_arg(env, args[0], "self").element_size()));
  PST_CATCH(env)
}
// An id of the storage under a tensor: equal for handles that share it (torch.save writes a
// shared storage once).
FN(storage_id) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (!t.has_storage()) return make_null(env);
  return make_number(env, static_cast<double>(reinterpret_cast<uintptr_t>(t.storage().unsafeGetStorageImpl())));
  PST_CATCH(env)
}

// ---- copies out ----

// The bytes of a tensor as JS reads them (DECISIONS: float16/bfloat16 as float32, complex as
// interleaved (re, im), bool as uint8): a CPU, contiguous copy in a fresh ArrayBuffer.
at::Tensor js_readable(at::Tensor t) {
  auto st = t.scalar_type();
  if (st == at::kHalf || st == at::kBFloat16) t = t.to(at::kFloat);
  else if (st == at::kComplexHalf) t = at::view_as_real(t.to(at::kComplexFloat));
  else if (st == at::kComplexFloat || st == at::kComplexDouble) t = at::view_as_real(t.resolve_conj());
  if (t.is_neg()) t = t.resolve_neg();
  return t.to(at::kCPU).contiguous();
}

FN(to_buffer) {
  BEGIN
  at::Tensor t = js_readable(tensor_arg(env, args[0], "self").detach());
  size_t n = t.nbytes();
  void* dst;
  napi_value ab;
  check(napi_create_arraybuffer(env, n, &dst, &ab), "create arraybuffer");
  if (n) std::memcpy(dst, t.data_ptr(), n);
  return ab;
  PST_CATCH(env)
}

// The whole storage under a tensor as bytes, for checkpoints: zero-copy for CPU storages (the
// ArrayBuffer keeps the storage alive), a host copy for device storages.
void release_storage(node_api_basic_env, void*, void* hint) {
  delete static_cast<c10::Storage*>(hint);
}
FN(storage_bytes) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (!t.has_storage()) throw JsError("this tensor has no storage (sparse or opaque layout) and cannot be saved");
  const c10::Storage& storage = t.storage();
  size_t n = storage.nbytes();
  napi_value ab;
  if (storage.device().is_cpu()) {
    if (n == 0) {
      void* unused;
      check(napi_create_arraybuffer(env, 0, &unused, &ab), "arraybuffer");
      return ab;
    }
    auto* keep = new c10::Storage(storage);
    napi_status st = napi_create_external_arraybuffer(env, const_cast<void*>(keep->data()), n, release_storage, keep, &ab);
    if (st == napi_ok) return ab;
    delete keep;  // external buffers disallowed (e.g. a sandboxed runtime): copy below
  }
  // A flat view of the whole storage, moved to the host.
  at::Tensor flat = at::empty({0}, t.options().dtype(at::kByte)).set_(
      c10::Storage(storage), 0, {static_cast<int64_t>(n)}, {1});
  at::Tensor host = flat.to(at::kCPU);
  void* dst;
  check(napi_create_arraybuffer(env, n, &dst, &ab), "arraybuffer");
  if (n) std::memcpy(dst, host.data_ptr(), n);
  return ab;
  PST_CATCH(env)
}
// storageView(self): an ArrayBuffer over a CPU tensor's storage that does NOT keep it alive (for
// torch.load, which holds the tensor while it reads into the view and detaches the view after).
// Node runs the finalizer of an owning external ArrayBuffer (storageBytes) only at the next turn
// of the event loop, so a loop of loads that never yields would never free a loaded storage.
FN(storage_view) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (!t.has_storage() || !t.storage().device().is_cpu()) throw JsError("storageView: expected a CPU tensor with storage");
  size_t n = t.storage().nbytes();
  napi_value ab;
  void* unused;
  if (n == 0) {
    check(napi_create_arraybuffer(env, 0, &unused, &ab), "arraybuffer");
  } else {
    check(napi_create_external_arraybuffer(env, const_cast<void*>(t.storage().data()), n, nullptr, nullptr, &ab),
          "external arraybuffer");
  }
  return ab;
  PST_CATCH(env)
}
// asStrided(self, shape, stride, offset): a view into self's storage (checkpoint loading).
FN(as_strided) {
  BEGIN
  return wrap_tensor(env, tensor_arg(env, args[0], "self").as_strided(int_list_arg(env, args[1], "size"),
                                                                        int_list_arg(env, args[2], "stride"),
                                                                        int_arg(env, args[3], "storageOffset")));
  PST_CATCH(env)
}

FN(item) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  if (t.numel() != 1) {
    throw JsError("item(): a Tensor with " + std::to_string(t.numel()) +
                  " elements cannot be converted to a number (it needs exactly one)");
  }
  return scalar_to_js(env, t.item());
  PST_CATCH(env)
}

// ---- copies and moves ----

FN(clone) {
  BEGIN
  return wrap_tensor(env, tensor_arg(env, args[0], "self").clone());
  PST_CATCH(env)
}
FN(contiguous) {
  BEGIN
  return wrap_tensor(env, tensor_arg(env, args[0], "self").contiguous());
  PST_CATCH(env)
}
FN(detach) {
  BEGIN
  return wrap_tensor(env, tensor_arg(env, args[0], "self").detach());
  PST_CATCH(env)
}
// to(self, dtype?, device?, copy): returns self's own handle data when nothing changes, as
// PyTorch returns self (the JS side then returns the same Tensor object).
FN(to) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  auto dtype = is_nullish(env, args[1]) ? t.scalar_type() : dtype_arg(env, args[1]);
  auto device = is_nullish(env, args[2]) ? t.device() : device_arg(env, args[2]);
  bool copy = !is_nullish(env, args[3]) && bool_arg(env, args[3], "copy");
  if (device.is_cuda() && !at::globalContext().hasCUDA()) {
    throw JsError(
        "CUDA is not available: this libtorch was built without CUDA (or no GPU is visible). "
        "Point LIBTORCH at a CUDA build of libtorch (e.g. the torch folder of a pip CUDA install) "
        "and rebuild with `npm run build:native`.");
  }
  at::Tensor r = t.to(device, dtype, /*non_blocking=*/false, copy);
  if (r.unsafeGetTensorImpl() == t.unsafeGetTensorImpl()) return make_null(env);
  return wrap_tensor(env, std::move(r));
  PST_CATCH(env)
}

// ---- autograd basics ----

// backward(self, gradient?, retainGraph?, createGraph?)
FN(backward) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  at::Tensor gradient;
  if (!is_nullish(env, args[1])) gradient = tensor_arg(env, args[1], "gradient");
  c10::optional<bool> retain;
  if (!is_nullish(env, args[2])) retain = bool_arg(env, args[2], "retainGraph");
  bool create = !is_nullish(env, args[3]) && bool_arg(env, args[3], "createGraph");
  BackwardScope reducing;
  t.backward(gradient, retain, create);
  return make_undefined(env);
  PST_CATCH(env)
}
FN(set_grad_enabled) {
  BEGIN
  bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(bool_arg(env, args[0], "enabled"));
  return make_bool(env, previous);
  PST_CATCH(env)
}
FN(is_grad_enabled) {
  BEGIN
  return make_bool(env, at::GradMode::is_enabled());
  PST_CATCH(env)
}

// Inference mode is an RAII guard in C++; JS enters and exits it around a callback, so the
// guards live on a stack here (exit pops the innermost).
std::vector<std::unique_ptr<c10::InferenceMode>> g_inference_guards;
FN(enter_inference_mode) {
  BEGIN
  g_inference_guards.push_back(std::make_unique<c10::InferenceMode>(bool_arg(env, args[0], "enabled")));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(exit_inference_mode) {
  BEGIN
  if (!g_inference_guards.empty()) g_inference_guards.pop_back();
  return make_undefined(env);
  PST_CATCH(env)
}
FN(is_inference_mode_enabled) {
  BEGIN
  return make_bool(env, c10::InferenceMode::is_enabled());
  PST_CATCH(env)
}
FN(is_inference) {
  BEGIN
  return make_bool(env, tensor_arg(env, args[0], "self").is_inference());
  PST_CATCH(env)
}

// ---- random generator ----

FN(manual_seed) {
  BEGIN
  uint64_t seed;
  if (type_of(env, args[0]) == napi_bigint) {
    bool lossless;
    check(napi_get_value_bigint_uint64(env, args[0], &seed, &lossless), "bigint");
  } else {
    seed = static_cast<uint64_t>(int_arg(env, args[0], "seed"));
  }
  at::manual_seed(seed);
  return make_undefined(env);
  PST_CATCH(env)
}
FN(initial_seed) {
  BEGIN
  uint64_t seed = at::detail::getDefaultCPUGenerator().current_seed();
  napi_value r;
  check(napi_create_bigint_uint64(env, seed, &r), "bigint");
  return r;
  PST_CATCH(env)
}

// ---- threads and CUDA ----

FN(set_num_threads) {
  BEGIN
  int64_t n = int_arg(env, args[0], "n");
  if (n < 1) throw JsError("setNumThreads: expected a positive number of threads", JsError::Range);
  at::set_num_threads(static_cast<int>(n));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(get_num_threads) {
  BEGIN
  return make_int(env, at::get_num_threads());
  PST_CATCH(env)
}
FN(cuda_is_available) {
  BEGIN
  return make_bool(env, torch::cuda::is_available());
  PST_CATCH(env)
}
FN(cuda_device_count) {
  BEGIN
  return make_int(env, static_cast<int64_t>(torch::cuda::device_count()));
  PST_CATCH(env)
}
void require_cuda(const char* what) {
  if (!torch::cuda::is_available()) {
    throw JsError(std::string(what) +
                  ": CUDA is not available (this libtorch has no CUDA, or no GPU is visible). "
                  "Point LIBTORCH at a CUDA build of libtorch and rebuild with `npm run build:native`.");
  }
}
FN(cuda_synchronize) {
  BEGIN
  require_cuda("cuda.synchronize");
  torch::cuda::synchronize(is_nullish(env, args[0]) ? -1 : int_arg(env, args[0], "device"));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(cuda_set_device) {
  BEGIN
  require_cuda("cuda.setDevice");
  int64_t index = int_arg(env, args[0], "device");
  if (index < 0 || index >= static_cast<int64_t>(torch::cuda::device_count())) {
    throw JsError("cuda.setDevice: no CUDA device " + std::to_string(index), JsError::Range);
  }
  c10::impl::getDeviceGuardImpl(at::kCUDA)->setDevice(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index)));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(cuda_current_device) {
  BEGIN
  require_cuda("cuda.currentDevice");
  return make_int(env, c10::impl::getDeviceGuardImpl(at::kCUDA)->getDevice().index());
  PST_CATCH(env)
}
// {allocated, reserved, maxAllocated} in bytes for one device.
FN(cuda_memory_stats) {
  BEGIN
  require_cuda("cuda.memoryStats");
  int64_t index = is_nullish(env, args[0]) ? 0 : int_arg(env, args[0], "device");
  napi_value obj;
  check(napi_create_object(env, &obj), "object");
#ifdef PST_HAS_CUDA_ALLOCATOR
  auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<int>(index));
  using c10::cuda::CUDACachingAllocator::StatType;
  auto agg = static_cast<size_t>(StatType::AGGREGATE);
  napi_set_named_property(env, obj, "allocated", make_int(env, stats.allocated_bytes[agg].current));
  napi_set_named_property(env, obj, "maxAllocated", make_int(env, stats.allocated_bytes[agg].peak));
  napi_set_named_property(env, obj, "reserved", make_int(env, stats.reserved_bytes[agg].current));
  napi_set_named_property(env, obj, "maxReserved", make_int(env, stats.reserved_bytes[agg].peak));
#else
  (void)index;
  throw JsError("cuda.memoryStats: this build has no CUDA allocator headers (rebuild against a CUDA libtorch)");
#endif
  return obj;
  PST_CATCH(env)
}
FN(cuda_empty_cache) {
  BEGIN
  require_cuda("cuda.emptyCache");
#ifdef PST_HAS_CUDA_ALLOCATOR
  c10::cuda::CUDACachingAllocator::emptyCache();
#endif
  return make_undefined(env);
  PST_CATCH(env)
}

// ---- hand-unboxed hot ops ----
//
// The most common ops skip the boxed dispatcher path of ops.cpp: argument conversion is the
// cost that dominates a 1-element op. A number operand becomes a Scalar (integral -> int).

// plain_cpu (common.h) tensors, and no autocast.
inline bool fast_path(const at::Tensor& a) {
  return plain_cpu(a) && !compat::cpu_autocast_enabled();
}
inline bool fast_path(const at::Tensor& a, const at::Tensor& b) {
  return fast_path(a) && plain_cpu(b);
}

#define BINARY_OP(NAME, CALL_FAST, CALL_TT, CALL_TS)            \
  FN(NAME) {                                                    \
    BEGIN                                                       \
    auto& a = tensor_arg(env, args[0], "self");                 \
    if (is_tensor_handle(env, args[1])) {                       \
      auto& b = tensor_arg(env, args[1], "other");              \
      return wrap_into(env, args[2], fast_path(a, b) ? CALL_FAST : CALL_TT); \
    }                                                           \
    auto s = scalar_arg(env, args[1], "other");                 \
    return wrap_into(env, args[2], CALL_TS);                    \
    PST_CATCH(env)                                              \
  }

BINARY_OP(add, at::cpu::add(a, b), at::add(a, b), at::add(a, s))
BINARY_OP(sub, at::cpu::sub(a, b), at::sub(a, b), at::sub(a, s))
BINARY_OP(mul, at::cpu::mul(a, b), at::mul(a, b), at::mul(a, s))
BINARY_OP(div, at::cpu::div(a, b), at::div(a, b), at::div(a, s))

// In-place variants return nothing: the JS method returns `this`, as PyTorch returns self.
#define INPLACE_OP(NAME, METHOD)                   \
  FN(NAME) {                                       \
    BEGIN                                          \
    auto& a = tensor_arg(env, args[0], "self");    \
    if (is_tensor_handle(env, args[1])) {          \
      a.METHOD(tensor_arg(env, args[1], "other")); \
    } else {                                       \
      a.METHOD(scalar_arg(env, args[1], "other")); \
    }                                              \
    return make_undefined(env);                    \
    PST_CATCH(env)                                 \
  }

INPLACE_OP(add_, add_)
INPLACE_OP(sub_, sub_)
INPLACE_OP(mul_, mul_)
INPLACE_OP(div_, div_)

// Two plain matrices: matmul is mm (at::matmul's own 2-D case), called at the CPU kernel.
FN(matmul) {
  BEGIN
  auto& a = tensor_arg(env, args[0], "self");
  auto& b = tensor_arg(env, args[1], "other");
  bool mm = a.dim() == 2 && b.dim() == 2 && fast_path(a, b);
  return wrap_into(env, args[2], mm ? at::cpu::mm(a, b) : at::matmul(a, b));
  PST_CATCH(env)
}
FN(relu) {
  BEGIN
  auto& a = tensor_arg(env, args[0], "self");
  if (fast_path(a) && a.scalar_type() != at::kBool) {
    // at::native::relu is clamp_min(self, 0) through the dispatcher: call the kernel itself.
    return wrap_into(env, args[1], at::cpu::clamp_min(a, 0));
  }
  return wrap_into(env, args[1], at::relu(a));
  PST_CATCH(env)
}
FN(neg) {
  BEGIN
  auto& a = tensor_arg(env, args[0], "self");
  return wrap_into(env, args[1], fast_path(a) ? at::cpu::neg(a) : at::neg(a));
  PST_CATCH(env)
}
// sum(self) / mean(self): whole-tensor reductions (dims go through the generated ops).
FN(sum) {
  BEGIN
  // Not at::cpu::sum: the all-dims overload's own path is faster (0.69 vs 0.85 us here).
  return wrap_into(env, args[1], at::sum(tensor_arg(env, args[0], "self")));
  PST_CATCH(env)
}
FN(mean) {
  BEGIN
  auto& a = tensor_arg(env, args[0], "self");
  auto type = a.scalar_type();
  if (fast_path(a) && (type == at::kFloat || type == at::kDouble)) {
    // What at::mean does on CPU (mean_out: sum, then div_ by the element count, in the input's
    // dtype), without its four passes through the dispatcher: 0.8 us instead of 1.9 here.
    at::Tensor r = at::sum(a);
    int64_t n = a.numel();
    if (type == at::kFloat) *r.data_ptr<float>() /= static_cast<float>(n);
    else *r.data_ptr<double>() /= static_cast<double>(n);
    return wrap_into(env, args[1], std::move(r));
  }
  return wrap_into(env, args[1], at::mean(a));
  PST_CATCH(env)
}
// select(self, dim, index): t[i] without the boxed path.
FN(select) {
  BEGIN
  return wrap_into(env, args[3], tensor_arg(env, args[0], "self").select(int_arg(env, args[1], "dim"),
                                                                           int_arg(env, args[2], "index")));
  PST_CATCH(env)
}
FN(reshape) {
  BEGIN
  return wrap_into(env, args[2], tensor_arg(env, args[0], "self").reshape(int_list_arg(env, args[1], "shape")));
  PST_CATCH(env)
}
FN(copy_) {
  BEGIN
  tensor_arg(env, args[0], "self").copy_(tensor_arg(env, args[1], "src"));
  return make_undefined(env);
  PST_CATCH(env)
}

}  // namespace

void register_tensor_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"fromBuffer", from_buffer},
                     {"empty", empty},
                     {"emptyLarge", empty_large},
                     {"zeros", zeros},
                     {"ones", ones},
                     {"rand", rand},
                     {"randn", randn},
                     {"full", full},
                     {"randint", randint},
                     {"eye", eye},
                     {"arange", arange},
                     {"linspace", linspace},
                     {"scalarTensor", scalar_tensor},
                     {"shape", shape},
                     {"strides", strides},
                     {"storageOffset", storage_offset},
                     {"dtype", dtype},
                     {"device", device},
                     {"numel", numel},
                     {"dim", dim},
                     {"isContiguous", is_contiguous},
                     {"requiresGrad", requires_grad},
                     {"setRequiresGrad", set_requires_grad},
                     {"isLeaf", is_leaf},
                     {"grad", grad},
                     {"setGrad", set_grad},
                     {"gradFnName", grad_fn_name},
                     {"elementSize", element_size},
                     {"storageId", storage_id},
                     {"toBuffer", to_buffer},
                     {"storageBytes", storage_bytes},
                     {"storageView", storage_view},
                     {"asStrided", as_strided},
                     {"item", item},
                     {"clone", clone},
                     {"contiguous", contiguous},
                     {"detach", detach},
                     {"to", to},
                     {"backward", backward},
                     {"setGradEnabled", set_grad_enabled},
                     {"isGradEnabled", is_grad_enabled},
                     {"enterInferenceMode", enter_inference_mode},
                     {"exitInferenceMode", exit_inference_mode},
                     {"isInferenceModeEnabled", is_inference_mode_enabled},
                     {"isInference", is_inference},
                     {"manualSeed", manual_seed},
                     {"initialSeed", initial_seed},
                     {"setNumThreads", set_num_threads},
                     {"getNumThreads", get_num_threads},
                     {"cudaIsAvailable", cuda_is_available},
                     {"cudaDeviceCount", cuda_device_count},
                     {"cudaSynchronize", cuda_synchronize},
                     {"cudaSetDevice", cuda_set_device},
                     {"cudaCurrentDevice", cuda_current_device},
                     {"cudaMemoryStats", cuda_memory_stats},
                     {"cudaEmptyCache", cuda_empty_cache},
                     {"add", add},
                     {"sub", sub},
                     {"mul", mul},
                     {"div", div},
                     {"add_", add_},
                     {"sub_", sub_},
                     {"mul_", mul_},
                     {"div_", div_},
                     {"matmul", matmul},
                     {"relu", relu},
                     {"neg", neg},
                     {"sum", sum},
                     {"mean", mean},
                     {"select", select},
                     {"reshape", reshape},
                     {"copy_", copy_},
                 });
}

}  // namespace pst
