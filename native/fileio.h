// Checkpoint file I/O helpers (fileio.cpp): CRC-32, memory for loaded storages, and the
// registration of the JS functions (crc32, readAt, writeAt). Free of libtorch headers.
#pragma once
#include <node_api.h>

#include <cstddef>
#include <cstdint>

namespace pst {

// zlib-compatible CRC-32 (crc32_update(0, data, n) == zlib.crc32(data)).
uint32_t crc32_update(uint32_t crc, const void* data, size_t len);
// The CRC-32 of A followed by B, from crc(A), crc(B) and B's length.
uint32_t crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2);
bool crc32_accelerated();

// Uninitialised memory for a large storage (torch.load), reusing blocks of the same size freed
// in the last seconds; nullptr where unavailable. Free with free_large (any thread).
void* alloc_large(size_t bytes);
void free_large(void* p, size_t bytes);
// Unmaps cached blocks older than the cache's lifetime (called as tensor memory is reported).
void release_stale_large();
size_t cached_large_bytes();

void register_fileio_exports(napi_env env, napi_value exports);

}  // namespace pst
