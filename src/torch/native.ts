// The native addon, loaded on first use (importing `pystematic/torch` must stay fast: loading
// libtorch alone takes 0.4-0.8 s here).
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { isMainThread } from "node:worker_threads";
import { nativeAddonPath } from "./native-path.js";
import type { HotOpExports } from "./generated/hot-methods.js";

declare const handleBrand: unique symbol;
/** An opaque reference to a libtorch tensor (a V8 External owning an at::Tensor, see native/binding/handles.h). */
export type Handle = { readonly [handleBrand]: true };

type MaybeDType = number | undefined;
type MaybeDevice = string | undefined;

/**
 * The addon contract: everything native/ exports, typed. Handles in, handles out. The hot ops'
 * exports are generated with their methods (HotOpExports).
 */
export interface NativeAddon extends HotOpExports {
  /** The libtorch version the addon was compiled against (torch/version.h), e.g. "1.13.0". */
  readonly torchVersion: string;
  dispose(h: Handle): void;
  isDisposed(h: Handle): boolean;
  liveHandles(): number;
  /** Whether this thread's tensor handles are listed so its env's teardown frees them. */
  setHandleTracking(on: boolean): void;
  /** The function the addon calls to ask V8 for a scavenge (undefined: never). */
  setMinorGc(fn: (() => void) | undefined): void;
  /** native/memory: the block cache's and V8's external-memory figures (torch.memory.stats). */
  memoryStats(): { cachedBytes: number; cachedBlocks: number; externalBytes: number };
  memoryConfigure(cacheBytes: number | undefined, cacheSeconds: number | undefined): void;
  memoryEmptyCache(): void;

  /** native/interrupt.cpp: SIGINT/SIGTERM make the next op throw (src/core/run/interrupt.ts). */
  interruptInstall(): void;
  interruptUninstall(): void;
  interruptTake(): number;
  setInterruptErrorFactory(factory: (signalNumber: number) => Error): void;
  /** Ends the process (exit 124) when no op starts and the event loop does not turn for `seconds`. */
  heartbeatStart(seconds: number, label: string, logFile: string | null): void;
  heartbeatStop(): void;
  heartbeatTick(): void;

  fromBuffer(
    data: ArrayBufferView,
    sourceDtype: number,
    shape: readonly number[],
    dtype: MaybeDType,
    device: MaybeDevice,
    requiresGrad: boolean | undefined,
  ): Handle;
  empty(shape: readonly number[], dtype: MaybeDType, device: MaybeDevice): Handle;
  zeros(shape: readonly number[], dtype: MaybeDType, device: MaybeDevice): Handle;
  ones(shape: readonly number[], dtype: MaybeDType, device: MaybeDevice): Handle;
  rand(shape: readonly number[], dtype: MaybeDType, device: MaybeDevice): Handle;
  randn(shape: readonly number[], dtype: MaybeDType, device: MaybeDevice): Handle;
  full(shape: readonly number[], value: number | boolean | bigint, dtype: MaybeDType, device: MaybeDevice): Handle;
  randint(low: number, high: number, shape: readonly number[], dtype: MaybeDType, device: MaybeDevice): Handle;
  eye(n: number, m: number | undefined, dtype: MaybeDType, device: MaybeDevice): Handle;
  arange(start: number, end: number, step: number, dtype: MaybeDType, device: MaybeDevice): Handle;
  linspace(start: number, end: number, steps: number, dtype: MaybeDType, device: MaybeDevice): Handle;
  scalarTensor(value: number | boolean | bigint, dtype: MaybeDType, device: MaybeDevice): Handle;

  shape(h: Handle): number[];
  strides(h: Handle): number[];
  storageOffset(h: Handle): number;
  dtype(h: Handle): number;
  device(h: Handle): string;
  numel(h: Handle): number;
  dim(h: Handle): number;
  isContiguous(h: Handle): boolean;
  requiresGrad(h: Handle): boolean;
  setRequiresGrad(h: Handle, value: boolean): void;
  isLeaf(h: Handle): boolean;
  grad(h: Handle): Handle | undefined;
  setGrad(h: Handle, grad: Handle | undefined): void;
  gradFnName(h: Handle): string | null;
  elementSize(h: Handle): number;
  storageId(h: Handle): number | null;
  toBuffer(h: Handle): ArrayBuffer;
  storageBytes(h: Handle): ArrayBuffer;
  asStrided(h: Handle, shape: readonly number[], stride: readonly number[], storageOffset: number): Handle;
  item(h: Handle): number | boolean;

  clone(h: Handle): Handle;
  contiguous(h: Handle): Handle;
  detach(h: Handle): Handle;
  to(h: Handle, dtype: MaybeDType, device: MaybeDevice, copy: boolean | undefined): Handle | null;

  backward(h: Handle, gradient: Handle | undefined, retainGraph: boolean | undefined, createGraph: boolean | undefined): void;
  setGradEnabled(enabled: boolean): boolean;
  isGradEnabled(): boolean;
  enterInferenceMode(enabled: boolean): void;
  exitInferenceMode(): void;
  isInferenceModeEnabled(): boolean;
  isInference(h: Handle): boolean;

  manualSeed(seed: number | bigint): void;
  initialSeed(): bigint;
  setNumThreads(n: number): void;
  getNumThreads(): number;

  cudaIsAvailable(): boolean;
  cudaDeviceCount(): number;
  cudaSynchronize(device: number | undefined): void;
  cudaSetDevice(device: number): void;
  cudaCurrentDevice(): number;
  cudaMemoryStats(device: number | undefined): { allocated: number; maxAllocated: number; reserved: number; maxReserved: number };
  cudaEmptyCache(): void;

  opResolve(name: string, overloads: readonly string[], displayName?: string): number;
  /**
   * `into`: an empty handle for a single Tensor result (see scope.ts); unused for in-place and
   * tuple results. Positional values follow as arguments (at most 16), not in an array.
   */
  opCall(id: number, kwargs: object | undefined, self: Handle | undefined, into: Handle | undefined, ...positional: unknown[]): unknown;
  opList(): [name: string, overload: string, schema: string | null][];

  distributed?: NativeDistributed;

  // torch.Generator: a JS object wrapping a libtorch generator; undefined = the default one.
  generatorAttach(target: object, device: string): void;
  generatorManualSeed(gen: object | undefined, seed: number | bigint): void;
  generatorInitialSeed(gen: object | undefined): bigint;
  generatorSeed(gen: object | undefined): bigint;
  generatorGetState(gen: object | undefined): Handle;
  generatorSetState(gen: object | undefined, state: Handle): void;

  // Python-style indexing: items are integers, null, "...", booleans, handles, [start, stop, step].
  indexGet(h: Handle, items: readonly unknown[] | number, into?: Handle): Handle;
  indexPut(h: Handle, items: readonly unknown[], value: Handle | number | boolean | bigint): void;

  // autograd (native/autograd.cpp); callbacks run synchronously during backward.
  autogradGrad(
    outputs: readonly Handle[],
    inputs: readonly Handle[],
    gradOutputs: readonly (Handle | undefined)[] | undefined,
    retainGraph: boolean | undefined,
    createGraph: boolean | undefined,
    allowUnused: boolean | undefined,
  ): (Handle | undefined)[];
  autogradBackward(
    tensors: readonly Handle[],
    gradTensors: readonly (Handle | undefined)[] | undefined,
    retainGraph: boolean | undefined,
    createGraph: boolean | undefined,
    inputs: readonly Handle[] | undefined,
  ): void;
  registerHook(h: Handle, hook: (grad: Handle) => Handle | undefined): number;
  removeHook(h: Handle, id: number): void;
  setAnomalyEnabled(enabled: boolean): boolean;
  isAnomalyEnabled(): boolean;
  functionAttach(
    inputs: readonly Handle[],
    outputs: readonly Handle[],
    backward: (grads: (Handle | undefined)[]) => (Handle | undefined)[],
    name: string,
    materializeGrads?: boolean,
  ): Handle[];
  /** A post hook on the tensor's grad_fn node: (grads for its inputs, grads it received). */
  registerNodePostHook(
    h: Handle,
    hook: (gradInputs: (Handle | undefined)[], gradOutputs: (Handle | undefined)[]) => readonly (Handle | undefined | null)[] | undefined,
  ): void;
  /** A key naming each tensor's grad_fn node (null for none), equal for the same node. */
  gradFnKeys(hs: readonly Handle[]): (string | null)[];
  /** The keys of the tensor's grad_fn's next functions (null for an edge to nothing). */
  nextFunctionKeys(h: Handle): (string | null)[];
  /** libtorch 2.1+: a hook run after AccumulateGrad wrote the leaf's `.grad`. */
  registerPostAccumulateGradHook(h: Handle, hook: () => void): number;
  removePostAccumulateGradHook(h: Handle, id: number): void;
}

declare const storeBrand: unique symbol;
declare const groupBrand: unique symbol;
declare const reducerBrand: unique symbol;
export type StoreHandle = { readonly [storeBrand]: true };
export type GroupHandle = { readonly [groupBrand]: true };
export type ReducerHandle = { readonly [reducerBrand]: true };

/** native/distributed/c10d.cpp: c10d. Absent when the addon was built without Gloo's headers. */
export interface NativeDistributed {
  tcpStore(host: string, port: number, isServer: boolean, numWorkers: number, timeoutMs: number, waitWorkers: boolean): StoreHandle;
  storePort(store: StoreHandle): number;
  prefixStore(store: StoreHandle, prefix: string): StoreHandle;
  storeSet(store: StoreHandle, key: string, value: string | Uint8Array): void;
  storeGet(store: StoreHandle, key: string): Uint8Array;
  storeAdd(store: StoreHandle, key: string, amount: number): number;
  storeCheck(store: StoreHandle, keys: readonly string[]): boolean;
  storeDelete(store: StoreHandle, key: string): boolean;
  storeSetTimeout(store: StoreHandle, timeoutMs: number): void;
  storeClose(store: StoreHandle): void;
  processGroup(backend: "gloo" | "nccl", store: StoreHandle, rank: number, size: number, timeoutMs: number): GroupHandle;
  hasNccl(): boolean;
  groupClose(group: GroupHandle): void;
  allReduce(group: GroupHandle, tensors: readonly Handle[], op: number, timeoutMs: number): void;
  broadcast(group: GroupHandle, tensors: readonly Handle[], root: number, timeoutMs: number): void;
  broadcastCoalesced(group: GroupHandle, tensors: readonly Handle[], root: number, bufferBytes: number): void;
  allGather(group: GroupHandle, outputs: readonly Handle[], input: Handle, timeoutMs: number): void;
  reduceScatter(group: GroupHandle, output: Handle, inputs: readonly Handle[], op: number, timeoutMs: number): void;
  barrier(group: GroupHandle, timeoutMs: number): void;
  reducer(
    group: GroupHandle,
    params: readonly Handle[],
    bucketCapBytes: number,
    findUnusedParameters: boolean,
    gradientAsBucketView: boolean,
    names: readonly string[],
  ): ReducerHandle;
  reducerPrepareForward(reducer: ReducerHandle): void;
  reducerPrepareBackward(reducer: ReducerHandle, outputs: readonly Handle[]): void;
  reducerClose(reducer: ReducerHandle): void;
}

/** Where the addon is built (`npm run build:native`), relative to the package root. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("pystematic: cannot find the package root");
    dir = parent;
  }
  return dir;
}

let addon: NativeAddon | undefined;

/** The addon, loading libtorch on the first call. */
export function loadNative(): NativeAddon {
  if (addon) return addon;
  const path = process.env.PYSTEMATIC_NATIVE ?? nativeAddonPath(join(packageRoot(), "build"));
  if (!existsSync(path)) {
    throw new Error(
      `pystematic/torch: the native addon is not built (${path} is missing). Run \`npm run setup\` ` +
        "(installs libtorch on Debian and builds it) or `npm run build:native` with LIBTORCH pointing at a libtorch.",
    );
  }
  // The addon's exports object gets its ~100 functions one by one, which leaves it a hash table
  // (a dictionary-mode object): optimized code then looked every `N.add` up through V8's
  // generic load builtin. A prototype is kept as a fast object, and loads through it inline.
  addon = Object.create(createRequire(import.meta.url)(path) as object) as NativeAddon;
  addon.setMinorGc(minorGc());
  // The main thread's env ends with the process: its handles need no list for teardown.
  addon.setHandleTracking(!isMainThread);
  for (const hook of onLoadHooks) hook(addon);
  return addon;
}

/** True once libtorch has been loaded in this process. */
export function isNativeLoaded(): boolean {
  return addon !== undefined;
}

const onLoadHooks: ((addon: NativeAddon) => void)[] = [];
/**
 * `gc({type: "minor"})`, which the addon calls after every few MB of fresh tensors so dead ones
 * are freed while their memory is still warm (native/memory/accounting.cpp). V8 exposes `gc` to
 * contexts made after --expose-gc is set; the main context's globals stay as they were.
 */
function minorGc(): (() => void) | undefined {
  type Gc = (options: { type: "minor" }) => void;
  let gc = (globalThis as { gc?: Gc }).gc;
  if (gc === undefined) {
    v8.setFlagsFromString("--expose-gc");
    gc = vm.runInNewContext("gc") as Gc | undefined;
  }
  if (typeof gc !== "function") return undefined;
  const collect = gc;
  return () => collect({ type: "minor" });
}

/** Runs `hook` when libtorch loads (at once if it already has): seeding, op tables. */
export function onNativeLoad(hook: (addon: NativeAddon) => void): void {
  if (addon) hook(addon);
  else onLoadHooks.push(hook);
}
