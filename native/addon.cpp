// The addon's entry point: installs the memory module and registers each concern's exports.
// docs/architecture.md maps native/.
#include "binding/binding.h"
#include "memory/memory.h"

namespace {

napi_value Init(napi_env env, napi_value exports) {
  try {
    pst::install_error_handling();
    pst::memory::install(env);
    // The libtorch this addon was compiled against (torch/version.h), as Python's torch.__version__.
    Napi::Object(env, exports).Set("torchVersion", TORCH_VERSION);
    pst::register_handle_exports(env, exports);
    pst::memory::register_memory_exports(env, exports);
    pst::register_tensor_exports(env, exports);
    pst::register_runtime_exports(env, exports);
    pst::register_autograd_exports(env, exports);
    pst::register_op_exports(env, exports);
    pst::register_hot_op_exports(env, exports);
    pst::register_indexing_exports(env, exports);
    pst::register_generator_exports(env, exports);
    pst::register_io_exports(env, exports);
    pst::register_context_settings_exports(env, exports);
    pst::register_interrupt_exports(env, exports);
#if defined(PST_WITH_DISTRIBUTED)
    pst::register_distributed_exports(env, exports);
#endif
  } catch (...) {
    pst::throw_current_exception(env);
  }
  return exports;
}

}  // namespace

NAPI_MODULE(pystematic_native, Init)
