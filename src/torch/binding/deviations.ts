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
    qualname: "torch.nn.Module.zero_grad",
    what: "setToNone defaults to true (false in 1.13)",
    why: "PyTorch 2.x's default, as Optimizer.zeroGrad's",
  },
  {
    qualname: "torch.nn.Module.register_forward_hook",
    what: "nn.Module's methods take 2.x's parameters on 1.13 too: registerForwardHook's prepend, withKwargs and alwaysCall, registerForwardPreHook's prepend and withKwargs, registerFullBackwardHook's prepend, loadStateDict's assign, namedParameters/namedBuffers' removeDuplicate, toEmpty's recurse; registerFullBackwardPreHook, registerStateDictPreHook/PostHook, registerLoadStateDictPreHook and setSubmodule exist on 1.13 too",
    why: "PyTorch 2.x's signatures (scripts/signatures/overrides.py): the hooks and state dicts are TypeScript, so a 2.x program runs on 1.13 unchanged",
  },
  {
    qualname: "torch.nn.CircularPad1d",
    what: "ZeroPad1d, ZeroPad3d, CircularPad1d/2d/3d, LPPool3d, RMSNorm, Buffer and optim.Adafactor exist on 1.13 too (scripts/signatures/overrides.py NEWER)",
    why: "PyTorch 2.x's names: a 2.x program runs on 1.13 unchanged, with the values F.pad gives",
  },
];

/**
 * Parameters of the running version's signatures that this implementation does not honour: given
 * with any value but Python's default, the binder throws a TypeError saying why (never ignored).
 * Keyed by qualname, then Python's parameter name.
 */
export const unsupportedArguments: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "torch.nn.MultiheadAttention.forward": { is_causal: "the is_causal hint is not implemented: pass the causal attn_mask" },
  "torch.nn.Module.to": { memory_format: "memory formats (channels_last) are not implemented: parameters keep their layout" },
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
