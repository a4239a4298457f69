"""Public-looking names of torch that are not part of the API this project mirrors, each with why.
Used by callables.py (no signature is generated for them) and names.py (they are not counted)."""

DATAPIPES = "datapipes (torchdata's experimental pipeline API, not torch.utils.data's Dataset/DataLoader)"
JIT = "TorchScript / JIT internals"
PLUMBING = "torch-function dispatch plumbing"
DEPRECATED = "deprecated alias"
AUTOCAST = "autocast / mixed-precision plumbing"
TYPING = "typing helper"
COMPILE = "torch.compile (Python only: TorchDynamo, out of scope)"

EXCLUDED = {
    # torch.nn
    "torch.nn.Container": DEPRECATED + " (nn.Module)",
    "torch.nn.NLLLoss2d": DEPRECATED + " (nn.NLLLoss)",
    "torch.nn.factory_kwargs": "internal helper of module constructors (device/dtype kwargs)",
    "torch.nn.Module.compile": COMPILE,
    "torch.nn.Module.ipu": "IPU backend, absent from the CPU/CUDA libtorch builds",
    "torch.nn.Module.xpu": "XPU backend, absent from the CPU/CUDA libtorch builds",
    "torch.nn.Module.mtia": "MTIA backend, absent from the CPU/CUDA libtorch builds",
    "torch.nn.Module.share_memory": "torch.multiprocessing's shared-memory storages (no Node.js process can attach them)",
    # torch.nn.functional
    "torch.nn.functional.has_torch_function": PLUMBING,
    "torch.nn.functional.has_torch_function_unary": PLUMBING,
    "torch.nn.functional.has_torch_function_variadic": PLUMBING,
    "torch.nn.functional.handle_torch_function": PLUMBING,
    "torch.nn.functional.boolean_dispatch": JIT,
    "torch.nn.functional.native_channel_shuffle": "internal kernel of channel_shuffle",
    "torch.nn.functional.assert_int_or_pair": "internal argument check of fold/unfold",
    # torch.utils.data
    "torch.utils.data.DFIterDataPipe": DATAPIPES,
    "torch.utils.data.DataChunk": DATAPIPES,
    "torch.utils.data.DataLoader2": DATAPIPES,
    "torch.utils.data.IterDataPipe": DATAPIPES,
    "torch.utils.data.MapDataPipe": DATAPIPES,
    "torch.utils.data.functional_datapipe": DATAPIPES,
    "torch.utils.data.guaranteed_datapipes_determinism": DATAPIPES,
    "torch.utils.data.non_deterministic": DATAPIPES,
    "torch.utils.data.runtime_validation": DATAPIPES,
    "torch.utils.data.runtime_validation_disabled": DATAPIPES,
    "torch.utils.data.argument_validation": DATAPIPES,
    "torch.utils.data.collate": "listed in 1.13's __all__ but never defined (AttributeError in Python)",
    # torch
    "torch.autocast_decrement_nesting": AUTOCAST,
    "torch.autocast_increment_nesting": AUTOCAST,
    "torch.clear_autocast_cache": AUTOCAST,
    "torch.get_autocast_cpu_dtype": AUTOCAST,
    "torch.get_autocast_gpu_dtype": AUTOCAST,
    "torch.is_autocast_cache_enabled": AUTOCAST,
    "torch.set_autocast_cache_enabled": AUTOCAST,
    "torch.set_autocast_cpu_dtype": AUTOCAST,
    "torch.set_autocast_cpu_enabled": AUTOCAST,
    "torch.set_autocast_enabled": AUTOCAST,
    "torch.set_autocast_gpu_dtype": AUTOCAST,
    "torch.get_autocast_ipu_dtype": AUTOCAST,
    "torch.get_autocast_xla_dtype": AUTOCAST,
    "torch.is_autocast_ipu_enabled": AUTOCAST,
    "torch.is_autocast_xla_enabled": AUTOCAST,
    "torch.set_autocast_dtype": AUTOCAST,
    "torch.set_autocast_ipu_dtype": AUTOCAST,
    "torch.set_autocast_ipu_enabled": AUTOCAST,
    "torch.set_autocast_xla_dtype": AUTOCAST,
    "torch.set_autocast_xla_enabled": AUTOCAST,
    "torch.compile": COMPILE,
    "torch.cond": COMPILE + " (a control-flow operator of torch.export)",
    **{f"torch.sym_{name}": COMPILE + " (symbolic-shape helper)"
       for name in ("float", "fresh_size", "int", "ite", "max", "min", "not", "sqrt", "sum")},
    "torch.fork": JIT,
    "torch.import_ir_module": JIT,
    "torch.import_ir_module_from_buffer": JIT,
    "torch.merge_type_from_type_comment": JIT,
    "torch.parse_ir": JIT,
    "torch.parse_schema": JIT,
    "torch.parse_type_comment": JIT,
    "torch.unify_type_list": JIT,
    "torch.read_vitals": "internal telemetry",
    "torch.set_vital": "internal telemetry",
    "torch.vitals_enabled": "internal telemetry",
    "torch.dsmm": DEPRECATED + " (torch.sparse.mm)",
    "torch.hsmm": DEPRECATED + " (torch.hspmm)",
    "torch.saddmm": DEPRECATED + " (torch.sparse.addmm)",
    "torch.spmm": DEPRECATED + " (torch.sparse.mm)",
    "torch.is_anomaly_enabled": "internal of torch.autograd.detect_anomaly",
    "torch.is_anomaly_check_nan_enabled": "internal of torch.autograd.detect_anomaly",
    "torch.set_anomaly_enabled": "internal of torch.autograd.detect_anomaly",
    "torch.align_tensors": "named-tensor prototype (raises in 1.13)",
    # torch.Tensor
    "torch.Tensor.eig": DEPRECATED + " (removed: torch.linalg.eig)",
    "torch.Tensor.lstsq": DEPRECATED + " (removed: torch.linalg.lstsq)",
    "torch.Tensor.solve": DEPRECATED + " (removed: torch.linalg.solve)",
    "torch.Tensor.reinforce": DEPRECATED + " (raises since 0.4)",
    "torch.Tensor.volatile": DEPRECATED + " (always False since 0.4)",
    "torch.Tensor.as_subclass": PLUMBING,
    "torch.Tensor.ipu": "IPU backend, absent from the CPU/CUDA libtorch builds",
    "torch.Tensor.xpu": "XPU backend, absent from the CPU/CUDA libtorch builds",
    "torch.Tensor.mtia": "MTIA backend, absent from the CPU/CUDA libtorch builds",
    "torch.Tensor.share_memory_": "torch.multiprocessing's shared-memory storages (no Node.js process can attach them)",
    "torch.Tensor.align_to": "named-tensor prototype",
    "torch.Tensor.refine_names": "named-tensor prototype",
    "torch.Tensor.rename": "named-tensor prototype",
    "torch.Tensor.rename_": "named-tensor prototype",
    "torch.Tensor.has_names": "named-tensor prototype",
    "torch.Tensor.names": "named-tensor prototype",
}

# Python-level members of torch that are types of the JIT, storage or legacy tensor classes: the
# torch area counts functions and the classes in TORCH_CLASSES.
TORCH_CLASSES = {"Tensor", "Generator", "Size", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
                 "finfo", "iinfo"}


def excluded(qualname):
    """Why `qualname` is not counted, or None."""
    return EXCLUDED.get(qualname)
