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


# optim: PyTorch 2.x's signatures where 1.13 differs (listed in src/torch/binding/deviations.ts).
def _sgd(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False,
         foreach=None, differentiable=False): ...


def _zero_grad(set_to_none=True): ...


OVERRIDES = {
    "torch.nn.RNN": _rnn,
    "torch.nn.LSTM": _lstm,
    "torch.nn.GRU": _gru,
    "torch.optim.SGD": _sgd,
    "torch.optim.Optimizer.zero_grad": _zero_grad,
}

TYPE_OVERRIDES = {
    # lr_scheduler: a value per param group is allowed where Python's default is one number
    "torch.optim.lr_scheduler.ReduceLROnPlateau.min_lr": "float|float[]",
    "torch.optim.lr_scheduler.OneCycleLR.base_momentum": "float|float[]",
    "torch.optim.lr_scheduler.OneCycleLR.max_momentum": "float|float[]",
    "torch.optim.lr_scheduler.CyclicLR.base_momentum": "float|float[]",
    "torch.optim.lr_scheduler.CyclicLR.max_momentum": "float|float[]",
    "torch.nn.Conv1d.padding_mode": "str",
}
