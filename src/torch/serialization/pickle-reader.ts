/**
 * A pickle reader for what torch.save emits (and the rest of protocols 0-5 that plain data uses),
 * with a fixed set of Python globals: a checkpoint cannot run code here. How Python values become
 * JS values is the writer's table read backwards (pickle-writer.ts), plus:
 * - int: a number when it is a safe integer, a bigint beyond;
 * - float: a number (1.0 reads as 1; wrap it in PyFloat to write a float back);
 * - dict: a plain object when every key is a str, a Map otherwise (optimizer state's int keys);
 *   collections.OrderedDict with str keys: an OrderedDict, its attributes (`_metadata`) kept;
 * - torch.device: its string ("cuda:0"); torch.Size: a PyTuple; bytes: a Uint8Array;
 * - numpy arrays: tensors; numpy scalars: numbers/booleans (numpy-pickle.ts).
 * Any other global is an Error naming it. Malformed input is an Error, never a hang.
 */
import { Op, opName } from "./pickle-opcodes.js";
import {
  OrderedDict,
  PyTuple,
  StorageRecord,
  TensorRecord,
  dtypeOfStorageClass,
  setPyAttribute,
  type Dtype,
} from "./records.js";
import { NumpyArray, NumpyDtype, numpyScalar, reconstructArray } from "./numpy-pickle.js";

/** A Python global the reader knows, as it sits on the unpickler's stack. */
class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    /** Calls it with REDUCE/NEWOBJ arguments; absent for globals that are only referenced. */
    readonly call?: (args: unknown[]) => unknown,
    /** For torch.<Name>Storage: the dtype it stands for. */
    readonly storageDtype?: Dtype,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** The dtype a `torch.<Name>Storage` global stands for (in persistent ids), else undefined. */
export function storageDtypeOf(value: unknown): Dtype | undefined {
  return value instanceof PyGlobal ? value.storageDtype : undefined;
}

/** A dict while unpickling: keys of any type, converted to an object or a Map at the end. */
class RawDict {
  readonly items = new Map<unknown, unknown>();
  attributes: Map<unknown, unknown> | undefined;
  constructor(readonly ordered: boolean) {}
}

/** What the checkpoint layer does with a persistent id (torch's storage references). */
export type PersistentLoader = (pid: unknown) => unknown;

/** Malformed or unsupported pickle data. */
export class UnpicklingError extends Error {
  override name = "UnpicklingError";
}

function fail(message: string): never {
  throw new UnpicklingError(message);
}

function asInt(value: unknown, what: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  return fail(`${what} must be an int, got ${describe(value)}`);
}

function asIntTuple(value: unknown, what: string): number[] {
  if (!Array.isArray(value)) fail(`${what} must be a tuple of ints, got ${describe(value)}`);
  return value.map((v, i) => asInt(v, `${what}[${i}]`));
}

function describe(value: unknown): string {
  if (value === null) return "None";
  if (value instanceof PyGlobal) return `the global ${value.qualifiedName}`;
  if (value instanceof RawDict) return "a dict";
  if (value instanceof PyTuple) return "a tuple";
  if (Array.isArray(value)) return "a list";
  if (value instanceof TensorRecord) return "a tensor";
  if (value instanceof StorageRecord) return "a storage";
  if (typeof value === "object") return `a ${value.constructor?.name ?? "object"}`;
  return `${typeof value} ${String(value)}`;
}

function rebuildTensor(args: unknown[], name: string): TensorRecord {
  if (args.length < 4) fail(`${name} expects at least 4 arguments, got ${args.length}`);
  const [storage, offset, size, stride, requiresGrad] = args;
  if (!(storage instanceof StorageRecord)) fail(`${name}: first argument must be a storage, got ${describe(storage)}`);
  try {
    return new TensorRecord({
      storage,
      storageOffset: asInt(offset, `${name} storage_offset`),
      shape: asIntTuple(size, `${name} size`),
      stride: asIntTuple(stride, `${name} stride`),
      requiresGrad: requiresGrad === true,
    });
  } catch (e) {
    if (e instanceof UnpicklingError) throw e;
    return fail(`${name}: ${(e as Error).message}`);
  }
}

function rebuildParameter(args: unknown[], name: string): TensorRecord {
  const [data, requiresGrad] = args;
  if (!(data instanceof TensorRecord)) fail(`${name}: first argument must be a tensor, got ${describe(data)}`);
  return new TensorRecord({
    storage: data.storage,
    shape: data.shape,
    stride: data.stride,
    storageOffset: data.storageOffset,
    requiresGrad: requiresGrad !== false,
    isParameter: true,
  });
}

function deviceString(args: unknown[]): string {
  const [type, index] = args;
  if (typeof type !== "string") fail(`torch.device expects a string, got ${describe(type)}`);
  if (index === undefined || index === null) return type;
  return `${type}:${asInt(index, "torch.device index")}`;
}

function latin1Bytes(args: unknown[]): Uint8Array {
  const [text, encoding] = args;
  if (typeof text !== "string" || (encoding !== "latin1" && encoding !== "latin-1")) {
    fail("_codecs.encode is only read for latin1 bytes");
  }
  return new Uint8Array(Buffer.from(text, "latin1"));
}

function makeGlobal(module: string, name: string): PyGlobal {
  const key = `${module}.${name}`;
  switch (key) {
    case "collections.OrderedDict":
      return new PyGlobal(module, name, (args) => {
        const d = new RawDict(true);
        if (args.length > 0 && args[0] !== undefined) {
          const pairs = args[0];
          if (!Array.isArray(pairs)) fail("OrderedDict(...) is only read with a list of pairs");
          for (const pair of pairs) {
            if (!Array.isArray(pair) || pair.length !== 2) fail("OrderedDict(...) pairs must have two items");
            d.items.set(pair[0], pair[1]);
          }
        }
        return d;
      });
    case "collections.Counter":
      // MultiStepLR's milestones: Counter({500: 1}) pickles as Counter(dict); read as that dict.
      return new PyGlobal(module, name, (args) => {
        const d = new RawDict(false);
        const source = args[0];
        if (source instanceof RawDict) for (const [k, v] of source.items) d.items.set(k, v);
        else if (source !== undefined) fail("Counter(...) is only read with a dict");
        return d;
      });
    case "torch._utils._rebuild_tensor":
    case "torch._utils._rebuild_tensor_v2":
    case "torch._utils._rebuild_tensor_v3":
      return new PyGlobal(module, name, (args) => rebuildTensor(args, key));
    case "torch._utils._rebuild_parameter":
    case "torch._utils._rebuild_parameter_with_state":
      return new PyGlobal(module, name, (args) => rebuildParameter(args, key));
    case "torch.device":
      return new PyGlobal(module, name, deviceString);
    case "torch.Size":
    case "builtins.tuple":
    case "__builtin__.tuple":
      return new PyGlobal(module, name, (args) => PyTuple.fromItems(iterableArg(args, key)));
    case "builtins.set":
    case "__builtin__.set":
    case "builtins.frozenset":
    case "__builtin__.frozenset":
      return new PyGlobal(module, name, (args) => new Set(args.length === 0 ? [] : iterableArg(args, key)));
    case "builtins.bytes":
    case "__builtin__.bytes":
      return new PyGlobal(module, name, (args) => {
        if (args.length !== 0) fail("bytes(...) is only read without arguments");
        return new Uint8Array(0);
      });
    case "_codecs.encode":
      return new PyGlobal(module, name, latin1Bytes);
    case "numpy.core.multiarray._reconstruct":
    case "numpy._core.multiarray._reconstruct":
      return new PyGlobal(module, name, reconstructArray);
    case "numpy.core.multiarray.scalar":
    case "numpy._core.multiarray.scalar":
      return new PyGlobal(module, name, numpyScalar);
    case "numpy.dtype":
      return new PyGlobal(module, name, (args) => {
        if (typeof args[0] !== "string") fail(`numpy.dtype(...) is only read with a type code, got ${describe(args[0])}`);
        return new NumpyDtype(args[0]);
      });
    case "numpy.ndarray":
      return new PyGlobal(module, name);
  }
  if (module === "torch") {
    const dtype = dtypeOfStorageClass(name);
    if (dtype !== undefined) return new PyGlobal(module, name, undefined, dtype);
  }
  return fail(
    `unsupported Python global ${key} in the pickle (this reader knows OrderedDict, Counter, tensors, parameters, ` +
      `typed storages, torch.device, torch.Size, set, bytes, numpy arrays and scalars)`,
  );
}

function iterableArg(args: unknown[], name: string): unknown[] {
  const it = args[0];
  if (!Array.isArray(it) && !(it instanceof Set)) fail(`${name}(...) is only read with a list or tuple`);
  return [...it];
}

/** Unpickles `data`; `persistentLoad` resolves persistent ids (BINPERSID). */
export function unpickle(data: Uint8Array, persistentLoad?: PersistentLoader): unknown {
  const raw = new Reader(data, persistentLoad).load();
  try {
    return finish(raw, new Map());
  } catch (e) {
    if (e instanceof RangeError) fail("the pickle nests too deeply to read");
    throw e;
  }
}

class Reader {
  private pos = 0;
  private stack: unknown[] = [];
  private readonly metastack: unknown[][] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly text: Buffer;
  private readonly globals = new Map<string, PyGlobal>();

  constructor(
    private readonly data: Uint8Array,
    private readonly persistentLoad: PersistentLoader | undefined,
  ) {
    this.text = Buffer.from(data.buffer, data.byteOffset, data.length);
  }

  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.data.length) fail(`truncated pickle: needs ${n} more bytes at offset ${at}`);
    this.pos = at + n;
    return at;
  }

  private u8(): number {
    return this.data[this.need(1)]!;
  }

  private u16(): number {
    return this.text.readUInt16LE(this.need(2));
  }

  private u32(): number {
    return this.text.readUInt32LE(this.need(4));
  }

  private u64(): number {
    const v = this.text.readBigUInt64LE(this.need(8));
    if (v > BigInt(this.data.length)) fail(`truncated pickle: length ${v} at offset ${this.pos - 8}`);
    return Number(v);
  }

  private slice(n: number): Uint8Array {
    const at = this.need(n);
    return this.data.subarray(at, at + n);
  }

  private utf8(n: number): string {
    const at = this.need(n);
    return this.text.toString("utf8", at, at + n);
  }

  private line(): string {
    const end = this.data.indexOf(0x0a, this.pos);
    if (end < 0) fail(`truncated pickle: no end of line after offset ${this.pos}`);
    const s = this.text.toString("latin1", this.pos, end);
    this.pos = end + 1;
    return s;
  }

  private pop(): unknown {
    if (this.stack.length === 0) fail(`corrupt pickle: stack underflow at offset ${this.pos - 1}`);
    return this.stack.pop();
  }

  private top(): unknown {
    if (this.stack.length === 0) fail(`corrupt pickle: stack underflow at offset ${this.pos - 1}`);
    return this.stack[this.stack.length - 1];
  }

  /** Items pushed since the last MARK; restores the stack below it. */
  private popMark(): unknown[] {
    const items = this.stack;
    const below = this.metastack.pop();
    if (below === undefined) fail(`corrupt pickle: no MARK before offset ${this.pos - 1}`);
    this.stack = below;
    return items;
  }

  private memoGet(index: number): unknown {
    if (!this.memo.has(index)) fail(`corrupt pickle: memo entry ${index} was never stored`);
    return this.memo.get(index);
  }

  private global(module: string, name: string): PyGlobal {
    const key = `${module}\n${name}`;
    let g = this.globals.get(key);
    if (g === undefined) {
      g = makeGlobal(module, name);
      this.globals.set(key, g);
    }
    return g;
  }

  private call(callable: unknown, args: unknown): unknown {
    if (!(callable instanceof PyGlobal)) fail(`corrupt pickle: cannot call ${describe(callable)}`);
    if (!Array.isArray(args)) fail(`corrupt pickle: arguments of ${callable.qualifiedName} are ${describe(args)}`);
    if (callable.call === undefined) fail(`${callable.qualifiedName} cannot be called here`);
    return callable.call(args);
  }

  private setItems(dict: unknown, items: unknown[]): void {
    if (!(dict instanceof RawDict)) fail(`corrupt pickle: SETITEMS on ${describe(dict)}`);
    if (items.length % 2 !== 0) fail("corrupt pickle: SETITEMS with an odd number of items");
    for (let i = 0; i < items.length; i += 2) dict.items.set(hashKey(items[i]), items[i + 1]);
  }

  private appendItems(list: unknown, items: unknown[]): void {
    if (list instanceof Set) {
      for (const item of items) list.add(item);
      return;
    }
    if (!Array.isArray(list) || list instanceof PyTuple) fail(`corrupt pickle: APPEND on ${describe(list)}`);
    for (const item of items) list.push(item);
  }

  private persistent(pid: unknown): unknown {
    if (this.persistentLoad === undefined) fail("the pickle refers to external data (a persistent id) but none was given");
    return this.persistentLoad(pid);
  }

  load(): unknown {
    const data = this.data;
    for (;;) {
      if (this.pos >= data.length) fail("truncated pickle: no STOP opcode");
      const code = data[this.pos++]!;
      switch (code) {
        case Op.PROTO: {
          const proto = this.u8();
          if (proto > 5) fail(`unsupported pickle protocol ${proto}`);
          break;
        }
        case Op.FRAME:
          this.need(8); // frames only group opcodes; we read from memory
          break;
        case Op.STOP: {
          const result = this.pop();
          if (this.metastack.length > 0) fail("corrupt pickle: MARK left open at STOP");
          return result;
        }
        case Op.MARK:
          this.metastack.push(this.stack);
          this.stack = [];
          break;
        case Op.POP:
          this.pop();
          break;
        case Op.POP_MARK:
          this.popMark();
          break;
        case Op.DUP:
          this.stack.push(this.top());
          break;

        case Op.NONE:
          this.stack.push(null);
          break;
        case Op.NEWTRUE:
          this.stack.push(true);
          break;
        case Op.NEWFALSE:
          this.stack.push(false);
          break;
        case Op.BININT1:
          this.stack.push(this.u8());
          break;
        case Op.BININT2:
          this.stack.push(this.u16());
          break;
        case Op.BININT:
          this.stack.push(this.text.readInt32LE(this.need(4)));
          break;
        case Op.LONG1:
          this.stack.push(decodeLong(this.slice(this.u8())));
          break;
        case Op.LONG4:
          this.stack.push(decodeLong(this.slice(this.text.readInt32LE(this.need(4)))));
          break;
        case Op.INT: {
          const s = this.line();
          if (s === "00") this.stack.push(false);
          else if (s === "01") this.stack.push(true);
          else this.stack.push(parseIntText(s));
          break;
        }
        case Op.LONG:
          this.stack.push(parseIntText(this.line().replace(/L$/, "")));
          break;
        case Op.BINFLOAT:
          this.stack.push(this.text.readDoubleBE(this.need(8)));
          break;
        case Op.FLOAT: {
          const s = this.line();
          const v = Number(s);
          if (Number.isNaN(v) && !/^[+-]?nan$/i.test(s)) fail(`corrupt pickle: bad float ${JSON.stringify(s)}`);
          this.stack.push(v);
          break;
        }

        case Op.SHORT_BINUNICODE:
          this.stack.push(this.utf8(this.u8()));
          break;
        case Op.BINUNICODE:
          this.stack.push(this.utf8(this.u32()));
          break;
        case Op.BINUNICODE8:
          this.stack.push(this.utf8(this.u64()));
          break;
        case Op.UNICODE:
          this.stack.push(unescapeRawUnicode(this.line()));
          break;
        case Op.SHORT_BINBYTES:
          this.stack.push(new Uint8Array(this.slice(this.u8())));
          break;
        case Op.BINBYTES:
          this.stack.push(new Uint8Array(this.slice(this.u32())));
          break;
        case Op.BINBYTES8:
        case Op.BYTEARRAY8:
          this.stack.push(new Uint8Array(this.slice(this.u64())));
          break;
        case Op.SHORT_BINSTRING:
          // Python 2 str: Python 3 reads it as str too (encoding="ASCII"/"latin1").
          {
            const n = this.u8();
            const at = this.need(n);
            this.stack.push(this.text.toString("latin1", at, at + n));
          }
          break;
        case Op.STRING:
          this.stack.push(unquotePythonString(this.line()));
          break;
        case Op.BINSTRING: {
          const n = this.text.readInt32LE(this.need(4));
          const at = this.need(n);
          this.stack.push(this.text.toString("latin1", at, at + n));
          break;
        }

        case Op.EMPTY_TUPLE:
          this.stack.push(new PyTuple());
          break;
        case Op.TUPLE1: {
          const a = this.pop();
          this.stack.push(PyTuple.fromItems([a]));
          break;
        }
        case Op.TUPLE2: {
          const b = this.pop();
          const a = this.pop();
          this.stack.push(PyTuple.fromItems([a, b]));
          break;
        }
        case Op.TUPLE3: {
          const c = this.pop();
          const b = this.pop();
          const a = this.pop();
          this.stack.push(PyTuple.fromItems([a, b, c]));
          break;
        }
        case Op.TUPLE: {
          const items = this.popMark(); // before reading this.stack: popMark replaces it
          this.stack.push(PyTuple.fromItems(items));
          break;
        }
        case Op.EMPTY_LIST:
          this.stack.push([]);
          break;
        case Op.LIST: {
          const items = this.popMark();
          this.stack.push(items);
          break;
        }
        case Op.APPEND: {
          const item = this.pop();
          this.appendItems(this.top(), [item]);
          break;
        }
        case Op.APPENDS: {
          const items = this.popMark();
          this.appendItems(this.top(), items);
          break;
        }
        case Op.EMPTY_DICT:
          this.stack.push(new RawDict(false));
          break;
        case Op.DICT: {
          const d = new RawDict(false);
          this.setItems(d, this.popMark());
          this.stack.push(d); // fine: this.stack is read after popMark
          break;
        }
        case Op.SETITEM: {
          const value = this.pop();
          const key = this.pop();
          this.setItems(this.top(), [key, value]);
          break;
        }
        case Op.SETITEMS: {
          const items = this.popMark();
          this.setItems(this.top(), items);
          break;
        }
        case Op.EMPTY_SET:
          this.stack.push(new Set());
          break;
        case Op.ADDITEMS: {
          const items = this.popMark();
          const set = this.top();
          if (!(set instanceof Set)) fail(`corrupt pickle: ADDITEMS on ${describe(set)}`);
          for (const item of items) set.add(hashKey(item));
          break;
        }
        case Op.FROZENSET: {
          const items = this.popMark();
          this.stack.push(new Set(items.map(hashKey)));
          break;
        }

        case Op.BINPUT:
          this.memo.set(this.u8(), this.top());
          break;
        case Op.LONG_BINPUT:
          this.memo.set(this.u32(), this.top());
          break;
        case Op.PUT:
          this.memo.set(asInt(parseIntText(this.line()), "PUT index"), this.top());
          break;
        case Op.MEMOIZE:
          this.memo.set(this.memo.size, this.top());
          break;
        case Op.BINGET:
          this.stack.push(this.memoGet(this.u8()));
          break;
        case Op.LONG_BINGET:
          this.stack.push(this.memoGet(this.u32()));
          break;
        case Op.GET:
          this.stack.push(this.memoGet(asInt(parseIntText(this.line()), "GET index")));
          break;

        case Op.GLOBAL: {
          const module = this.line();
          const name = this.line();
          this.stack.push(this.global(module, name));
          break;
        }
        case Op.STACK_GLOBAL: {
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== "string" || typeof name !== "string") fail("corrupt pickle: STACK_GLOBAL needs two strings");
          this.stack.push(this.global(module, name));
          break;
        }
        case Op.REDUCE: {
          const args = this.pop();
          const callable = this.pop();
          this.stack.push(this.call(callable, args));
          break;
        }
        case Op.NEWOBJ: {
          const args = this.pop();
          const cls = this.pop();
          this.stack.push(this.call(cls, args));
          break;
        }
        case Op.NEWOBJ_EX: {
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (!(kwargs instanceof RawDict) || kwargs.items.size > 0) fail("NEWOBJ_EX with keyword arguments is not supported");
          this.stack.push(this.call(cls, args));
          break;
        }
        case Op.BUILD: {
          const state = this.pop();
          const target = this.top();
          if (target instanceof NumpyArray || target instanceof NumpyDtype) {
            target.setState(state);
            break;
          }
          if (!(target instanceof RawDict) || !target.ordered || !(state instanceof RawDict)) {
            fail(`unsupported pickle: BUILD (setting attributes) on ${describe(target)}`);
          }
          target.attributes ??= new Map();
          for (const [k, v] of state.items) target.attributes.set(k, v);
          break;
        }
        case Op.BINPERSID:
          this.stack.push(this.persistent(this.pop()));
          break;
        case Op.PERSID:
          this.stack.push(this.persistent(this.line()));
          break;

        default:
          fail(`unsupported pickle opcode ${opName(code)} at offset ${this.pos - 1}`);
      }
    }
  }
}

/** Tuples used as dict keys or set items are compared by identity in JS; that is all we need. */
function hashKey(key: unknown): unknown {
  if (key instanceof RawDict || (Array.isArray(key) && !(key instanceof PyTuple))) {
    fail(`corrupt pickle: unhashable ${describe(key)} used as a key`);
  }
  return key;
}

function parseIntText(s: string): number | bigint {
  if (!/^[+-]?\d+$/.test(s)) fail(`corrupt pickle: bad int ${JSON.stringify(s)}`);
  return normalizeInt(BigInt(s));
}

function normalizeInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Little-endian two's complement (Python's decode_long). */
export function decodeLong(bytes: Uint8Array): number | bigint {
  const n = bytes.length;
  if (n === 0) return 0;
  if (n <= 6) {
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + bytes[i]!;
    if (bytes[n - 1]! & 0x80) v -= 2 ** (8 * n);
    return v;
  }
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
  return normalizeInt(v);
}

/** Protocol 0's STRING argument: a quoted Python 2 str literal (repr), read as latin-1 text. */
function unquotePythonString(s: string): string {
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) fail("corrupt pickle: STRING argument is not quoted");
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
  return s.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    const r = escapes[e];
    if (r === undefined) fail(`corrupt pickle: unknown escape \\${e} in STRING`);
    return r;
  });
}

/** Protocol 0's raw-unicode-escape: \uXXXX and \UXXXXXXXX escapes, other chars as latin-1. */
function unescapeRawUnicode(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u4: string | undefined, u8: string | undefined) =>
    String.fromCodePoint(parseInt((u4 ?? u8)!, 16)),
  );
}

/**
 * Turns RawDicts into objects/Maps (shared and cyclic references kept) and checks that no reader
 * internals (globals) escaped into the result.
 */
function finish(value: unknown, done: Map<unknown, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (done.has(value)) return done.get(value);
  if (value instanceof RawDict) {
    let allStrings = true;
    for (const k of value.items.keys()) if (typeof k !== "string") allStrings = false;
    if (allStrings) {
      const out: Record<string, unknown> = value.ordered ? new OrderedDict() : {};
      done.set(value, out);
      for (const [k, v] of value.items) {
        const item = finish(v, done);
        if (k === "__proto__") Object.defineProperty(out, k, { value: item, enumerable: true, writable: true, configurable: true });
        else out[k as string] = item;
      }
      if (value.attributes !== undefined && out instanceof OrderedDict) {
        for (const [k, v] of value.attributes) {
          if (typeof k === "string" && !Object.hasOwn(out, k)) setPyAttribute(out, k, finish(v, done));
        }
      }
      return out;
    }
    const out = new Map<unknown, unknown>();
    done.set(value, out);
    for (const [k, v] of value.items) out.set(finish(k, done), finish(v, done));
    return out;
  }
  if (Array.isArray(value)) {
    done.set(value, value);
    for (let i = 0; i < value.length; i++) value[i] = finish(value[i], done);
    return value;
  }
  if (value instanceof Set) {
    done.set(value, value);
    for (const item of value) finish(item, done);
    return value;
  }
  if (value instanceof NumpyArray) return value.tensor;
  if (value instanceof NumpyDtype) return value.dtype;
  if (value instanceof PyGlobal) fail(`the pickle returns the Python object ${value.qualifiedName} itself, which has no JS value`);
  return value;
}
