// torch.Generator objects and the default generator's seed and state (ops/generator.h).
#include "ops/generator.h"

namespace pst {
namespace {

struct GeneratorBox {
  at::Generator gen;
};

void finalize_generator(node_api_basic_env, void* data, void*) { delete static_cast<GeneratorBox*>(data); }

at::Generator& generator_arg(napi_env env, napi_value v) {
  at::Generator* gen = unwrap_generator(env, v);
  if (gen == nullptr) throw JsError("expected a torch.Generator", JsError::Type);
  return *gen;
}

// generatorAttach(jsObject, device): gives a fresh libtorch generator to a JS Generator.
Napi::Value generator_attach(const Napi::CallbackInfo& info) {
  napi_env env = info.Env();
  std::string device = is_nullish(env, info[1]) ? "cpu" : string_arg(env, info[1], "device");
  if (device != "cpu") throw JsError("torch.Generator: only 'cpu' generators exist in this build", JsError::Type);
  auto* box = new GeneratorBox{at::detail::createCPUGenerator()};
  // napi_wrap: node-addon-api wraps only its own ObjectWrap classes, and the JS class is ours.
  if (napi_wrap(env, info[0], box, finalize_generator, nullptr, nullptr) != napi_ok) {
    delete box;
    throw JsError("torch.Generator: cannot attach a generator to this object");
  }
  return info.Env().Undefined();
}

// The default CPU generator when `gen` is undefined.
at::Generator generator_or_default(const Napi::CallbackInfo& info) {
  return is_nullish(info.Env(), info[0]) ? at::detail::getDefaultCPUGenerator() : generator_arg(info.Env(), info[0]);
}

Napi::Value generator_manual_seed(const Napi::CallbackInfo& info) {
  auto gen = generator_or_default(info);
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_current_seed(seed_arg(info[1]));
  return info.Env().Undefined();
}
Napi::Value generator_initial_seed(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), generator_or_default(info).current_seed());
}
// A fresh nondeterministic seed, set and returned (torch.Generator.seed()).
Napi::Value generator_seed(const Napi::CallbackInfo& info) {
  auto gen = generator_or_default(info);
  std::lock_guard<std::mutex> lock(gen.mutex());
  return Napi::BigInt::New(info.Env(), gen.seed());
}
Napi::Value generator_get_state(const Napi::CallbackInfo& info) {
  auto gen = generator_or_default(info);
  std::lock_guard<std::mutex> lock(gen.mutex());
  return tensor_value(info.Env(), gen.get_state());
}
Napi::Value generator_set_state(const Napi::CallbackInfo& info) {
  auto gen = generator_or_default(info);
  const at::Tensor& state = tensor_arg(info, 1, "state");
  if (state.scalar_type() != at::kByte || state.dim() != 1) {
    throw JsError("setState: the state must be a 1-d uint8 tensor (from getState())", JsError::Type);
  }
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
  return info.Env().Undefined();
}

}  // namespace

uint64_t seed_arg(Napi::Value v) {
  if (v.IsBigInt()) {
    bool lossless;
    uint64_t seed = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) seed = static_cast<uint64_t>(v.As<Napi::BigInt>().Int64Value(&lossless));  // a negative seed
    if (!lossless) throw JsError("seed must fit in 64 bits", JsError::Range);
    return seed;
  }
  return static_cast<uint64_t>(int_arg(v.Env(), v, "seed"));
}

at::Generator* unwrap_generator(napi_env env, napi_value v) {
  void* data = nullptr;
  if (napi_unwrap(env, v, &data) != napi_ok || data == nullptr) return nullptr;
  return &static_cast<GeneratorBox*>(data)->gen;
}

void register_generator_exports(napi_env env, napi_value exports) {
  Napi::Object ex(env, exports);
  define<generator_attach>(ex, "generatorAttach");
  define<generator_manual_seed>(ex, "generatorManualSeed");
  define<generator_initial_seed>(ex, "generatorInitialSeed");
  define<generator_seed>(ex, "generatorSeed");
  define<generator_get_state>(ex, "generatorGetState");
  define<generator_set_state>(ex, "generatorSetState");
}

}  // namespace pst
