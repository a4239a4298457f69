"""Writes src/torch/binding/signatures-<major>.<minor>.generated.ts: the Python signatures of the
hand-written layer (nn, nn.functional, nn.init, nn.utils, optim, utils.data, distributions, torch's
Python-level helpers, Tensor's Python members), as the running Python torch reports them.

Run with the Python torch of the libtorch the table is for (1.13 on the host, 2.6 in the chroot):
    /usr/bin/python3 scripts/signatures/generate.py
Sources, in order: OVERRIDES (overrides.py: documented forms of (*args, **kwargs) callables);
inspect.signature, boolean_dispatch wrappers unwrapped to their if_false function; for builtins
inspect cannot read, the docstring's documented form typed by the .pyi stubs (stubs.py).
Names listed in exclusions.py get no signature.
Parameters whose name starts with '_' are dropped; 'self' is dropped from methods.
"""
import enum
import inspect
import json
import math
import os
import re
import sys
import typing

import torch
import torch.types
from torch._jit_internal import boolean_dispatched

from callables import public_callables
from overrides import ADDED_IN_2X, DEPRECATED_ALIASES, NEWER, OVERRIDES, TYPE_OVERRIDES, VARIADIC
from stubs import stub_signature

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TYPE_NAMES = {
    int: "int", float: "float", bool: "bool", str: "str", type(None): "None", torch.Size: "int[]", torch.types.SymInt: "int",
    torch.Tensor: "Tensor", torch.dtype: "dtype", torch.device: "device", torch.Generator: "Generator",
}


# Parameters whose name fixes their type whatever the annotation says (Python annotates dtype as int).
NAME_TYPES = {"dtype": "dtype|None", "device": "device|None"}


def camel(name: str) -> str:
    """The binder's rule (src/util/naming.ts toCamelCase): a trailing '_' stays (`input_`)."""
    return re.sub(r"[_-]+([a-zA-Z0-9])", lambda m: m.group(1).upper(), name)


def type_token(ann, default) -> str:
    """A runtime type token ('int|int[2]|None', ...) for an annotation; inferred from the default when absent."""
    if ann is inspect.Parameter.empty or ann is typing.Any:
        if isinstance(default, bool):
            return "bool"
        if isinstance(default, (int, float)) and default is not None:
            return "float"
        if isinstance(default, str):
            return "str"
        return "any"
    if isinstance(ann, str) or ann is None:
        # String annotations and BroadcastingListN[...] (which evaluates to None) say nothing usable.
        return "any"
    tokens = []
    for part in _flatten_union(ann):
        tokens.append(_single(part))
    if "any" in tokens or tokens == ["None"]:
        # Optional[BroadcastingListN[int]] collapses to NoneType: the real type is lost.
        return "any"
    return "|".join(dict.fromkeys(tokens))


# Sizes of N-d pooling and convolution functions that Python annotates as BroadcastingListN (lost).
SIZE_PARAMS = {"kernel_size", "stride", "padding", "dilation", "output_size", "output_padding"}


def untyped_token(qualname, name, default):
    """A token for a parameter Python leaves unannotated, from what its name means in torch."""
    if name == "input" and default is inspect.Parameter.empty:
        return "Tensor"
    function = qualname.rpartition(".")[2]
    dims = re.search(r"(\d)d(_with_indices)?$", function)
    n = dims.group(1) if dims else "2" if function in ("fold", "unfold") else None
    if n and qualname.startswith("torch.nn.functional."):
        if name in SIZE_PARAMS:
            return f"int|int[{n}]" + ("|None" if default is None else "")
        if name == "output_ratio":
            return f"float|float[{n}]|None"
    return "any"


def _flatten_union(ann):
    if typing.get_origin(ann) is typing.Union:
        out = []
        for a in typing.get_args(ann):
            out.extend(_flatten_union(a))
        return out
    return [ann]


def _single(ann) -> str:
    if ann in TYPE_NAMES:
        return TYPE_NAMES[ann]
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin in (tuple, list, typing.Sequence) or ann in (tuple, list):
        if origin is tuple and args and Ellipsis not in args:
            elems = set(_single(a) for a in args)
            if len(elems) == 1:
                return f"{elems.pop()}[{len(args)}]"
            return "any"
        if args:
            elem = _single(args[0])
            return f"{elem}[]" if elem in ("int", "float", "Tensor", "bool", "str") else "any"
        return "any"
    if origin is not None and origin.__module__ == "collections.abc" and origin.__name__ in ("Mapping", "MutableMapping"):
        return "dict"
    if origin in (dict, typing.OrderedDict) or ann is dict:
        return "dict"
    if origin is not None and origin.__module__ == "collections.abc" and origin.__name__ == "Callable":
        return "callable"
    if inspect.isclass(ann):
        if issubclass(ann, torch.Tensor):
            return "Tensor"
        if issubclass(ann, torch.nn.Module):
            return "Module"
        return "any"
    return "any"


def encode_default(value):
    """JSON for a default: numbers, strings, booleans, null, lists; {'$': ...} for the rest."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isinf(value):
            return {"$": "inf" if value > 0 else "-inf"}
        if math.isnan(value):
            return {"$": "nan"}
        return value
    if isinstance(value, (tuple, list)):
        return [encode_default(v) for v in value]
    if isinstance(value, torch.dtype):
        return {"$dtype": str(value).replace("torch.", "")}
    if isinstance(value, enum.Enum):
        return {"$repr": repr(value)}
    return {"$repr": getattr(value, "__name__", None) or type(value).__name__}


def param_rows(qualname, sig):
    rows = []
    for p in sig.parameters.values():
        if p.name in ("self", "cls") or p.name.startswith("_"):
            continue
        kind = {
            p.POSITIONAL_ONLY: "p", p.POSITIONAL_OR_KEYWORD: "p", p.KEYWORD_ONLY: "k",
            p.VAR_POSITIONAL: "v", p.VAR_KEYWORD: "w",
        }[p.kind]
        default = p.default
        overridden = TYPE_OVERRIDES.get(f"{qualname}.{p.name}")
        token = overridden or NAME_TYPES.get(p.name) or type_token(p.annotation, None if default is p.empty else default)
        if overridden is None and (token == "any" or p.annotation is p.empty):
            hinted = untyped_token(qualname, p.name, default)
            if hinted != "any" and (token == "any" or p.name in SIZE_PARAMS):
                token = hinted
        if default is None and token != "any" and "None" not in token.split("|"):
            token += "|None"  # a None default is always a value the parameter takes
        row = [p.name, kind, token]
        # optim's `lr=required` sentinel is a required parameter.
        if default is not p.empty and type(default).__name__ != "_RequiredParameter":
            row.append(encode_default(default))
        rows.append(row)
    return rows


def signature_of(qualname, obj):
    """Python's signature of `obj`: an override, else inspect, else the documented form of a builtin."""
    if qualname in OVERRIDES:
        return inspect.signature(OVERRIDES[qualname])
    if qualname in DEPRECATED_ALIASES:
        return signature_of(DEPRECATED_ALIASES[qualname], None)
    if obj is None:
        module, _, name = qualname.rpartition(".")
        obj = getattr(eval(module, {"torch": torch}), name)
    if obj in boolean_dispatched:
        obj = boolean_dispatched[obj]["if_false"]
    if inspect.isclass(obj):
        if obj.__init__ is object.__init__ and obj.__new__ is not object.__new__:
            return inspect.signature(obj.__new__).replace(parameters=list(inspect.signature(obj.__new__).parameters.values())[1:])
        return inspect.signature(obj.__init__)
    try:
        return inspect.signature(obj)
    except ValueError:
        if not inspect.isbuiltin(obj) and not inspect.ismethoddescriptor(obj):
            raise
        found = stub_signature(obj, qualname.rpartition(".")[2], qualname.startswith("torch.Tensor."))
        if found is None:
            raise
        return found


TS_TYPES = {
    "any": "unknown", "None": "null", "int": "number", "float": "number", "bool": "boolean", "str": "string",
    "Tensor": "Tensor", "dtype": "DType", "device": "Device", "callable": "((...args: never[]) => unknown)",
    "dict": "Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>", "Module": "Module",
    "Generator": "Generator",
}


def ts_type(token: str) -> str:
    parts = []
    for t in token.split("|"):
        if "[" in t:
            parts.append(f"readonly {ts_type(t.split('[')[0])}[]")
        else:
            parts.append(TS_TYPES.get(t, "unknown"))
    if "unknown" in parts:
        return "unknown"
    return " | ".join(dict.fromkeys(parts))


def write_types(table):
    """src/torch/binding/signatures.types.generated.ts: each callable's parameters as Param tuples."""
    lines = [
        f"// generated by scripts/signatures/generate.py from Python torch {torch.__version__}: do not edit.",
        "// Each callable's parameters as TypeScript sees them (src/torch/binding/py-args.ts):",
        "// p positional-or-keyword, k keyword-only, v the *args parameter's element type.",
        'import type { Param } from "./py-args.js";',
        'import type { Tensor, Device } from "../tensor/tensor.js";',
        'import type { DType } from "../tensor/dtype.js";',
        'import type { Module } from "../nn/module.js";',
        'import type { Generator } from "../ops/generator.js";',
        "",
        "export interface PySignatures {",
    ]
    for qualname in sorted(table):
        groups = {"p": [], "k": [], "v": []}
        for row in table[qualname]:
            name, kind, token = row[0], row[1], row[2]
            if kind == "w":
                continue
            if kind == "v":
                groups["v"].append(ts_type(token))
                continue
            optional = "true" if len(row) > 3 else "false"
            groups[kind].append(f'Param<"{camel(name)}", {ts_type(token)}, {optional}>')
        v = f"; v: {groups['v'][0]}" if groups["v"] else ""
        lines.append(f'  "{qualname}": {{ p: [{", ".join(groups["p"])}]; k: [{", ".join(groups["k"])}]{v} }};')
    lines.append("}")
    out = os.path.join(ROOT, "src", "torch", "binding", "signatures.types.generated.ts")
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, out)


def read_table(path):
    """A committed table's rows, read back from its generated TypeScript file."""
    with open(path) as f:
        text = f.read()
    return json.loads(json.loads(re.search(r"signatureTableJson = (\".*\");", text).group(1)))


def merged_with_other_versions(table, folder, running):
    """One table for the TypeScript types, valid on every version: each callable's parameters in the
    newest version's order (a parameter only older versions have goes last), type tokens united,
    optional where any version gives a default. The runtime binder still checks the running one."""
    tables = {running: table}
    for name in os.listdir(folder):
        m = re.match(r"signatures-(\d+\.\d+)\.generated\.ts$", name)
        if m and m.group(1) != running:
            tables[m.group(1)] = read_table(os.path.join(folder, name))
    order = sorted(tables, key=lambda v: tuple(int(x) for x in v.split(".")), reverse=True)
    merged = {}
    for version in order:
        for qualname, rows in tables[version].items():
            into = merged.setdefault(qualname, [])
            for row in rows:
                known = next((r for r in into if r[0] == row[0]), None)
                if known is None:
                    into.append(list(row))
                    continue
                if row[2] == "any" or known[2] == "any":
                    # One version unannotated: the other's type says more.
                    known[2] = known[2] if row[2] == "any" else row[2]
                else:
                    known[2] = "|".join(dict.fromkeys(known[2].split("|") + row[2].split("|")))
                if len(known) == 3 and len(row) > 3:
                    known.append(row[3])
    return merged


def main():
    table = {}
    failures = []
    for qualname, obj in public_callables():
        try:
            sig = signature_of(qualname, obj)
        except (TypeError, ValueError) as e:
            failures.append(f"{qualname}: {e}")
            continue
        rows = param_rows(qualname, sig)
        variadic_only = rows and rows[0][1] == "v" and rows[-1][1] == "w" and len(rows) == 2
        if variadic_only and qualname not in OVERRIDES and qualname not in VARIADIC:
            failures.append(f"{qualname}: (*args, **kwargs) with no override")
            continue
        table[qualname] = rows
    for qualname, documented in {**ADDED_IN_2X, **NEWER}.items():
        # PyTorch 2.x's additions are ours on every version (the deviations in deviations.ts).
        table.setdefault(qualname, param_rows(qualname, inspect.signature(documented)))
    major, minor = torch.__version__.split(".")[:2]
    out = os.path.join(ROOT, "src", "torch", "binding", f"signatures-{major}.{minor}.generated.ts")
    body = json.dumps(table, separators=(",", ":"), sort_keys=True)
    text = (
        f"// generated by scripts/signatures/generate.py from Python torch {torch.__version__}: do not edit.\n"
        "// Each callable's parameters as [python name, kind (p positional-or-keyword, k keyword-only,\n"
        "// v *args, w **kwargs), type token, default if any].\n"
        f"export const signatureTableJson = {json.dumps(body)};\n"
    )
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, out)
    print(f"{len(table)} signatures -> {os.path.relpath(out, ROOT)}")
    write_types(merged_with_other_versions(table, os.path.dirname(out), f"{major}.{minor}"))
    for line in failures:
        print("no signature:", line, file=sys.stderr)


if __name__ == "__main__":
    main()
