"""Documented signatures for callables whose Python signature is (*args, **kwargs), and narrower
type tokens for parameters Python annotates loosely. Each is Python's own documented form."""
import typing

import torch
import torch.distributions

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
# optim: PyTorch 2.x's signatures where 1.13 differs (listed in src/torch/binding/deviations.ts).
def _sgd(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False,
         foreach=None, differentiable=False): ...


def _zero_grad(set_to_none=True): ...


# torch.finfo / torch.iinfo: classes of torch._C with (*args, **kwargs); their documented forms.
def _finfo(type=None): ...


def _iinfo(type): ...


# torch.asarray: 2.x's stub drops the defaults of dtype and device; its documented form.
def _asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False): ...


# torch.from_numpy: 2.x's docstring form names no parameter; Python's documented name.
def _from_numpy(ndarray): ...


OVERRIDES = {
    "torch.finfo": _finfo,
    "torch.iinfo": _iinfo,
    "torch.asarray": _asarray,
    "torch.from_numpy": _from_numpy,
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
    "torch.optim.SGD": _sgd,
    "torch.optim.Optimizer.zero_grad": _zero_grad,
    # torch 2.x: Module.__init__(*args, **kwargs) hides the no-argument constructors of these modules.
    **{f"torch.nn.{name}": _no_arguments
       for name in ("Module", "LogSigmoid", "Sigmoid", "Softmax2d", "Softsign", "Tanh", "Tanhshrink")},
}

TYPE_OVERRIDES = {
    # lr_scheduler: a value per param group is allowed where Python's default is one number
    "torch.optim.lr_scheduler.ReduceLROnPlateau.min_lr": "float|float[]",
    "torch.optim.lr_scheduler.OneCycleLR.base_momentum": "float|float[]",
    "torch.optim.lr_scheduler.OneCycleLR.max_momentum": "float|float[]",
    "torch.optim.lr_scheduler.CyclicLR.base_momentum": "float|float[]",
    "torch.optim.lr_scheduler.CyclicLR.max_momentum": "float|float[]",
    "torch.nn.Conv1d.padding_mode": "str",
    # torch 2.x leaves these unannotated; 1.13's stubs say a number.
    **{f"torch.nn.functional.{name}": "float" for name in (
        "celu_.alpha", "hardshrink.lambd", "rrelu_.lower", "rrelu_.upper", "threshold_.threshold", "threshold_.value")},
    # torch 2.x's stubs type the first overload only; the padding strings ("same", "valid") stay valid.
    **{f"torch.nn.functional.conv{n}d.padding": "int|int[]|str" for n in (1, 2, 3)},
    # torch 2.x: `verbose="deprecated"`; True/False still work there (with a warning).
    **{f"torch.optim.lr_scheduler.{name}.verbose": "bool|str" for name in (
        "ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR",
        "ExponentialLR", "LRScheduler", "LambdaLR", "LinearLR", "MultiStepLR", "MultiplicativeLR", "OneCycleLR",
        "PolynomialLR", "ReduceLROnPlateau", "SequentialLR", "StepLR", "_LRScheduler")},
    # torch 2.x takes a Tensor lr (for capturable/compiled steps); here lr is a number (deviations.ts).
    **{f"torch.optim.{name}.lr": "float" for name in (
        "ASGD", "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "LBFGS", "NAdam", "RAdam",
        "RMSprop", "Rprop", "SGD", "SparseAdam")},
    # torch.distributions: parameters typed `float` from a numeric default (`loc=0.`) take a Tensor too.
    **{f"torch.distributions.{name}": "float|Tensor" for name in (
        "Binomial.total_count", "StudentT.loc", "StudentT.scale", "LKJCholesky.concentration")},
    # torch.distributions: shapes are lists of ints on both versions (torch 2.x annotates `_size`, 1.13 nothing).
    "torch.distributions.Distribution.sample.sample_shape": "int[]",
    "torch.distributions.Distribution.rsample.sample_shape": "int[]",
    "torch.distributions.Distribution.expand.batch_shape": "int[]",
    # ... and so in every subclass that defines these methods itself (their parameters are unannotated).
    **{f"torch.distributions.{cls}.{method}.{param}": "int[]"
       for cls in torch.distributions.__all__ if isinstance(getattr(torch.distributions, cls), type)
       for method, param in (("sample", "sample_shape"), ("rsample", "sample_shape"), ("expand", "batch_shape"))
       if method in vars(getattr(torch.distributions, cls))},
    "torch.distributions.Distribution.sample_n.n": "int",
    "torch.nn.Module.to.device": "int|device|dtype|Tensor|None",
    "torch.nn.Module.cuda.device": "int|device|None",
    "torch.nn.Module.add_module.module": "Module|None",
    "torch.nn.Module.register_module.module": "Module|None",
    "torch.nn.Module.named_modules.memo": "Set|None",
    "torch.nn.Module.state_dict.destination": "dict|None",
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
    # nn modules (api-nn): types Python leaves unannotated or annotates too narrowly.
    "torch.nn.BatchNorm1d.momentum": "float|None",
    "torch.nn.BatchNorm2d.momentum": "float|None",
    "torch.nn.BatchNorm3d.momentum": "float|None",
    "torch.nn.SyncBatchNorm.momentum": "float|None",
    "torch.nn.LazyBatchNorm1d.momentum": "float|None",
    "torch.nn.LazyBatchNorm2d.momentum": "float|None",
    "torch.nn.LazyBatchNorm3d.momentum": "float|None",
    "torch.nn.RNN.input_size": "int",
    "torch.nn.RNN.hidden_size": "int",
    "torch.nn.LSTM.input_size": "int",
    "torch.nn.LSTM.hidden_size": "int",
    "torch.nn.GRU.input_size": "int",
    "torch.nn.GRU.hidden_size": "int",
    "torch.nn.MultiheadAttention.embed_dim": "int",
    "torch.nn.MultiheadAttention.num_heads": "int",
    "torch.nn.MultiheadAttention.kdim": "int|None",
    "torch.nn.MultiheadAttention.vdim": "int|None",
    "torch.nn.LayerNorm.normalized_shape": "int|int[]",
    "torch.nn.TransformerEncoder.encoder_layer": "Module",
    "torch.nn.TransformerEncoder.num_layers": "int",
    "torch.nn.TransformerEncoder.norm": "Module|None",
    "torch.nn.TransformerDecoder.decoder_layer": "Module",
    "torch.nn.TransformerDecoder.num_layers": "int",
    "torch.nn.TransformerDecoder.norm": "Module|None",
    "torch.nn.Transformer.custom_encoder": "Module|None",
    "torch.nn.Transformer.custom_decoder": "Module|None",
    "torch.nn.Unflatten.unflattened_size": "int[]",
    "torch.nn.ModuleDict.modules": "dict|any|None",
    "torch.nn.Parameter.data": "Tensor|None",  # a mapping or an iterable of (key, module) pairs
    "torch.nn.AdaptiveLogSoftmaxWithLoss.cutoffs": "int[]",
    "torch.nn.LSTM.forward.input": "Tensor|PackedSequence",
    "torch.nn.GRU.forward.input": "Tensor|PackedSequence",
    "torch.nn.RNN.forward.input": "Tensor|PackedSequence",
    "torch.nn.LSTM.forward.hx": "Tensor[2]|None",
    "torch.nn.GRU.forward.hx": "Tensor|None",
    "torch.nn.RNN.forward.hx": "Tensor|None",
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
    "torch.utils.data.StackDataset",  # torch 2.x: datasets positionally (a tuple) or by name (a dict)
}

# Deprecated aliases wrapped as (*args, **kwargs): they take the signature of what they call.
DEPRECATED_ALIASES = {
    f"torch.nn.init.{name}": f"torch.nn.init.{name}_"
    for name in ["uniform", "normal", "constant", "eye", "dirac", "xavier_uniform", "xavier_normal",
                 "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse"]
}


# ---- torch factories and torch.functional helpers (api-torch): Python's documented forms. ----
# Tensor options spelled as our strings: layout "strided", memory_format "contiguous_format".
_Out = typing.Optional[torch.Tensor]
_Gen = typing.Optional[torch.Generator]
def _sized(*size, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False): ...
def _sized_pinned(*size, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False, pin_memory=False): ...
def _empty(*size, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False, pin_memory=False, memory_format="contiguous_format"): ...
def _random(*size, generator: _Gen = None, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False, pin_memory=False): ...
def _full(size, fill_value, *, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False): ...
def _randint(low=0, high=None, size=None, *, generator: _Gen = None, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False): ...
def _arange(start=0, end=None, step=1, *, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False): ...
def _linspace(start, end, steps, *, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False): ...
def _logspace(start, end, steps, base=10.0, *, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False): ...
def _eye(n, m=None, *, out: _Out = None, dtype=None, layout="strided", device=None, requires_grad=False): ...
def _like(input, *, dtype=None, layout: _Out = None, device=None, requires_grad=False, memory_format="preserve_format"): ...
def _full_like(input, fill_value, *, dtype=None, layout: _Out = None, device=None, requires_grad=False, memory_format="preserve_format"): ...
def _randint_like(input, low=0, high=None, *, dtype=None, layout: _Out = None, device=None, requires_grad=False, memory_format="preserve_format"): ...
def _tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False): ...
def _as_tensor(data, dtype=None, device=None): ...
def _unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): ...
def _unique_consecutive(input, return_inverse=False, return_counts=False, dim=None): ...
def _istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True, normalized=False, onesided=None, length=None, return_complex=False): ...
def _get_default_dtype(): ...
def _scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: _Out = None, dropout_p: float = 0.0, is_causal: bool = False, *, scale: typing.Optional[float] = None, enable_gqa: bool = False): ...


OVERRIDES.update({
    "torch.zeros": _sized,
    "torch.ones": _sized,
    "torch.empty": _empty,
    "torch.rand": _random,
    "torch.randn": _random,
    "torch.full": _full,
    "torch.randint": _randint,
    "torch.arange": _arange,
    "torch.linspace": _linspace,
    "torch.logspace": _logspace,
    "torch.eye": _eye,
    "torch.zeros_like": _like,
    "torch.ones_like": _like,
    "torch.empty_like": _like,
    "torch.rand_like": _like,
    "torch.randn_like": _like,
    "torch.full_like": _full_like,
    "torch.randint_like": _randint_like,
    "torch.tensor": _tensor,
    "torch.as_tensor": _as_tensor,
    "torch.unique": _unique,
    "torch.unique_consecutive": _unique_consecutive,
    "torch.istft": _istft,
    "torch.get_default_dtype": _get_default_dtype,
    "torch.nn.functional.scaled_dot_product_attention": _scaled_dot_product_attention,
})

TYPE_OVERRIDES.update({
    "torch.zeros.size": "int", "torch.ones.size": "int", "torch.empty.size": "int",
    "torch.rand.size": "int", "torch.randn.size": "int",
    "torch.full.size": "int[]", "torch.randint.size": "int[]",
    "torch.randint.low": "int", "torch.randint.high": "int|None",
    "torch.randint_like.low": "int", "torch.randint_like.high": "int|None",
    "torch.arange.start": "float", "torch.arange.end": "float|None", "torch.arange.step": "float",
    "torch.linspace.start": "float", "torch.linspace.end": "float", "torch.linspace.steps": "int",
    "torch.logspace.start": "float", "torch.logspace.end": "float", "torch.logspace.steps": "int", "torch.logspace.base": "float",
    "torch.eye.n": "int", "torch.eye.m": "int|None",
    "torch.unique.input": "Tensor", "torch.unique.dim": "int|None",
    "torch.unique_consecutive.input": "Tensor", "torch.unique_consecutive.dim": "int|None",
    "torch.istft.input": "Tensor", "torch.istft.n_fft": "int", "torch.istft.window": "Tensor|None",
    "torch.tensordot.a": "Tensor", "torch.tensordot.b": "Tensor", "torch.tensordot.dims": "any",
    "torch.norm.input": "Tensor", "torch.norm.p": "any",
    "torch.cdist.x1": "Tensor", "torch.cdist.x2": "Tensor", "torch.cdist.compute_mode": "str",
    "torch.lu.A": "Tensor",
    "torch.Tensor.norm.p": "any", "torch.Tensor.split.dim": "int",
})


# ---- nn.utils: PyTorch 2.x's forms where 1.13 differs (listed in src/torch/binding/deviations.ts). ----
_Params = typing.Union[torch.Tensor, typing.Iterable[torch.Tensor]]
def _clip_grad_norm(parameters: _Params, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach: typing.Optional[bool] = None): ...
def _clip_grad_value(parameters: _Params, clip_value: float, foreach: typing.Optional[bool] = None): ...
def _clip_grads_with_norm(parameters: _Params, max_norm: float, total_norm: torch.Tensor, foreach: typing.Optional[bool] = None): ...
def _get_total_norm(tensors: _Params, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach: typing.Optional[bool] = None): ...
def _convert_weight_memory_format(module, memory_format): ...
def _fuse_linear_bn_eval(linear, bn): ...
def _fuse_linear_bn_weights(linear_w, linear_b, bn_rm, bn_rv, bn_eps, bn_w, bn_b): ...
def _pad_sequence(sequences: typing.Union[torch.Tensor, typing.List[torch.Tensor]], batch_first: bool = False, padding_value: float = 0.0, padding_side: str = "right"): ...
def _weight_norm_parametrization(module: torch.nn.Module, name: str = "weight", dim: int = 0): ...
def _functional_call(module: torch.nn.Module, parameters_and_buffers, args=None, kwargs=None, *, tie_weights: bool = True, strict: bool = False): ...


OVERRIDES.update({
    "torch.nn.utils.clip_grad_norm_": _clip_grad_norm,
    "torch.nn.utils.clip_grad_norm": _clip_grad_norm,
    "torch.nn.utils.clip_grad_value_": _clip_grad_value,
    "torch.nn.utils.rnn.pad_sequence": _pad_sequence,
    "torch.nn.utils.stateless.functional_call": _functional_call,
})

# Callables PyTorch 2.x added: the table has them on every version (their 2.x form).
ADDED_IN_2X = {
    "torch.nn.utils.clip_grads_with_norm_": _clip_grads_with_norm,
    "torch.nn.utils.get_total_norm": _get_total_norm,
    "torch.nn.utils.convert_conv3d_weight_memory_format": _convert_weight_memory_format,
    "torch.nn.utils.fuse_linear_bn_eval": _fuse_linear_bn_eval,
    "torch.nn.utils.fuse_linear_bn_weights": _fuse_linear_bn_weights,
    "torch.nn.utils.parametrizations.weight_norm": _weight_norm_parametrization,
}

TYPE_OVERRIDES.update({
    "torch.nn.utils.rnn.pack_padded_sequence.lengths": "Tensor|int[]",
    "torch.nn.utils.rnn.pad_packed_sequence.sequence": "PackedSequence",
    "torch.nn.utils.rnn.unpack_sequence.packed_sequences": "PackedSequence",
    "torch.nn.utils.rnn.unpad_sequence.lengths": "Tensor|int[]",
    "torch.nn.utils.rnn.PackedSequence.data": "Tensor",
    "torch.nn.utils.rnn.PackedSequence.batch_sizes": "Tensor|None",
    "torch.nn.utils.rnn.PackedSequence.sorted_indices": "Tensor|None",
    "torch.nn.utils.rnn.PackedSequence.unsorted_indices": "Tensor|None",
    "torch.nn.utils.parameters_to_vector.parameters": "any",
    "torch.nn.utils.vector_to_parameters.parameters": "any",
    "torch.nn.utils.weight_norm.module": "Module",
    "torch.nn.utils.weight_norm.dim": "int|None",
    "torch.nn.utils.parametrizations.weight_norm.dim": "int|None",
    "torch.nn.utils.remove_weight_norm.module": "Module",
    "torch.nn.utils.spectral_norm.module": "Module",
    "torch.nn.utils.remove_spectral_norm.module": "Module",
    "torch.nn.utils.convert_conv2d_weight_memory_format.module": "Module",
    "torch.nn.utils.convert_conv3d_weight_memory_format.module": "Module",
    "torch.nn.utils.convert_conv2d_weight_memory_format.memory_format": "str",
    "torch.nn.utils.convert_conv3d_weight_memory_format.memory_format": "str",
    "torch.nn.utils.fuse_conv_bn_eval.conv": "Module",
    "torch.nn.utils.fuse_conv_bn_eval.bn": "Module",
    "torch.nn.utils.fuse_linear_bn_eval.linear": "Module",
    "torch.nn.utils.fuse_linear_bn_eval.bn": "Module",
    **{f"torch.nn.utils.fuse_{kind}_bn_weights.{name}": token
       for kind in ("conv", "linear")
       for name, token in (("bn_rm", "Tensor"), ("bn_rv", "Tensor"), ("bn_eps", "float"), ("bn_w", "Tensor|None"), ("bn_b", "Tensor|None"))},
    "torch.nn.utils.fuse_conv_bn_weights.conv_w": "Tensor",
    "torch.nn.utils.fuse_conv_bn_weights.conv_b": "Tensor|None",
    "torch.nn.utils.fuse_linear_bn_weights.linear_w": "Tensor",
    "torch.nn.utils.fuse_linear_bn_weights.linear_b": "Tensor|None",
    "torch.nn.utils.stateless.functional_call.module": "Module",
    "torch.nn.utils.stateless.functional_call.parameters_and_buffers": "dict",
    "torch.nn.utils.stateless.functional_call.kwargs": "dict|None",
})


# ---- nn: PyTorch 2.x's signatures where 1.13 differs (listed in src/torch/binding/deviations.ts). ----
_Act = typing.Union[str, typing.Callable[[Tensor], Tensor]]
_OptTensor = typing.Optional[Tensor]


def _transformer(d_model: int = 512, nhead: int = 8, num_encoder_layers: int = 6, num_decoder_layers: int = 6,
                 dim_feedforward: int = 2048, dropout: float = 0.1, activation: _Act = torch.nn.functional.relu,
                 custom_encoder: typing.Optional[torch.nn.Module] = None,
                 custom_decoder: typing.Optional[torch.nn.Module] = None, layer_norm_eps: float = 1e-5,
                 batch_first: bool = False, norm_first: bool = False, bias: bool = True, device=None, dtype=None): ...


def _transformer_layer(d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                       activation: _Act = torch.nn.functional.relu, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                       norm_first: bool = False, bias: bool = True, device=None, dtype=None): ...


def _transformer_forward(src: Tensor, tgt: Tensor, src_mask: _OptTensor = None, tgt_mask: _OptTensor = None,
                         memory_mask: _OptTensor = None, src_key_padding_mask: _OptTensor = None,
                         tgt_key_padding_mask: _OptTensor = None, memory_key_padding_mask: _OptTensor = None,
                         src_is_causal: typing.Optional[bool] = None, tgt_is_causal: typing.Optional[bool] = None,
                         memory_is_causal: bool = False): ...


def _encoder_layer_forward(src: Tensor, src_mask: _OptTensor = None, src_key_padding_mask: _OptTensor = None,
                           is_causal: bool = False): ...


def _encoder_forward(src: Tensor, mask: _OptTensor = None, src_key_padding_mask: _OptTensor = None,
                     is_causal: typing.Optional[bool] = None): ...


def _decoder_layer_forward(tgt: Tensor, memory: Tensor, tgt_mask: _OptTensor = None, memory_mask: _OptTensor = None,
                           tgt_key_padding_mask: _OptTensor = None, memory_key_padding_mask: _OptTensor = None,
                           tgt_is_causal: bool = False, memory_is_causal: bool = False): ...


def _decoder_forward(tgt: Tensor, memory: Tensor, tgt_mask: _OptTensor = None, memory_mask: _OptTensor = None,
                     tgt_key_padding_mask: _OptTensor = None, memory_key_padding_mask: _OptTensor = None,
                     tgt_is_causal: typing.Optional[bool] = None, memory_is_causal: bool = False): ...


def _square_subsequent_mask(sz: int, device=None, dtype=None): ...


def _pad1d(padding: typing.Union[int, typing.Tuple[int, int]]): ...
def _pad2d(padding: typing.Union[int, typing.Tuple[int, int, int, int]]): ...
def _pad3d(padding: typing.Union[int, typing.Tuple[int, int, int, int, int, int]]): ...


OVERRIDES.update({
    "torch.nn.Transformer": _transformer,
    "torch.nn.TransformerEncoderLayer": _transformer_layer,
    "torch.nn.TransformerDecoderLayer": _transformer_layer,
    "torch.nn.Transformer.forward": _transformer_forward,
    "torch.nn.TransformerEncoderLayer.forward": _encoder_layer_forward,
    "torch.nn.TransformerEncoder.forward": _encoder_forward,
    "torch.nn.TransformerDecoderLayer.forward": _decoder_layer_forward,
    "torch.nn.TransformerDecoder.forward": _decoder_forward,
    "torch.nn.Transformer.generate_square_subsequent_mask": _square_subsequent_mask,
})

def _rms_norm(normalized_shape: typing.Union[int, typing.List[int]], eps: typing.Optional[float] = None,
              elementwise_affine: bool = True, device=None, dtype=None): ...


def _lp_pool3d(norm_type: float, kernel_size: typing.Union[int, typing.Tuple[int, int, int]],
               stride: typing.Union[int, typing.Tuple[int, int, int], None] = None, ceil_mode: bool = False): ...


def _adafactor(params, lr: float = 1e-2, beta2_decay: float = -0.8,
               eps: typing.Tuple[typing.Optional[float], float] = (None, 1e-3), d: float = 1.0,
               weight_decay: float = 0.0, *, foreach: typing.Optional[bool] = None, maximize: bool = False): ...


def _buffer(data: typing.Optional[Tensor] = None, *, persistent: bool = True): ...


# ---- nn.Module's own methods: PyTorch 2.x's signatures on every version (pure TypeScript
# behaviour, listed in src/torch/binding/deviations.ts). ----
def _module_forward_hook(hook: typing.Callable, *, prepend: bool = False, with_kwargs: bool = False, always_call: bool = False): ...
def _module_forward_pre_hook(hook: typing.Callable, *, prepend: bool = False, with_kwargs: bool = False): ...
def _module_backward_hook(hook: typing.Callable, prepend: bool = False): ...
def _module_hook(hook: typing.Callable): ...
def _module_load_state_dict(state_dict: typing.Mapping[str, typing.Any], strict: bool = True, assign: bool = False): ...
def _module_named_members(prefix: str = "", recurse: bool = True, remove_duplicate: bool = True): ...
def _module_to_empty(*, device, recurse: bool = True): ...
def _module_set_submodule(target: str, module: typing.Optional[torch.nn.Module]): ...


OVERRIDES.update({
    "torch.nn.Module.zero_grad": _zero_grad,
    "torch.nn.Module.register_forward_hook": _module_forward_hook,
    "torch.nn.Module.register_forward_pre_hook": _module_forward_pre_hook,
    "torch.nn.Module.register_full_backward_hook": _module_backward_hook,
    "torch.nn.Module.register_backward_hook": _module_hook,
    "torch.nn.Module.register_load_state_dict_post_hook": _module_hook,
    "torch.nn.Module.load_state_dict": _module_load_state_dict,
    "torch.nn.Module.named_parameters": _module_named_members,
    "torch.nn.Module.named_buffers": _module_named_members,
    "torch.nn.Module.to_empty": _module_to_empty,
})

# Names PyTorch 2.x adds, with 2.x's signatures, so the one table binds them on every version.
NEWER = {
    "torch.nn.Buffer": _buffer,
    "torch.nn.RMSNorm": _rms_norm,
    "torch.nn.LPPool3d": _lp_pool3d,
    "torch.optim.Adafactor": _adafactor,
    "torch.optim.Adafactor.step": _step,
    "torch.nn.ZeroPad1d": _pad1d,
    "torch.nn.ZeroPad3d": _pad3d,
    "torch.nn.CircularPad1d": _pad1d,
    "torch.nn.CircularPad2d": _pad2d,
    "torch.nn.CircularPad3d": _pad3d,
    "torch.nn.Module.register_full_backward_pre_hook": _module_backward_hook,
    "torch.nn.Module.register_state_dict_pre_hook": _module_hook,
    "torch.nn.Module.register_state_dict_post_hook": _module_hook,
    "torch.nn.Module.register_load_state_dict_pre_hook": _module_hook,
    "torch.nn.Module.set_submodule": _module_set_submodule,
}

TYPE_OVERRIDES.update({
    # a record of parameters is the argument itself, not the options object (DECISIONS.md)
    "torch.nn.ParameterDict.parameters": "dict|any",
    "torch.nn.ParameterDict.update.parameters": "dict|any",
    "torch.nn.Transformer.activation": "str|callable",
    "torch.nn.TransformerEncoderLayer.activation": "str|callable",
    "torch.nn.TransformerDecoderLayer.activation": "str|callable",
})
