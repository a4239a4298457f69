// at::autocast across libtorch versions: 2.4 made its C++ API device-generic
// (is_autocast_enabled(device)) and deprecated the per-device functions 1.x has.
#pragma once
#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace pst {
namespace compat {

/** Whether CPU autocast is on in this thread (torch.autocast("cpu")). */
inline bool cpu_autocast_enabled() {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  return at::autocast::is_autocast_enabled(at::kCPU);
#else
  return at::autocast::is_cpu_enabled();
#endif
}

}  // namespace compat
}  // namespace pst
