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
];
