// The native addon's checkpoint I/O (native/io/), typed: CRC-32 and positional reads and writes of
// many buffers using a few threads, views for reading.
import { native } from "../tensor/tensor.js";
import type { Handle } from "../native.js";

export interface NativeFileIO {
  /** As zlib.crc32 (PCLMULQDQ folding where the CPU has it). */
  crc32(data: ArrayBufferView, value?: number): number;
  crc32Accelerated(): boolean;
  /** Writes each buffer at its offset (pwrite, several threads); returns their CRC-32s. */
  writeAt(fd: number, offsets: readonly number[], buffers: readonly Uint8Array[], writeback: boolean, chunkSize?: number): number[];
  /** Fills each buffer from its offset (pread, several threads); their CRC-32s with `withCrc`. */
  readAt(fd: number, offsets: readonly number[], buffers: readonly Uint8Array[], withCrc: boolean, chunkSize?: number): number[] | undefined;
  /** An ArrayBuffer over a CPU tensor's storage that does not keep the tensor alive. */
  storageView(h: Handle): ArrayBuffer;
  /** Detaches each ArrayBuffer (views of it become empty). */
  detachBuffers(buffers: readonly ArrayBuffer[]): void;
}

export function nativeFileIO(): NativeFileIO {
  return native() as unknown as NativeFileIO;
}

/** Whether the native reads and writes at file offsets (pread/pwrite: readAt, writeAt) exist here. */
export function hasPositionalIO(): boolean {
  return process.platform !== "win32";
}
