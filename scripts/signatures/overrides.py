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
}
