"""Documented signatures for callables whose Python signature is (*args, **kwargs), and narrower
type tokens for parameters Python annotates loosely. Each is Python's own documented form."""
import torch

Tensor = torch.Tensor


def _rnn(input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
         dropout=0.0, bidirectional=False, device=None, dtype=None): ...


def _lstm(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
          bidirectional=False, proj_size=0, device=None, dtype=None): ...


def _gru(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
         bidirectional=False, device=None, dtype=None): ...


def _module_to(device=None, dtype=None, non_blocking=False, *, memory_format=None): ...


def _step(closure=None): ...


def _no_arguments(): ...


def _unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): ...


def _unique_consecutive(input, return_inverse=False, return_counts=False, dim=None): ...


OVERRIDES = {
    "torch.nn.RNN": _rnn,
    "torch.nn.LSTM": _lstm,
    "torch.nn.GRU": _gru,
    "torch.nn.Module.to": _module_to,
    "torch.optim.Adam.step": _step,
    "torch.optim.RMSprop.step": _step,
    "torch.optim.SGD.step": _step,
    "torch.utils.data.Dataset": _no_arguments,
    "torch.utils.data.IterableDataset": _no_arguments,
    "torch.distributions.constraints.Constraint": _no_arguments,
    "torch.enable_grad": _no_arguments,
    "torch.unique": _unique,
    "torch.unique_consecutive": _unique_consecutive,
}

TYPE_OVERRIDES = {
    "torch.nn.Conv1d.padding_mode": "str",
    "torch.nn.Module.to.device": "device|dtype|Tensor|None",
    "torch.nn.functional.interpolate.size": "int|int[]|None",
    "torch.nn.functional.interpolate.scale_factor": "float|float[]|None",
    "torch.nn.functional.upsample.size": "int|int[]|None",
    "torch.nn.functional.upsample.scale_factor": "float|float[]|None",
    "torch.nn.functional.upsample.align_corners": "bool|None",
    "torch.nn.functional.upsample_nearest.size": "int|int[]|None",
    "torch.nn.functional.upsample_nearest.scale_factor": "float|float[]|None",
    "torch.nn.functional.upsample_bilinear.size": "int|int[]|None",
    "torch.nn.functional.upsample_bilinear.scale_factor": "float|float[]|None",
    "torch.nn.functional.one_hot.tensor": "Tensor",
    **{f"torch.nn.init.{name}.tensor": "Tensor" for name in ("dirac_", "dirac", "eye_", "eye", "orthogonal_", "orthogonal", "sparse_", "sparse")},
    "torch.nn.init.sparse_.sparsity": "float",
    "torch.nn.init.sparse.sparsity": "float",
    "torch.nn.init.calculate_gain.nonlinearity": "str",
    "torch.nn.init.calculate_gain.param": "float|None",
    **{f"torch.nn.functional.adaptive_{kind}_pool{n}d{suffix}.output_size": "any"  # ints or None (keep the input's)
       for kind in ("avg", "max") for n in (1, 2, 3) for suffix in ("", "_with_indices")},
    "torch.nn.functional.ctc_loss.input_lengths": "Tensor|int[]",
    "torch.nn.functional.ctc_loss.target_lengths": "Tensor|int[]",
    "torch.nn.functional.pad.pad": "int[]",
    "torch.nn.functional.avg_pool2d.divisor_override": "int|None",
    "torch.nn.functional.avg_pool3d.divisor_override": "int|None",
}

# Callables whose Python signature really is (*args, **kwargs): every argument is passed on.
VARIADIC = {
    "torch.nn.Identity",
    "torch.nn.Module.__call__",
    "torch.nn.ParameterList.__call__",
    "torch.nn.DataParallel.forward",
    "torch.nn.utils.rnn.PackedSequence.to",
    "torch.nn.utils.rnn.PackedSequence.cuda",
    "torch.nn.utils.rnn.PackedSequence.cpu",
    "torch.Tensor.rename",
    "torch.Tensor.rename_",
}

# Deprecated aliases wrapped as (*args, **kwargs): they take the signature of what they call.
DEPRECATED_ALIASES = {
    f"torch.nn.init.{name}": f"torch.nn.init.{name}_"
    for name in ["uniform", "normal", "constant", "eye", "dirac", "xavier_uniform", "xavier_normal",
                 "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse"]
}
