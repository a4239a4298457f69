// The deliberate deviations from Python torch 1.13's signatures and behaviour, in one place: we
// follow PyTorch 2.x where 1.13 differs. Each entry names the callable, what differs, and why;
// tests check each one.

export interface Deviation {
  /** Python's qualified name of the callable. */
  readonly qualname: string;
  /** What we do differently from 1.13. */
  readonly what: string;
  /** Why. */
  readonly why: string;
}

export const deviations: readonly Deviation[] = [
  {
    qualname: "torch.optim.Optimizer.zero_grad",
    what: "setToNone defaults to true",
    why: "PyTorch 2.x's default: less memory, and the next backward writes the gradient instead of adding to zeros",
  },
  {
    qualname: "torch.optim.SGD",
    what: "lr defaults to 1e-3 (required in 1.13)",
    why: "PyTorch 2.x's default",
  },
  {
    qualname: "torch.utils.data.BatchSampler",
    what: "dropLast defaults to false (required in 1.13)",
    why: "a BatchSampler built by hand usually keeps its last batch; DataLoader's own dropLast also defaults to false",
  },
  {
    qualname: "torch.nn.Transformer",
    what: "Transformer, TransformerEncoderLayer and TransformerDecoderLayer take `bias` (before device, dtype); the forwards of those and of TransformerEncoder/Decoder take the isCausal hints (srcIsCausal, tgtIsCausal, memoryIsCausal, isCausal)",
    why: "PyTorch 2.x's signatures: a 2.x program's positional device/dtype and hints bind the same on every version",
  },
  {
    qualname: "torch.nn.Transformer.generate_square_subsequent_mask",
    what: "takes (sz, device, dtype); device defaults to null (the CPU) instead of 'cpu'",
    why: "PyTorch 2.x's signature",
  },
  {
    qualname: "torch.nn.CircularPad1d",
    what: "ZeroPad1d, ZeroPad3d, CircularPad1d/2d/3d, LPPool3d, RMSNorm, Buffer and optim.Adafactor exist on 1.13 too (scripts/signatures/overrides.py NEWER)",
    why: "PyTorch 2.x's names: a 2.x program runs on 1.13 unchanged, with the values F.pad gives",
  },
];
