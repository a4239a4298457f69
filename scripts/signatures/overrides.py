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


OVERRIDES = {
    "torch.nn.RNN": _rnn,
    "torch.nn.LSTM": _lstm,
    "torch.nn.GRU": _gru,
}

TYPE_OVERRIDES = {
    "torch.nn.Conv1d.padding_mode": "str",
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
    "torch.nn.AdaptiveLogSoftmaxWithLoss.cutoffs": "int[]",
    "torch.nn.LSTM.forward.input": "Tensor|PackedSequence",
    "torch.nn.GRU.forward.input": "Tensor|PackedSequence",
    "torch.nn.RNN.forward.input": "Tensor|PackedSequence",
    "torch.nn.LSTM.forward.hx": "Tensor[2]|None",
    "torch.nn.GRU.forward.hx": "Tensor|None",
    "torch.nn.RNN.forward.hx": "Tensor|None",
}
