// The torch binding's entry: the `torch` namespace as named exports, as a namespace and as the
// default export. Not a package export itself: `pystematic/torch` (src/torch-plugin/index.ts)
// re-exports it with the plugin. Importing it must not load libtorch: the addon loads on first
// use of a tensor.
import * as torch from "./torch.js";

export * from "./torch.js";
export { torch };
export default torch;
