/**
 * A pickle writer (protocol 2, as torch.save emits) for the JS values a checkpoint holds. How JS
 * values become Python values:
 *
 * | JS                                      | Python                                   |
 * |-----------------------------------------|------------------------------------------|
 * | null, undefined                         | None                                     |
 * | boolean                                 | bool                                     |
 * | number: safe integer (not -0)           | int                                      |
 * | number: otherwise; PyFloat              | float                                    |
 * | bigint                                  | int                                      |
 * | string                                  | str                                      |
 * | Array                                   | list                                     |
 * | PyTuple (`tuple(a, b)`)                 | tuple                                    |
 * | plain object                            | dict (str keys)                          |
 * | OrderedDict                             | collections.OrderedDict (+ attributes)   |
 * | Map                                     | dict (any keys: ints for optimizer state)|
 * | Set                                     | set                                      |
 * | Uint8Array (Buffer)                     | bytes                                    |
 * | TensorRecord                            | torch.Tensor (or nn.Parameter)           |
 *
 * Objects are memoized as Python's pickler does: an object referenced twice is one object in
 * Python too, and cyclic lists/dicts round-trip. Anything else (functions, class instances, other
 * typed arrays) is an Error naming its path in the value.
 */
import { Op } from "./pickle-opcodes.js";
import {
  OrderedDict,
  PyFloat,
  PyTuple,
  StorageRecord,
  TensorRecord,
  pyAttributesOf,
  storageClassOf,
} from "./records.js";

/** Growable output buffer. */
class ByteSink {
  private buf = Buffer.allocUnsafe(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  u8u8(a: number, b: number): void {
    this.reserve(2);
    this.buf[this.length++] = a;
    this.buf[this.length++] = b;
  }

  u16(v: number): void {
    this.reserve(2);
    this.buf.writeUInt16LE(v, this.length);
    this.length += 2;
  }

  u32(v: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }

  i32(v: number): void {
    this.reserve(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }

  f64be(v: number): void {
    this.reserve(8);
    this.buf.writeDoubleBE(v, this.length);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** A 4-byte length then the UTF-8 bytes. */
  lengthPrefixedUtf8(s: string): void {
    const n = Buffer.byteLength(s, "utf8");
    this.reserve(4 + n);
    this.buf.writeUInt32LE(n, this.length);
    this.buf.write(s, this.length + 4, n, "utf8");
    this.length += 4 + n;
  }

  ascii(s: string): void {
    this.reserve(s.length);
    this.buf.write(s, this.length, s.length, "latin1");
    this.length += s.length;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Gives each storage the key it is saved under (`<archive>/data/<key>`) and its location. */
export type StorageKeyer = (storage: StorageRecord) => string;

/** Python's pickler batches APPENDS/SETITEMS in groups of this size. */
const BATCH = 1000;

/** Pickles one value. `storageKey` names each tensor storage (the zip layer saves the bytes). */
export function pickle(value: unknown, storageKey: StorageKeyer): Uint8Array {
  const pickler = new Pickler(storageKey);
  return pickler.dump(value);
}

class Pickler {
  private readonly out = new ByteSink();
  private readonly memo = new Map<unknown, number>();
  private readonly globals = new Map<string, object>();
  /** Tuples whose items are being written: reaching one again is a cycle pickle cannot express here. */
  private readonly openTuples = new Set<unknown>();
  private readonly path: Array<string | number> = [];

  constructor(private readonly storageKey: StorageKeyer) {}

  dump(value: unknown): Uint8Array {
    this.out.u8u8(Op.PROTO, 2);
    this.save(value);
    this.out.u8(Op.STOP);
    return this.out.result();
  }

  private fail(message: string): never {
    const where = this.path.length === 0 ? "the value" : this.path.map((p) => `[${JSON.stringify(p)}]`).join("");
    throw new Error(`cannot save ${where}: ${message}`);
  }

  private put(key: unknown): void {
    const index = this.memo.size;
    this.memo.set(key, index);
    if (index < 256) this.out.u8u8(Op.BINPUT, index);
    else {
      this.out.u8(Op.LONG_BINPUT);
      this.out.u32(index);
    }
  }

  /** Writes BINGET for a memoized value; false when it is not memoized yet. */
  private get(key: unknown): boolean {
    const index = this.memo.get(key);
    if (index === undefined) return false;
    if (index < 256) this.out.u8u8(Op.BINGET, index);
    else {
      this.out.u8(Op.LONG_BINGET);
      this.out.u32(index);
    }
    return true;
  }

  private global(module: string, name: string): void {
    let key = this.globals.get(`${module} ${name}`);
    if (key === undefined) {
      key = {}; // memoized under an identity of its own: never equal to a user value
      this.globals.set(`${module} ${name}`, key);
    } else if (this.get(key)) return;
    this.out.u8(Op.GLOBAL);
    this.out.ascii(`${module}\n${name}\n`);
    this.put(key);
  }

  private save(value: unknown): void {
    switch (typeof value) {
      case "undefined":
        this.out.u8(Op.NONE);
        return;
      case "boolean":
        this.out.u8(value ? Op.NEWTRUE : Op.NEWFALSE);
        return;
      case "number":
        if (Number.isSafeInteger(value) && !Object.is(value, -0)) this.saveInt(value);
        else this.saveFloat(value);
        return;
      case "bigint":
        this.saveBigInt(value);
        return;
      case "string":
        this.saveString(value);
        return;
      case "object":
        if (value === null) {
          this.out.u8(Op.NONE);
          return;
        }
        this.saveObject(value);
        return;
      default:
        this.fail(`a ${typeof value} has no Python equivalent`);
    }
  }

  private saveInt(v: number): void {
    if (v >= 0 && v <= 0xff) this.out.u8u8(Op.BININT1, v);
    else if (v >= 0 && v <= 0xffff) {
      this.out.u8(Op.BININT2);
      this.out.u16(v);
    } else if (v >= -0x80000000 && v <= 0x7fffffff) {
      this.out.u8(Op.BININT);
      this.out.i32(v);
    } else this.saveBigInt(BigInt(v));
  }

  private saveBigInt(v: bigint): void {
    if (v >= -0x80000000n && v <= 0x7fffffffn) {
      this.saveInt(Number(v));
      return;
    }
    const bytes = encodeLong(v);
    if (bytes.length < 256) this.out.u8u8(Op.LONG1, bytes.length);
    else {
      this.out.u8(Op.LONG4);
      this.out.u32(bytes.length);
    }
    this.out.bytes(bytes);
  }

  private saveFloat(v: number): void {
    this.out.u8(Op.BINFLOAT);
    this.out.f64be(v);
  }

  private saveString(s: string): void {
    if (this.get(s)) return;
    this.out.u8(Op.BINUNICODE);
    this.out.lengthPrefixedUtf8(s);
    this.put(s);
  }

  private saveObject(value: object): void {
    if (value instanceof PyFloat) {
      if (typeof value.value !== "number") this.fail("PyFloat holds a non-number");
      this.saveFloat(value.value);
      return;
    }
    if (this.openTuples.has(value)) this.fail("a tuple that contains itself cannot be saved");
    if (this.get(value)) return;
    if (value instanceof TensorRecord) this.saveTensor(value);
    else if (value instanceof PyTuple) this.saveTuple(value);
    else if (Array.isArray(value)) this.saveList(value);
    else if (value instanceof OrderedDict) this.saveOrderedDict(value);
    else if (value instanceof Map) this.saveDict(value, value.entries(), value.size);
    else if (value instanceof Set) this.saveSet(value);
    else if (value instanceof Uint8Array) this.saveBytes(value);
    else if (value instanceof StorageRecord) this.fail("a bare StorageRecord; save a TensorRecord viewing it");
    else if (ArrayBuffer.isView(value)) {
      this.fail(`a ${value.constructor.name}; save tensors as TensorRecords (only Uint8Array is saved, as bytes)`);
    } else {
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
        this.fail(`a ${name} instance has no Python equivalent (use plain objects, arrays, Maps, records)`);
      }
      const keys = Object.keys(value);
      const obj = value as Record<string, unknown>;
      this.saveDict(value, keys.map((k) => [k, obj[k]] as [unknown, unknown]).values(), keys.length);
    }
  }

  private saveTuple(t: PyTuple): void {
    const n = t.length;
    if (n === 0) {
      this.out.u8(Op.EMPTY_TUPLE);
      this.put(t);
      return;
    }
    this.openTuples.add(t);
    if (n > 3) this.out.u8(Op.MARK);
    for (let i = 0; i < n; i++) {
      this.path.push(i);
      this.save(t[i]);
      this.path.pop();
    }
    this.openTuples.delete(t);
    this.out.u8(n === 1 ? Op.TUPLE1 : n === 2 ? Op.TUPLE2 : n === 3 ? Op.TUPLE3 : Op.TUPLE);
    this.put(t);
  }

  private saveList(list: unknown[]): void {
    this.out.u8(Op.EMPTY_LIST);
    this.put(list);
    const n = list.length;
    for (let start = 0; start < n; start += BATCH) {
      const end = Math.min(n, start + BATCH);
      if (end - start > 1) this.out.u8(Op.MARK);
      for (let i = start; i < end; i++) {
        this.path.push(i);
        this.save(list[i]);
        this.path.pop();
      }
      this.out.u8(end - start > 1 ? Op.APPENDS : Op.APPEND);
    }
  }

  private saveItems(items: Iterator<[unknown, unknown]>, size: number): void {
    let pending = 0;
    for (let r = items.next(); !r.done; r = items.next()) {
      if (pending === 0 && size > 1) this.out.u8(Op.MARK);
      const [k, v] = r.value;
      this.path.push(typeof k === "string" || typeof k === "number" ? k : String(k));
      this.save(k);
      this.save(v);
      this.path.pop();
      pending++;
      size--;
      if (pending === BATCH || size === 0) {
        this.out.u8(pending > 1 ? Op.SETITEMS : Op.SETITEM);
        pending = 0;
      }
    }
  }

  private saveDict(key: object, items: Iterator<[unknown, unknown]>, size: number): void {
    this.out.u8(Op.EMPTY_DICT);
    this.put(key);
    this.saveItems(items, size);
  }

  private saveOrderedDict(dict: OrderedDict): void {
    this.global("collections", "OrderedDict");
    this.out.u8u8(Op.EMPTY_TUPLE, Op.REDUCE);
    this.put(dict);
    const keys = Object.keys(dict);
    this.saveItems(keys.map((k) => [k, dict[k]] as [unknown, unknown]).values(), keys.length);
    const attributes = pyAttributesOf(dict);
    if (attributes.length > 0) {
      // Python's OrderedDict.__reduce__ gives vars(self) as the state, set by BUILD.
      this.out.u8(Op.EMPTY_DICT);
      this.saveItems(attributes.values(), attributes.length);
      this.out.u8(Op.BUILD);
    }
  }

  private saveSet(set: Set<unknown>): void {
    this.global("builtins", "set");
    this.out.u8(Op.EMPTY_LIST);
    const items = [...set];
    if (items.length > 0) {
      if (items.length > 1) this.out.u8(Op.MARK);
      for (const item of items) this.save(item);
      this.out.u8(items.length > 1 ? Op.APPENDS : Op.APPEND);
    }
    this.out.u8u8(Op.TUPLE1, Op.REDUCE);
    this.put(set);
  }

  private saveBytes(bytes: Uint8Array): void {
    // Protocol 2 has no bytes opcode: Python writes _codecs.encode(<latin-1 text>, "latin1").
    if (bytes.length === 0) {
      this.global("builtins", "bytes");
      this.out.u8u8(Op.EMPTY_TUPLE, Op.REDUCE);
    } else {
      this.global("_codecs", "encode");
      this.out.u8(Op.BINUNICODE);
      this.out.lengthPrefixedUtf8(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1"));
      this.saveString("latin1");
      this.out.u8u8(Op.TUPLE2, Op.REDUCE);
    }
    this.put(bytes);
  }

  private saveTensor(t: TensorRecord): void {
    if (t.isParameter) this.global("torch._utils", "_rebuild_parameter");
    this.global("torch._utils", "_rebuild_tensor_v2");
    this.out.u8(Op.MARK);
    this.saveStorage(t.storage);
    this.saveInt(t.storageOffset);
    this.saveIntTuple(t.shape);
    this.saveIntTuple(t.stride);
    this.out.u8(t.requiresGrad ? Op.NEWTRUE : Op.NEWFALSE);
    this.emptyOrderedDict(); // backward hooks
    this.out.u8u8(Op.TUPLE, Op.REDUCE);
    if (t.isParameter) {
      this.out.u8(t.requiresGrad ? Op.NEWTRUE : Op.NEWFALSE);
      this.emptyOrderedDict();
      this.out.u8u8(Op.TUPLE3, Op.REDUCE);
    }
    this.put(t);
  }

  private emptyOrderedDict(): void {
    this.global("collections", "OrderedDict");
    this.out.u8u8(Op.EMPTY_TUPLE, Op.REDUCE);
  }

  private saveIntTuple(values: readonly number[]): void {
    const n = values.length;
    if (n === 0) {
      this.out.u8(Op.EMPTY_TUPLE);
      return;
    }
    if (n > 3) this.out.u8(Op.MARK);
    for (const v of values) this.saveInt(v);
    this.out.u8(n === 1 ? Op.TUPLE1 : n === 2 ? Op.TUPLE2 : n === 3 ? Op.TUPLE3 : Op.TUPLE);
  }

  /** The persistent id torch.save writes: ('storage', torch.<Name>Storage, key, location, numel). */
  private saveStorage(s: StorageRecord): void {
    this.out.u8(Op.MARK);
    this.saveString("storage");
    this.global("torch", storageClassOf(s.dtype));
    this.saveString(this.storageKey(s));
    this.saveString(s.device);
    this.saveInt(s.numel);
    this.out.u8u8(Op.TUPLE, Op.BINPERSID);
  }
}

/** Little-endian two's complement in the fewest bytes, as Python's encode_long. */
export function encodeLong(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  const bytes: number[] = [];
  let x = v;
  for (;;) {
    bytes.push(Number(x & 0xffn));
    x >>= 8n; // arithmetic shift: negative numbers tend to -1
    const sign = bytes[bytes.length - 1]! & 0x80;
    if ((x === 0n && sign === 0) || (x === -1n && sign !== 0)) break;
  }
  return Uint8Array.from(bytes);
}
