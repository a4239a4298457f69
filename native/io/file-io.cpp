// Checkpoint file I/O off the JS thread: positional reads and writes of many buffers at once,
// spread over a few threads, with their CRC-32s (src/torch/serialization/native-io.ts).
#include "binding/napi.h"
#include "io/crc32.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#define PST_HAVE_PREAD 1
#endif

namespace pst {
namespace {

uint64_t index_arg(napi_env env, napi_value v, const char* name) {
  double d = number_arg(env, v, name);
  if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<uint64_t>(d))) {
    throw JsError(std::string("argument '") + name + "' must be a non-negative integer", JsError::Type);
  }
  return static_cast<uint64_t>(d);
}

struct Span {
  uint8_t* data;
  size_t size;
};

Span bytes_arg(napi_env env, napi_value v, const char* name) {
  bool is_view = false;
  if (v) check(napi_is_typedarray(env, v, &is_view), "is_typedarray");
  if (is_view) {
    napi_typedarray_type type;
    size_t length;
    void* data;
    napi_value ab;
    size_t offset;
    check(napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset), "typedarray_info");
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
  if (v) check(napi_is_dataview(env, v, &is_dv), "is_dataview");
  if (is_dv) {
    size_t length;
    void* data;
    napi_value ab;
    size_t offset;
    check(napi_get_dataview_info(env, v, &length, &data, &ab, &offset), "dataview_info");
    return {static_cast<uint8_t*>(data), length};
  }
  throw JsError(std::string("argument '") + name + "' must be a TypedArray or DataView", JsError::Type);
}

// The length of an array argument; a TypeError naming it for anything else.
uint32_t array_arg_length(napi_env env, napi_value v, const char* name) {
  if (!is_array(env, v)) throw JsError(std::string("argument '") + name + "' must be an array", JsError::Type);
  return array_length(env, v);
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
// Below this many bytes in all, one thread does everything (starting threads costs more).
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
// (a filesystem serialises writes to one file: two writers were slower), while
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
  if (failure) throw JsError(errno_message(failure, "write"));
  return join_crcs(requests, pieces);
#else
  (void)fd;
  (void)requests;
  (void)chunk;
  (void)writeback;
  throw JsError("positional file I/O is not available on this platform");
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
    if (err == -1) throw JsError("unexpected end of file: the file is shorter than the data to read");
    throw JsError(errno_message(err, "read"));
  }
  if (crcs) *crcs = join_crcs(requests, pieces);
#else
  (void)fd;
  (void)requests;
  (void)chunk;
  (void)crcs;
  throw JsError("positional file I/O is not available on this platform");
#endif
}

std::vector<Request> requests_arg(napi_env env, napi_value offsets, napi_value buffers) {
  uint32_t n = array_arg_length(env, offsets, "offsets");
  if (array_arg_length(env, buffers, "buffers") != n) throw JsError("offsets and buffers differ in length", JsError::Type);
  std::vector<Request> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    Span s = bytes_arg(env, array_element(env, buffers, i), "buffers[i]");
    out.push_back({index_arg(env, array_element(env, offsets, i), "offsets[i]"), s.data, s.size});
  }
  return out;
}

size_t chunk_arg(napi_env env, napi_value v) {
  if (is_nullish(env, v)) return kDefaultChunk;
  uint64_t c = index_arg(env, v, "chunkSize");
  if (c == 0) throw JsError("argument 'chunkSize' must be positive", JsError::Type);
  return static_cast<size_t>(c);
}

napi_value crc_array(napi_env env, const std::vector<uint32_t>& crcs) {
  napi_value arr;
  check(napi_create_array_with_length(env, crcs.size(), &arr), "array");
  for (uint32_t i = 0; i < crcs.size(); i++) {
    napi_value v;
    check(napi_create_uint32(env, crcs[i], &v), "uint32");
    check(napi_set_element(env, arr, i, v), "set_element");
  }
  return arr;
}

// crc32(data, value?) -> number: as zlib.crc32.
napi_value js_crc32(napi_env env, napi_callback_info info) {
  PST_TRY
  Args a(env, info);
  Span s = bytes_arg(env, a[0], "data");
  uint32_t init = is_nullish(env, a[1]) ? 0 : static_cast<uint32_t>(index_arg(env, a[1], "value"));
  napi_value out;
  check(napi_create_uint32(env, crc32_update(init, s.data, s.size), &out), "uint32");
  return out;
  PST_CATCH(env)
}

bool flag_arg(napi_env env, napi_value v) {
  bool b = false;
  if (!is_nullish(env, v)) check(napi_get_value_bool(env, v, &b), "bool");
  return b;
}

// writeAt(fd, offsets, buffers, writeback, chunkSize?) -> CRC-32 of each buffer. Writes each
// buffer at its offset (pwrite) while other threads compute the CRCs.
napi_value js_write_at(napi_env env, napi_callback_info info) {
  PST_TRY
  Args a(env, info);
  int fd = static_cast<int>(index_arg(env, a[0], "fd"));
  auto requests = requests_arg(env, a[1], a[2]);
  return crc_array(env, write_all(fd, requests, chunk_arg(env, a[4]), flag_arg(env, a[3])));
  PST_CATCH(env)
}

// readAt(fd, offsets, buffers, withCrc, chunkSize?) -> CRC-32 of each buffer or undefined.
// Fills each buffer from its offset (pread, several threads).
napi_value js_read_at(napi_env env, napi_callback_info info) {
  PST_TRY
  Args a(env, info);
  int fd = static_cast<int>(index_arg(env, a[0], "fd"));
  auto requests = requests_arg(env, a[1], a[2]);
  bool with_crc = flag_arg(env, a[3]);
  std::vector<uint32_t> crcs;
  read_all(fd, requests, chunk_arg(env, a[4]), with_crc ? &crcs : nullptr);
  if (with_crc) return crc_array(env, crcs);
  napi_value undef;
  check(napi_get_undefined(env, &undef), "undefined");
  return undef;
  PST_CATCH(env)
}

napi_value js_crc32_accelerated(napi_env env, napi_callback_info) {
  napi_value v;
  napi_get_boolean(env, crc32_accelerated(), &v);
  return v;
}

// detachBuffers(arrayBuffers): detaches each (views of it read as empty from then on).
napi_value js_detach_buffers(napi_env env, napi_callback_info info) {
  PST_TRY
  Args a(env, info);
  uint32_t n = array_arg_length(env, a[0], "buffers");
  for (uint32_t i = 0; i < n; i++) {
    napi_value ab = array_element(env, a[0], i);
    bool detachable = false;
    check(napi_is_arraybuffer(env, ab, &detachable), "is_arraybuffer");
    if (!detachable) throw JsError("detachBuffers: expected ArrayBuffers", JsError::Type);
    check(napi_detach_arraybuffer(env, ab), "detach_arraybuffer");
  }
  return nullptr;
  PST_CATCH(env)
}

}  // namespace

void register_io_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"crc32", js_crc32},
                     {"crc32Accelerated", js_crc32_accelerated},
                     {"writeAt", js_write_at},
                     {"readAt", js_read_at},
                     {"detachBuffers", js_detach_buffers},
                 });
}

}  // namespace pst
