// Checkpoint file I/O off the JS thread: CRC-32 (zip's polynomial) and positional reads/writes of
// many buffers at once, spread over a few threads. No libtorch here (fast to compile: this TU
// skips the precompiled header); the memory of loaded storages (alloc_large) is exported to
// tensor.cpp through fileio.h.
//
// CRC-32: carry-less multiplication folding (PCLMULQDQ, Intel's "Fast CRC Computation for Generic
// Polynomials Using PCLMULQDQ", constants as in Linux's crc32-pclmul and Chromium's zlib) when the
// CPU has it, slicing-by-8 tables otherwise. Chunks computed apart are joined with zlib's
// crc32_combine algorithm (multiplication by x^(8n) modulo the polynomial).
#include "fileio.h"

#include <node_api.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <string>
#include <thread>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#define PST_HAVE_PREAD 1
#endif

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define PST_HAVE_PCLMUL 1
#endif

namespace pst {
namespace {

// ---- CRC-32 ----

constexpr uint32_t kPoly = 0xedb88320u;

struct Tables {
  uint32_t t[8][256];
  uint32_t x2n[32];  // x^(2^n) mod p, for crc32_combine
  Tables() {
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ kPoly : c >> 1;
      t[0][i] = c;
    }
    for (int s = 1; s < 8; s++)
      for (int i = 0; i < 256; i++) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    x2n[0] = 1u << 30;  // x^1
    for (int n = 1; n < 32; n++) x2n[n] = multmodp(x2n[n - 1], x2n[n - 1]);
  }
  // a * b modulo p, bit-reflected (zlib's multmodp).
  static uint32_t multmodp(uint32_t a, uint32_t b) {
    uint32_t m = 1u << 31, p = 0;
    for (;;) {
      if (a & m) {
        p ^= b;
        if ((a & (m - 1)) == 0) break;
      }
      m >>= 1;
      b = b & 1 ? (b >> 1) ^ kPoly : b >> 1;
    }
    return p;
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

// Raw (pre- and post-inverted by the caller) CRC state over `len` bytes, slicing-by-8.
uint32_t crc_tables(uint32_t c, const uint8_t* p, size_t len) {
  const auto& T = tables().t;
  while (len && (reinterpret_cast<uintptr_t>(p) & 7)) {
    c = T[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    len--;
  }
  while (len >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + 4, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    lo = __builtin_bswap32(lo);
    hi = __builtin_bswap32(hi);
#endif
    lo ^= c;
    c = T[7][lo & 0xff] ^ T[6][(lo >> 8) & 0xff] ^ T[5][(lo >> 16) & 0xff] ^ T[4][lo >> 24] ^ T[3][hi & 0xff] ^
        T[2][(hi >> 8) & 0xff] ^ T[1][(hi >> 16) & 0xff] ^ T[0][hi >> 24];
    p += 8;
    len -= 8;
  }
  while (len--) c = T[0][(c ^ *p++) & 0xff] ^ (c >> 8);
  return c;
}

#if PST_HAVE_PCLMUL
bool cpu_has_pclmul() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  return (c & bit_PCLMUL) && (c & bit_SSE4_1);
}

// Raw CRC state over `len` bytes, len >= 64 and a multiple of 16.
__attribute__((target("pclmul,sse4.1"))) uint32_t crc_pclmul(uint32_t crc, const uint8_t* buf, size_t len) {
  alignas(16) static const uint64_t k1k2[] = {0x0154442bd4, 0x01c6e41596};
  alignas(16) static const uint64_t k3k4[] = {0x01751997d0, 0x00ccaa009e};
  alignas(16) static const uint64_t k5k0[] = {0x0163cd6124, 0x0000000000};
  alignas(16) static const uint64_t poly[] = {0x01db710641, 0x01f7011641};
  __m128i x0, x1, x2, x3, x4, x5, x6, x7, x8, y5, y6, y7, y8;

  x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x00));
  x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x10));
  x3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x20));
  x4 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x30));
  x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128(static_cast<int>(crc)));
  x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(k1k2));
  buf += 64;
  len -= 64;

  // Four 128-bit lanes folded 64 bytes at a time.
  while (len >= 64) {
    x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
    x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
    x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
    x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
    x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
    x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
    x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
    y5 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x00));
    y6 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x10));
    y7 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x20));
    y8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 0x30));
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), y5);
    x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), y6);
    x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), y7);
    x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), y8);
    buf += 64;
    len -= 64;
  }

  // Fold the four lanes into one.
  x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(k3k4));
  x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
  x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
  x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
  x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
  x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
  x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);

  // Remaining 16-byte blocks.
  while (len >= 16) {
    x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf));
    x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
    buf += 16;
    len -= 16;
  }

  // 128 -> 64 bits.
  x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
  x3 = _mm_setr_epi32(~0, 0, ~0, 0);
  x1 = _mm_srli_si128(x1, 8);
  x1 = _mm_xor_si128(x1, x2);
  x0 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(k5k0));
  x2 = _mm_srli_si128(x1, 4);
  x1 = _mm_and_si128(x1, x3);
  x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
  x1 = _mm_xor_si128(x1, x2);

  // Barrett reduction to 32 bits.
  x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(poly));
  x2 = _mm_and_si128(x1, x3);
  x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
  x2 = _mm_and_si128(x2, x3);
  x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
  x1 = _mm_xor_si128(x1, x2);
  return static_cast<uint32_t>(_mm_extract_epi32(x1, 1));
}

const bool g_pclmul = cpu_has_pclmul() && std::getenv("PYSTEMATIC_NO_PCLMUL") == nullptr;
#endif

}  // namespace

uint32_t crc32_update(uint32_t crc, const void* data, size_t len) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint32_t c = ~crc;
#if PST_HAVE_PCLMUL
  if (g_pclmul && len >= 64) {
    size_t bulk = len & ~size_t(15);
    c = crc_pclmul(c, p, bulk);
    p += bulk;
    len -= bulk;
  }
#endif
  return ~crc_tables(c, p, len);
}

uint32_t crc32_combine(uint32_t crc1, uint32_t crc2, uint64_t len2) {
  const auto& x2n = tables().x2n;
  // x^(8 * len2) mod p
  uint32_t p = 1u << 31;
  unsigned k = 3;
  for (uint64_t n = len2; n; n >>= 1, k++) {
    if (n & 1) p = Tables::multmodp(x2n[k & 31], p);
  }
  return Tables::multmodp(p, crc1) ^ crc2;
}

bool crc32_accelerated() {
#if PST_HAVE_PCLMUL
  return g_pclmul;
#else
  return false;
#endif
}

// ---- large storage memory, reused ----
//
// A loaded checkpoint's storages are big and often short-lived (load, copy into the model, drop).
// Fresh memory costs a page fault per 4 KB page on first touch: ~100k per 400 MB, about 40 % of a
// load here (more on a VM that hands freed memory back to its host). glibc would return such
// blocks to the kernel (they are mmap'ed or trimmed). So freed blocks are kept for a few seconds
// and handed to the next allocation of the same size: reloading a checkpoint reuses the memory of
// the last load, already faulted in. Bounded in bytes and in time.

#if defined(__unix__) || defined(__APPLE__)
namespace {
constexpr size_t kCacheBytes = size_t(1) << 30;
constexpr auto kCacheTtl = std::chrono::seconds(5);

struct CachedBlock {
  void* p;
  size_t len;
  std::chrono::steady_clock::time_point freed;
};

struct Cache {
  std::mutex mutex;
  std::vector<CachedBlock> blocks;  // oldest first
  size_t bytes = 0;
};
// Never destroyed: tensors may still be freed while static destructors run at exit.
Cache& cache() {
  static Cache* c = new Cache();
  return *c;
}

size_t page_round(size_t n) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (n + page - 1) / page * page;
}

// Unmaps blocks freed before `before`, and the oldest ones while more than `keep` bytes are
// cached. Called with the mutex held.
void evict(Cache& c, std::chrono::steady_clock::time_point before, size_t keep) {
  size_t n = 0;
  while (n < c.blocks.size() && (c.blocks[n].freed < before || c.bytes > keep)) {
    munmap(c.blocks[n].p, c.blocks[n].len);
    c.bytes -= c.blocks[n].len;
    n++;
  }
  c.blocks.erase(c.blocks.begin(), c.blocks.begin() + static_cast<std::ptrdiff_t>(n));
}
}  // namespace

void* alloc_large(size_t bytes) {
  if (bytes == 0) return nullptr;
  const size_t len = page_round(bytes);
  {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    evict(c, std::chrono::steady_clock::now() - kCacheTtl, kCacheBytes);
    for (size_t i = c.blocks.size(); i-- > 0;) {
      if (c.blocks[i].len == len) {
        void* p = c.blocks[i].p;
        c.bytes -= len;
        c.blocks.erase(c.blocks.begin() + static_cast<std::ptrdiff_t>(i));
        return p;
      }
    }
  }
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void free_large(void* p, size_t bytes) {
  if (p == nullptr) return;
  const size_t len = page_round(bytes);
  if (len > kCacheBytes) {
    munmap(p, len);
    return;
  }
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  const auto now = std::chrono::steady_clock::now();
  try {
    c.blocks.push_back({p, len, now});
  } catch (...) {  // out of memory for the list itself: just unmap
    munmap(p, len);
    return;
  }
  c.bytes += len;
  evict(c, now - kCacheTtl, kCacheBytes);
}

void release_stale_large() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  if (!c.blocks.empty()) evict(c, std::chrono::steady_clock::now() - kCacheTtl, kCacheBytes);
}

size_t cached_large_bytes() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.bytes;
}
#else
void* alloc_large(size_t) { return nullptr; }
void free_large(void*, size_t) {}
void release_stale_large() {}
size_t cached_large_bytes() { return 0; }
#endif

namespace {

// ---- N-API plumbing (no common.h: it pulls in libtorch) ----

struct Error : std::runtime_error {
  bool type;
  Error(const std::string& m, bool t = false) : std::runtime_error(m), type(t) {}
};

void ok(napi_status s, const char* what) {
  if (s != napi_ok) throw Error(std::string("internal N-API failure: ") + what);
}

void throw_js(napi_env env, const Error& e) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  if (e.type)
    napi_throw_type_error(env, nullptr, e.what());
  else
    napi_throw_error(env, nullptr, e.what());
}

#define IO_TRY try {
#define IO_CATCH(env)                                   \
  }                                                     \
  catch (const Error& e) {                              \
    throw_js(env, e);                                   \
  }                                                     \
  catch (const std::exception& e) {                     \
    throw_js(env, Error(e.what()));                     \
  }                                                     \
  return nullptr;

struct Argv {
  size_t argc = 8;
  napi_value argv[8];
  Argv(napi_env env, napi_callback_info info) { ok(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr), "cb_info"); }
  napi_value operator[](size_t i) const { return i < argc ? argv[i] : nullptr; }
};

bool is_nullish(napi_env env, napi_value v) {
  if (v == nullptr) return true;
  napi_valuetype t;
  ok(napi_typeof(env, v, &t), "typeof");
  return t == napi_undefined || t == napi_null;
}

double number(napi_env env, napi_value v, const char* name) {
  napi_valuetype t = napi_undefined;
  if (v) ok(napi_typeof(env, v, &t), "typeof");
  if (t != napi_number) throw Error(std::string("argument '") + name + "' must be a number", true);
  double d;
  ok(napi_get_value_double(env, v, &d), "double");
  return d;
}

// A non-negative integer below 2^53 (file offsets, descriptors, sizes).
uint64_t index_arg(napi_env env, napi_value v, const char* name) {
  double d = number(env, v, name);
  if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<uint64_t>(d))) {
    throw Error(std::string("argument '") + name + "' must be a non-negative integer", true);
  }
  return static_cast<uint64_t>(d);
}

struct Span {
  uint8_t* data;
  size_t size;
};

Span bytes_arg(napi_env env, napi_value v, const char* name) {
  bool is_view = false;
  if (v) ok(napi_is_typedarray(env, v, &is_view), "is_typedarray");
  if (is_view) {
    napi_typedarray_type type;
    size_t length;
    void* data;
    napi_value ab;
    size_t offset;
    ok(napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset), "typedarray_info");
    size_t item = 1;
    switch (type) {
      case napi_int16_array: case napi_uint16_array: item = 2; break;
      case napi_int32_array: case napi_uint32_array: case napi_float32_array: item = 4; break;
      case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: item = 8; break;
      default: item = 1;
    }
    return {static_cast<uint8_t*>(data), length * item};
  }
  bool is_dv = false;
  if (v) ok(napi_is_dataview(env, v, &is_dv), "is_dataview");
  if (is_dv) {
    size_t length;
    void* data;
    napi_value ab;
    size_t offset;
    ok(napi_get_dataview_info(env, v, &length, &data, &ab, &offset), "dataview_info");
    return {static_cast<uint8_t*>(data), length};
  }
  throw Error(std::string("argument '") + name + "' must be a TypedArray or DataView", true);
}

uint32_t array_length(napi_env env, napi_value v, const char* name) {
  bool is_array = false;
  if (v) ok(napi_is_array(env, v, &is_array), "is_array");
  if (!is_array) throw Error(std::string("argument '") + name + "' must be an array", true);
  uint32_t n;
  ok(napi_get_array_length(env, v, &n), "array_length");
  return n;
}

napi_value element(napi_env env, napi_value arr, uint32_t i) {
  napi_value v;
  ok(napi_get_element(env, arr, i, &v), "get_element");
  return v;
}

// ---- parallel positional I/O ----

// One request: `size` bytes at file offset `offset` from/to `data`.
struct Request {
  uint64_t offset;
  uint8_t* data;
  size_t size;
};

// A piece of a request; pieces are what the threads take.
struct Piece {
  size_t request;
  size_t begin;
  size_t size;
  uint32_t crc;
};

constexpr size_t kDefaultChunk = size_t(4) << 20;
// Below this many bytes in all, one thread does everything (threads cost ~50 us each).
constexpr size_t kThreadedBytes = size_t(8) << 20;

unsigned hardware_threads() {
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 2 : hw;
}

std::vector<Piece> split(const std::vector<Request>& requests, size_t chunk, size_t* total) {
  std::vector<Piece> pieces;
  *total = 0;
  for (size_t r = 0; r < requests.size(); r++) {
    const size_t size = requests[r].size;
    *total += size;
    for (size_t b = 0; b < size; b += chunk) pieces.push_back({r, b, std::min(chunk, size - b), 0});
  }
  return pieces;
}

// Each request's CRC-32 from its pieces' (in order).
std::vector<uint32_t> join_crcs(const std::vector<Request>& requests, const std::vector<Piece>& pieces) {
  std::vector<uint32_t> crcs(requests.size(), 0);
  std::vector<bool> started(requests.size(), false);
  for (const Piece& piece : pieces) {
    uint32_t& c = crcs[piece.request];
    c = started[piece.request] ? crc32_combine(c, piece.crc, piece.size) : piece.crc;
    started[piece.request] = true;
  }
  return crcs;
}

// Runs `work` on this thread and on `extra` more; joins them.
template <typename F>
void run_threads(unsigned extra, F&& work) {
  std::vector<std::thread> threads;
  try {
    for (unsigned t = 0; t < extra; t++) threads.emplace_back(work);
  } catch (const std::system_error&) {
    // No more threads: the ones started (and this one) do the work.
  }
  work();
  for (auto& t : threads) t.join();
}

std::string errno_message(int err, const char* op) {
  const char* code = err == ENOSPC ? "ENOSPC" : err == EIO ? "EIO" : err == EBADF ? "EBADF" : err == EFBIG ? "EFBIG"
                     : err == EDQUOT ? "EDQUOT" : err == EINVAL ? "EINVAL" : err == EISDIR ? "EISDIR" : nullptr;
  std::string msg = code ? code : "errno " + std::to_string(err);
  return msg + ": " + std::strerror(err) + ", " + op;
}

#if PST_HAVE_PREAD
// Reads or writes all of one piece; returns 0 or an errno (-1: end of file while reading).
int transfer_piece(int fd, bool write, const Request& req, const Piece& piece) {
  uint8_t* p = req.data + piece.begin;
  size_t done = 0;
  while (done < piece.size) {
    off_t at = static_cast<off_t>(req.offset + piece.begin + done);
    size_t n = std::min<size_t>(piece.size - done, size_t(1) << 30);
    ssize_t got = write ? pwrite(fd, p + done, n, at) : pread(fd, p + done, n, at);
    if (got < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (got == 0) return write ? EIO : -1;
    done += static_cast<size_t>(got);
  }
  return 0;
}
#endif

// Writes every request at its offset and returns their CRC-32s. One thread writes, in file order
// (a filesystem serialises writes to one file: ext4 measured 2-3x slower with two writers), while
// the others compute the CRCs. With `writeback`, the kernel is asked to start writing each piece
// to disk as soon as it is in the page cache (Linux sync_file_range), so a later fsync waits only
// for the tail.
std::vector<uint32_t> write_all(int fd, const std::vector<Request>& requests, size_t chunk, bool writeback) {
#if PST_HAVE_PREAD
  size_t total;
  std::vector<Piece> pieces = split(requests, chunk, &total);
  std::atomic<size_t> next_crc{0};
  std::atomic<bool> stop{false};
  auto crc_work = [&]() {
    for (;;) {
      if (stop.load(std::memory_order_relaxed)) return;
      size_t i = next_crc.fetch_add(1, std::memory_order_relaxed);
      if (i >= pieces.size()) return;
      Piece& piece = pieces[i];
      piece.crc = crc32_update(0, requests[piece.request].data + piece.begin, piece.size);
    }
  };
  int failure = 0;
  auto write_work = [&]() {
    for (const Piece& piece : pieces) {
      failure = transfer_piece(fd, true, requests[piece.request], piece);
      if (failure) break;
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
      if (writeback) {
        sync_file_range(fd, static_cast<off_t>(requests[piece.request].offset + piece.begin),
                        static_cast<off_t>(piece.size), SYNC_FILE_RANGE_WRITE);
      }
#endif
    }
    if (failure) stop.store(true);
  };
  if (total < kThreadedBytes) {
    write_work();
    crc_work();
  } else {
    unsigned crc_threads = std::min(std::max(hardware_threads(), 2u) - 1, 3u);
    std::thread writer;
    bool threaded = true;
    try {
      writer = std::thread(write_work);
    } catch (const std::system_error&) {
      threaded = false;
    }
    if (threaded) {
      run_threads(crc_threads - 1, crc_work);
      writer.join();
    } else {
      write_work();
      crc_work();
    }
  }
  if (failure) throw Error(errno_message(failure, "write"));
  return join_crcs(requests, pieces);
#else
  (void)fd;
  (void)requests;
  (void)chunk;
  (void)writeback;
  throw Error("positional file I/O is not available on this platform");
#endif
}

// Fills every request from its offset, pieces spread over a few threads (reads of one file run
// in parallel, and so do the page faults of fresh memory); with `crcs`, also their CRC-32s.
void read_all(int fd, const std::vector<Request>& requests, size_t chunk, std::vector<uint32_t>* crcs) {
#if PST_HAVE_PREAD
  size_t total;
  std::vector<Piece> pieces = split(requests, chunk, &total);
  std::atomic<size_t> next{0};
  std::atomic<int> failure{0};
  auto work = [&]() {
    for (;;) {
      if (failure.load(std::memory_order_relaxed)) return;
      size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= pieces.size()) return;
      Piece& piece = pieces[i];
      const Request& req = requests[piece.request];
      if (int err = transfer_piece(fd, false, req, piece)) {
        int expected = 0;
        failure.compare_exchange_strong(expected, err);
        return;
      }
      if (crcs) piece.crc = crc32_update(0, req.data + piece.begin, piece.size);
    }
  };
  unsigned extra = total < kThreadedBytes ? 0 : std::min(hardware_threads(), 4u) - 1;
  run_threads(std::min<size_t>(extra, pieces.size()), work);
  if (int err = failure.load()) {
    if (err == -1) throw Error("unexpected end of file: the file is shorter than the data to read");
    throw Error(errno_message(err, "read"));
  }
  if (crcs) *crcs = join_crcs(requests, pieces);
#else
  (void)fd;
  (void)requests;
  (void)chunk;
  (void)crcs;
  throw Error("positional file I/O is not available on this platform");
#endif
}

std::vector<Request> requests_arg(napi_env env, napi_value offsets, napi_value buffers) {
  uint32_t n = array_length(env, offsets, "offsets");
  if (array_length(env, buffers, "buffers") != n) throw Error("offsets and buffers differ in length", true);
  std::vector<Request> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    Span s = bytes_arg(env, element(env, buffers, i), "buffers[i]");
    out.push_back({index_arg(env, element(env, offsets, i), "offsets[i]"), s.data, s.size});
  }
  return out;
}

size_t chunk_arg(napi_env env, napi_value v) {
  if (is_nullish(env, v)) return kDefaultChunk;
  uint64_t c = index_arg(env, v, "chunkSize");
  if (c == 0) throw Error("argument 'chunkSize' must be positive", true);
  return static_cast<size_t>(c);
}

napi_value crc_array(napi_env env, const std::vector<uint32_t>& crcs) {
  napi_value arr;
  ok(napi_create_array_with_length(env, crcs.size(), &arr), "array");
  for (uint32_t i = 0; i < crcs.size(); i++) {
    napi_value v;
    ok(napi_create_uint32(env, crcs[i], &v), "uint32");
    ok(napi_set_element(env, arr, i, v), "set_element");
  }
  return arr;
}

// crc32(data, value?) -> number: as zlib.crc32.
napi_value js_crc32(napi_env env, napi_callback_info info) {
  IO_TRY
  Argv a(env, info);
  Span s = bytes_arg(env, a[0], "data");
  uint32_t init = is_nullish(env, a[1]) ? 0 : static_cast<uint32_t>(index_arg(env, a[1], "value"));
  napi_value out;
  ok(napi_create_uint32(env, crc32_update(init, s.data, s.size), &out), "uint32");
  return out;
  IO_CATCH(env)
}

bool bool_arg(napi_env env, napi_value v) {
  bool b = false;
  if (!is_nullish(env, v)) ok(napi_get_value_bool(env, v, &b), "bool");
  return b;
}

// writeAt(fd, offsets, buffers, writeback, chunkSize?) -> CRC-32 of each buffer. Writes each
// buffer at its offset (pwrite) while other threads compute the CRCs.
napi_value js_write_at(napi_env env, napi_callback_info info) {
  IO_TRY
  Argv a(env, info);
  int fd = static_cast<int>(index_arg(env, a[0], "fd"));
  auto requests = requests_arg(env, a[1], a[2]);
  return crc_array(env, write_all(fd, requests, chunk_arg(env, a[4]), bool_arg(env, a[3])));
  IO_CATCH(env)
}

// readAt(fd, offsets, buffers, withCrc, chunkSize?) -> CRC-32 of each buffer or undefined.
// Fills each buffer from its offset (pread, several threads).
napi_value js_read_at(napi_env env, napi_callback_info info) {
  IO_TRY
  Argv a(env, info);
  int fd = static_cast<int>(index_arg(env, a[0], "fd"));
  auto requests = requests_arg(env, a[1], a[2]);
  bool with_crc = bool_arg(env, a[3]);
  std::vector<uint32_t> crcs;
  read_all(fd, requests, chunk_arg(env, a[4]), with_crc ? &crcs : nullptr);
  if (with_crc) return crc_array(env, crcs);
  napi_value undef;
  ok(napi_get_undefined(env, &undef), "undefined");
  return undef;
  IO_CATCH(env)
}

napi_value js_crc32_accelerated(napi_env env, napi_callback_info) {
  napi_value v;
  napi_get_boolean(env, crc32_accelerated(), &v);
  return v;
}

// detachBuffers(arrayBuffers): detaches each (views of it read as empty from then on).
napi_value js_detach_buffers(napi_env env, napi_callback_info info) {
  IO_TRY
  Argv a(env, info);
  uint32_t n = array_length(env, a[0], "buffers");
  for (uint32_t i = 0; i < n; i++) {
    napi_value ab = element(env, a[0], i);
    bool detachable = false;
    ok(napi_is_arraybuffer(env, ab, &detachable), "is_arraybuffer");
    if (!detachable) throw Error("detachBuffers: expected ArrayBuffers", true);
    ok(napi_detach_arraybuffer(env, ab), "detach_arraybuffer");
  }
  return nullptr;
  IO_CATCH(env)
}

napi_value js_cached_large_bytes(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_double(env, static_cast<double>(cached_large_bytes()), &v);
  return v;
}

}  // namespace

void register_fileio_exports(napi_env env, napi_value exports) {
  const struct {
    const char* name;
    napi_callback fn;
  } table[] = {
      {"crc32", js_crc32},
      {"crc32Accelerated", js_crc32_accelerated},
      {"writeAt", js_write_at},
      {"readAt", js_read_at},
      {"cachedLargeBytes", js_cached_large_bytes},
      {"detachBuffers", js_detach_buffers},
  };
  for (const auto& e : table) {
    napi_value fn;
    ok(napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn), "create function");
    ok(napi_set_named_property(env, exports, e.name, fn), "set export");
  }
}

}  // namespace pst
