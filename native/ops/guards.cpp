// Argument checks for kernels that crash on bad input (ops/guards.h). Each message is the one
// libtorch gives where the same check exists (channel_shuffle's in 2.x).
#include "ops/guards.h"

namespace pst {
namespace {

// native_channel_shuffle divides by `groups` and by channels / groups (SIGFPE at 0).
void channel_shuffle_guard(const torch::jit::Stack& stack, const std::string& op) {
  const at::Tensor& self = stack[0].toTensor();
  int64_t groups = stack[1].toInt();
  if (groups <= 0) {
    throw JsError(op + ": Number of groups to divide channels in must be positive. Value of groups:" +
                  std::to_string(groups));
  }
  if (self.dim() < 3) {
    throw JsError(op + ": channel_shuffle expects input to have at least 3 dimensions, but got input with sizes " +
                  c10::str(self.sizes()));
  }
  if (self.size(1) % groups != 0) {
    throw JsError(op + ": Number of channels must be divisible by groups. Got " + std::to_string(self.size(1)) +
                  " channels and " + std::to_string(groups) + " groups.");
  }
}

}  // namespace

ArgumentGuard guard_for(const c10::OperatorName& name) {
  if ((name.name == "aten::native_channel_shuffle" || name.name == "aten::channel_shuffle") && name.overload_name.empty()) {
    return &channel_shuffle_guard;
  }
  return nullptr;
}

}  // namespace pst
