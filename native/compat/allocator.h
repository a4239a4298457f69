// c10::Allocator across libtorch versions, for the addon's custom CPU allocators.
// 1.x: `DataPtr allocate(size_t) const`. 2.3+: `allocate` is no longer const and `copy_data`
// (what Tensor.clone of raw storage uses) is pure virtual. The shape is detected from the
// header itself, so any libtorch (Debian's, pip's, a CUDA build) picks the right one.
#pragma once
#include <c10/core/Allocator.h>

#include <cstddef>
#include <cstring>
#include <type_traits>

namespace pst {
namespace compat {

inline constexpr bool kAllocateIsConst =
    std::is_same_v<decltype(&c10::Allocator::allocate), c10::DataPtr (c10::Allocator::*)(size_t) const>;

template <class Derived, bool IsConst>
class CpuAllocatorShape;

template <class Derived>
class CpuAllocatorShape<Derived, true> : public c10::Allocator {
 public:
  c10::DataPtr allocate(size_t nbytes) const override {
    return static_cast<const Derived*>(this)->allocate_block(nbytes);
  }
};

template <class Derived>
class CpuAllocatorShape<Derived, false> : public c10::Allocator {
 public:
  c10::DataPtr allocate(size_t nbytes) override { return static_cast<const Derived*>(this)->allocate_block(nbytes); }
};

/**
 * Base of a CPU allocator: `Derived` defines `c10::DataPtr allocate_block(size_t) const`.
 * Host memory, so copying between two of its blocks is a plain memcpy (what libtorch's own
 * CPU allocator does).
 */
template <class Derived>
class CpuAllocator : public CpuAllocatorShape<Derived, kAllocateIsConst> {
 public:
  // An override where c10::Allocator declares it (2.3+), an unused member before.
  void copy_data(void* dest, const void* src, std::size_t count) const {
    if (count != 0) std::memcpy(dest, src, count);
  }
};

}  // namespace compat
}  // namespace pst
