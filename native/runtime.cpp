// Process-wide settings: the default generator's seed, intra- and inter-op threads, CUDA devices.
#include "binding/binding.h"
#include "ops/generator.h"

#include <ATen/Parallel.h>

#if __has_include(<cuda_runtime_api.h>) && __has_include(<c10/cuda/CUDACachingAllocator.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#define PST_HAS_CUDA_ALLOCATOR 1
#endif

namespace pst {
namespace {

// ---- random generator ----

Napi::Value manual_seed(const Napi::CallbackInfo& info) {
  at::manual_seed(seed_arg(info[0]));
  return info.Env().Undefined();
}
Napi::Value initial_seed(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), at::detail::getDefaultCPUGenerator().current_seed());
}

// ---- threads ----

int thread_count_arg(const Napi::CallbackInfo& info, const char* name, const char* message) {
  int64_t n = int_arg(info.Env(), info[0], name);
  if (n < 1) throw JsError(message, JsError::Range);
  return static_cast<int>(n);
}
Napi::Value set_num_threads(const Napi::CallbackInfo& info) {
  at::set_num_threads(thread_count_arg(info, "n", "setNumThreads: expected a positive number of threads"));
  return info.Env().Undefined();
}
Napi::Value get_num_threads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}
Napi::Value set_num_interop_threads(const Napi::CallbackInfo& info) {
  at::set_num_interop_threads(
      thread_count_arg(info, "nthreads", "setNumInteropThreads(): Expected positive number of threads"));
  return info.Env().Undefined();
}
Napi::Value get_num_interop_threads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_interop_threads());
}
Napi::Value init_num_threads(const Napi::CallbackInfo& info) {
  at::init_num_threads();
  return info.Env().Undefined();
}

// ---- CUDA ----

Napi::Value cuda_is_available(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::cuda::is_available());
}
Napi::Value cuda_device_count(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(torch::cuda::device_count()));
}
void require_cuda(const char* what) {
  if (!torch::cuda::is_available()) {
    throw JsError(std::string(what) +
                  ": CUDA is not available (this libtorch has no CUDA, or no GPU is visible). "
                  "Point LIBTORCH at a CUDA build of libtorch and rebuild with `npm run build:native`.");
  }
}
Napi::Value cuda_synchronize(const Napi::CallbackInfo& info) {
  require_cuda("cuda.synchronize");
  torch::cuda::synchronize(is_nullish(info.Env(), info[0]) ? -1 : int_arg(info.Env(), info[0], "device"));
  return info.Env().Undefined();
}
Napi::Value cuda_set_device(const Napi::CallbackInfo& info) {
  require_cuda("cuda.setDevice");
  int64_t index = int_arg(info.Env(), info[0], "device");
  if (index < 0 || index >= static_cast<int64_t>(torch::cuda::device_count())) {
    throw JsError("cuda.setDevice: no CUDA device " + std::to_string(index), JsError::Range);
  }
  c10::impl::getDeviceGuardImpl(at::kCUDA)->setDevice(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index)));
  return info.Env().Undefined();
}
Napi::Value cuda_current_device(const Napi::CallbackInfo& info) {
  require_cuda("cuda.currentDevice");
  return Napi::Number::New(info.Env(), c10::impl::getDeviceGuardImpl(at::kCUDA)->getDevice().index());
}
// {allocated, reserved, maxAllocated} in bytes for one device.
Napi::Value cuda_memory_stats(const Napi::CallbackInfo& info) {
  require_cuda("cuda.memoryStats");
  int64_t index = is_nullish(info.Env(), info[0]) ? 0 : int_arg(info.Env(), info[0], "device");
#ifdef PST_HAS_CUDA_ALLOCATOR
  auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<int>(index));
  using c10::cuda::CUDACachingAllocator::StatType;
  auto agg = static_cast<size_t>(StatType::AGGREGATE);
  auto obj = Napi::Object::New(info.Env());
  obj.Set("allocated", static_cast<double>(stats.allocated_bytes[agg].current));
  obj.Set("maxAllocated", static_cast<double>(stats.allocated_bytes[agg].peak));
  obj.Set("reserved", static_cast<double>(stats.reserved_bytes[agg].current));
  obj.Set("maxReserved", static_cast<double>(stats.reserved_bytes[agg].peak));
  return obj;
#else
  (void)index;
  throw JsError("cuda.memoryStats: this build has no CUDA allocator headers (rebuild against a CUDA libtorch)");
#endif
}
Napi::Value cuda_empty_cache(const Napi::CallbackInfo& info) {
  require_cuda("cuda.emptyCache");
#ifdef PST_HAS_CUDA_ALLOCATOR
  c10::cuda::CUDACachingAllocator::emptyCache();
#endif
  return info.Env().Undefined();
}

}  // namespace

void register_runtime_exports(napi_env env, napi_value exports) {
  Napi::Object ex(env, exports);
  define<manual_seed>(ex, "manualSeed");
  define<initial_seed>(ex, "initialSeed");
  define<set_num_threads>(ex, "setNumThreads");
  define<get_num_threads>(ex, "getNumThreads");
  define<set_num_interop_threads>(ex, "setNumInteropThreads");
  define<get_num_interop_threads>(ex, "getNumInteropThreads");
  define<init_num_threads>(ex, "initNumThreads");
  define<cuda_is_available>(ex, "cudaIsAvailable");
  define<cuda_device_count>(ex, "cudaDeviceCount");
  define<cuda_synchronize>(ex, "cudaSynchronize");
  define<cuda_set_device>(ex, "cudaSetDevice");
  define<cuda_current_device>(ex, "cudaCurrentDevice");
  define<cuda_memory_stats>(ex, "cudaMemoryStats");
  define<cuda_empty_cache>(ex, "cudaEmptyCache");
}

}  // namespace pst
