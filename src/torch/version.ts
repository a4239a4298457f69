// torch.version: which libtorch is running, as Python's torch.version module says.
import { loadNative } from "./native.js";

/**
 * The running libtorch's version, as Python's `torch.version` (`torch.version.__version__`).
 * Reading it loads libtorch.
 *
 * @example
 * if (torch.version.major >= 2) useFlashAttention();
 */
export const version = {
  /** The full version string the addon was compiled against, e.g. "1.13.0" or "2.6.0". */
  get __version__(): string {
    return loadNative().torchVersion;
  },
  /** The major version number (1 or 2). */
  get major(): number {
    return Number(loadNative().torchVersion.split(".")[0]);
  },
  /** The minor version number. */
  get minor(): number {
    return Number(loadNative().torchVersion.split(".")[1]);
  },
};
