// torch.stft (Python's wrapper: centred frames by default) and torch.istft.
import type { Tensor } from "../tensor/tensor.js";
import { bind, type ArgsOf } from "../binding/index.js";
import { atenTensor } from "./raw.js";

/**
 * The short-time Fourier transform of a signal, with torch 1.13's defaults: frames centred
 * (`center: true`, the input padded by `nFft / 2` on both sides with `padMode: "reflect"`),
 * `hopLength` `floor(nFft / 4)`, `winLength` `nFft`, a rectangular window, one-sided for real
 * input. Without `returnComplex`, real input gives the real view (PyTorch warns about it).
 *
 * Args:
 *   input: [L] or [B, L]. nFft, hopLength, winLength, window, center, padMode, normalized,
 *     onesided, returnComplex (positional in Python's order or options).
 *
 * Shape: [(B,) nFft / 2 + 1, frames] complex, or [..., 2] real when `returnComplex` is false.
 *
 * @example
 * const spec = torch.stft(x, 16, { window: torch.hannWindow(16), returnComplex: true });
 */
export function stft(...args: ArgsOf<"torch.stft">): Tensor {
  const a = bind("torch.stft", args);
  // The op's `center` overload pads exactly as torch/functional.py's stft does before calling it.
  return atenTensor("stft", a.input, a.nFft, {
    hopLength: a.hopLength,
    winLength: a.winLength,
    window: a.window,
    center: a.center,
    padMode: a.padMode,
    normalized: a.normalized,
    onesided: a.onesided,
    returnComplex: a.returnComplex,
  });
}

/**
 * The inverse of `stft`: a signal from its (complex) short-time Fourier transform, with the
 * same defaults (`center: true`).
 *
 * Args:
 *   input: the complex STFT [(B,) freq, frames]. nFft, hopLength, winLength, window, center,
 *     normalized, onesided, length, returnComplex.
 *
 * @example
 * const y = torch.istft(spec, 16, { window, length: x.shape[0] });
 */
export function istft(...args: ArgsOf<"torch.istft">): Tensor {
  const a = bind("torch.istft", args);
  return atenTensor("istft", a.input, a.nFft, {
    hopLength: a.hopLength,
    winLength: a.winLength,
    window: a.window,
    center: a.center,
    normalized: a.normalized,
    onesided: a.onesided,
    length: a.length,
    returnComplex: a.returnComplex,
  });
}
