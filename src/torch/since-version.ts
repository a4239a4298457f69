// Callables Python torch added in 2.x: on libtorch 1.13 they throw an Error naming the version,
// as the op layer does for ops this libtorch lacks (their signatures exist only in 2.x's table).
import { version } from "./version.js";

/** Throws unless the running libtorch is 2.x; `name` as the user calls it (`torch.unravelIndex`). */
export function requireTorch2(name: string): void {
  if (version.major < 2) {
    throw new Error(`${name}() is PyTorch 2.x API, absent from Python torch ${version.major}.${version.minor}; this libtorch is ${version.__version__}`);
  }
}
