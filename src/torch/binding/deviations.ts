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
    qualname: "torch.nn.utils.clip_grad_norm_",
    what: "takes foreach (null), as clip_grad_norm and clip_grad_value_ do",
    why: "PyTorch 2.x's signature; foreach=true on CPU tensors is Python 2.x's error",
  },
  {
    qualname: "torch.nn.utils.rnn.pad_sequence",
    what: "takes paddingSide (\"right\"; \"left\" pads before each sequence)",
    why: "PyTorch 2.x's signature",
  },
  {
    qualname: "torch.nn.utils.stateless.functional_call",
    what: "args defaults to null; keyword-only tieWeights (true) and strict (false)",
    why: "PyTorch 2.x's signature (torch.func.functional_call's)",
  },
  {
    qualname: "torch.nn.utils.get_total_norm",
    what: "present on 1.13 too, as are clip_grads_with_norm_, fuse_linear_bn_eval/weights, convert_conv3d_weight_memory_format and parametrizations.weight_norm",
    why: "PyTorch 2.x's additions (scripts/signatures/overrides.py ADDED_IN_2X)",
  },
];

/**
 * Parameters of the running version's signatures that this implementation does not honour: given
 * with any value but Python's default, the binder throws a TypeError saying why (never ignored).
 * Keyed by qualname, then Python's parameter name.
 */
export const unsupportedArguments: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "torch.nn.MultiheadAttention.forward": { is_causal: "the is_causal hint is not implemented: pass the causal attn_mask" },
  "torch.nn.functional.l1_loss": { weight: "per-element loss weights are not implemented" },
  "torch.nn.functional.mse_loss": { weight: "per-element loss weights are not implemented" },
  "torch.nn.functional.huber_loss": { weight: "per-element loss weights are not implemented" },
  ...Object.fromEntries(
    ["ASGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "RMSprop", "Rprop", "SGD"].map((name) => [
      `torch.optim.${name}`,
      {
        capturable: "CUDA-graph capture is not available from TypeScript",
        differentiable: "differentiating through the optimizer step is not implemented",
        fused: "fused CUDA kernels are not bound; foreach is used",
      },
    ]),
  ),
};
