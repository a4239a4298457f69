// Process-wide settings: the default generator's seed, intra-op threads, CUDA devices.
#include "binding/binding.h"

#if __has_include(<cuda_runtime_api.h>) && __has_include(<c10/cuda/CUDACachingAllocator.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#define PST_HAS_CUDA_ALLOCATOR 1
#endif

namespace pst {
namespace {

#define FN(name) napi_value name(napi_env env, napi_callback_info info)
#define BEGIN \
  PST_TRY     \
  Args args(env, info);

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

}  // namespace

void register_runtime_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
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
                     {"cudaEmptyCache", cuda_empty_cache}
                 });
}

}  // namespace pst
