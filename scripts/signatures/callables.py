"""The public callables of the hand-written layer, as (qualified name, object) pairs.

A class contributes its constructor (its own name) and each public method it defines itself
(`torch.nn.LSTM.forward`); inherited methods appear under the class that defines them.
"""
import inspect
import types

import torch
import torch.distributions
import torch.nn.functional
import torch.nn.init
import torch.nn.utils
import torch.nn.utils.parametrizations
import torch.nn.utils.parametrize
import torch.nn.utils.rnn
import torch.nn.utils.stateless
import torch.optim
import torch.optim.lr_scheduler
import torch.utils.data

from exclusions import excluded

# Python-level functions of the `torch` namespace that the hand-written layer implements.
TORCH_FUNCTIONS = list(torch.functional.__all__) + [
    "set_default_dtype", "get_default_dtype", "set_default_tensor_type", "use_deterministic_algorithms",
    "are_deterministic_algorithms_enabled", "manual_seed", "seed", "initial_seed", "get_rng_state",
    "set_rng_state", "is_tensor", "is_storage", "numel", "typename", "save", "load", "no_grad",
    "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode", "is_inference_mode_enabled",
]
# Factories (builtins: their signatures come from overrides.py).
TORCH_FUNCTIONS += [
    "zeros", "ones", "empty", "rand", "randn", "full", "randint", "arange", "linspace", "logspace", "eye",
    "zeros_like", "ones_like", "empty_like", "rand_like", "randn_like", "full_like", "randint_like",
    "tensor", "as_tensor",
]
# Process settings, dtype facts, array interop and low-rank helpers (torch/__init__.py, _lowrank.py).
TORCH_FUNCTIONS += [
    "is_deterministic_algorithms_warn_only_enabled", "set_deterministic_debug_mode", "get_deterministic_debug_mode",
    "set_float32_matmul_precision", "get_float32_matmul_precision", "set_num_interop_threads",
    "get_num_interop_threads", "init_num_threads", "set_flush_denormal", "set_warn_always", "is_warn_always_enabled",
    "set_printoptions", "finfo", "iinfo", "asarray", "frombuffer", "from_numpy", "svd_lowrank", "pca_lowrank",
    "get_default_device", "set_default_device", "get_device_module", "unravel_index", "lobpcg",
]

MODULES = [
    ("torch.nn", torch.nn),
    ("torch.nn.functional", torch.nn.functional),
    ("torch.nn.init", torch.nn.init),
    ("torch.nn.utils", torch.nn.utils),
    ("torch.nn.utils.rnn", torch.nn.utils.rnn),
    ("torch.nn.utils.parametrizations", torch.nn.utils.parametrizations),
    ("torch.nn.utils.parametrize", torch.nn.utils.parametrize),
    ("torch.nn.utils.stateless", torch.nn.utils.stateless),
    ("torch.optim", torch.optim),
    ("torch.optim.lr_scheduler", torch.optim.lr_scheduler),
    ("torch.utils.data", torch.utils.data),
    ("torch.distributions", torch.distributions),
    ("torch.distributions.constraints", torch.distributions.constraints),
    ("torch.distributions.transforms", torch.distributions.transforms),
]


def defined_here(module, obj):
    """Whether `obj` belongs to `module`'s API rather than being an import (`torch.nn.init.Tensor`,
    `typing.Optional`): classes and Python functions must be defined in it; builtins are torch's own."""
    owner = getattr(obj, "__module__", None) or ""
    if inspect.isclass(obj) or inspect.isfunction(obj):
        return owner == module.__name__ or owner.startswith(module.__name__ + ".")
    if inspect.isbuiltin(obj):
        return owner.startswith("torch")
    return False


def public_names(module):
    """`__all__`, or for a module without one, the callables it defines (not the ones it imports)."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_") and defined_here(module, getattr(module, n))]
    return [n for n in names if not n.startswith("_")]


def class_members(qualname, cls):
    for name, member in vars(cls).items():
        if name.startswith("_") and name != "__call__":
            continue
        if isinstance(member, (staticmethod, classmethod)):
            member = member.__func__
        if inspect.isfunction(member) and not excluded(f"{qualname}.{name}"):
            yield f"{qualname}.{name}", member


def public_callables():
    seen = set()
    for prefix, module in MODULES:
        for name in public_names(module):
            obj = getattr(module, name, None)
            if obj is None or isinstance(obj, types.ModuleType) or not callable(obj):
                continue
            if not (inspect.isclass(obj) or inspect.isroutine(obj)):
                # A callable instance: a registry (distributions.biject_to) is called through its
                # __call__; a transform instance (identity_transform) is a value, not a signature.
                call = getattr(type(obj), "__call__", None)
                if not inspect.isfunction(call) or isinstance(obj, torch.distributions.transforms.Transform):
                    continue
                obj = obj.__call__
            qualname = f"{prefix}.{name}"
            if qualname in seen or excluded(qualname):
                continue
            seen.add(qualname)
            yield qualname, obj
            if inspect.isclass(obj):
                yield from class_members(qualname, obj)
    for name in TORCH_FUNCTIONS:
        obj = getattr(torch, name, None)
        if obj is not None and not excluded(f"torch.{name}"):
            yield f"torch.{name}", obj
    for name, member in vars(torch.Tensor).items():
        if not name.startswith("_") and inspect.isfunction(member) and not excluded(f"torch.Tensor.{name}"):
            yield f"torch.Tensor.{name}", member
