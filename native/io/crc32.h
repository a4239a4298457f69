// CRC-32 as zlib computes it (io/crc32.cpp).
#pragma once
#include <cstddef>
#include <cstdint>

namespace pst {

// zlib-compatible CRC-32 (crc32_update(0, data, n) == zlib.crc32(data)).
uint32_t crc32_update(uint32_t crc, const void* data, size_t len);
// The CRC-32 of A followed by B, from crc(A), crc(B) and B's length.
uint32_t crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2);
bool crc32_accelerated();

}  // namespace pst
