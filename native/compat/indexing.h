// Python's `t[i]` for one integer: libtorch's own get_item step for it (impl::applySelect, with
// Python's checks and messages), whose size argument became SymInt-typed in libtorch 2.x.
#pragma once
#include <ATen/TensorIndexing.h>
#include <torch/version.h>

namespace pst {
namespace compat {

inline at::Tensor select_item(const at::Tensor& self, int64_t index) {
#if TORCH_VERSION_MAJOR >= 2
  c10::optional<c10::SymIntArrayRef> sizes;
  if (!self.is_nested()) sizes = self.sym_sizes();
#else
  c10::optional<at::IntArrayRef> sizes;
  if (!self.is_nested()) sizes = self.sizes();
#endif
  return at::indexing::impl::applySelect(self, 0, index, 0, self.device(), sizes);
}

}  // namespace compat
}  // namespace pst
