"""Signatures of builtins that `inspect` cannot read (functions defined in C++ such as
`torch.nn.functional.conv2d`): Python's documented form, the first line of the docstring
(`conv2d(input, weight, bias=None, stride=1, ...) -> Tensor`), typed by the `.pyi` stubs that ship
with torch (`torch/_C/_VariableFunctions.pyi`, `torch/_C/_nn.pyi`, `torch/nn/functional.pyi`,
`torch/_C/__init__.pyi` for Tensor methods). Where the docstring gives no form, the first stub
overload is the signature.
"""
import ast
import inspect
import os
import re
import typing

import torch
import torch.nn.common_types
import torch.types

TORCH_DIR = os.path.dirname(torch.__file__)
STUB_FILES = {
    "functions": ["_C/_VariableFunctions.pyi", "_C/_nn.pyi", "nn/functional.pyi"],
    "tensor": ["_C/__init__.pyi"],
}

# What the stubs' annotations name, so they evaluate to real typing objects.
_NAMESPACE = dict(vars(typing))
_NAMESPACE.update({k: v for k, v in vars(torch.types).items() if not k.startswith("__")})
_NAMESPACE.update({k: v for k, v in vars(torch.nn.common_types).items() if not k.startswith("__")})
_NAMESPACE.update({
    "torch": torch, "Tensor": torch.Tensor, "Generator": torch.Generator, "Size": torch.Size,
    "memory_format": torch.memory_format, "strided": torch.strided, "ellipsis": type(Ellipsis),
    "Literal": typing.Literal, "_size_any_t": torch.nn.common_types._size_any_t,
})


class StubParam:
    """One parameter of a stub overload: name, kind (inspect's), annotation (evaluated or None)."""

    def __init__(self, name, kind, annotation):
        self.name = name
        self.kind = kind
        self.annotation = annotation


def _evaluate(node):
    if node is None:
        return inspect.Parameter.empty
    try:
        return eval(ast.unparse(node), _NAMESPACE)  # annotations of torch's own stubs
    except Exception:
        return typing.Any


def _stub_params(fn: ast.FunctionDef):
    a = fn.args
    out = []
    for arg in a.posonlyargs + a.args:
        out.append(StubParam(arg.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD, arg.annotation))
    if a.vararg is not None:
        out.append(StubParam(a.vararg.arg, inspect.Parameter.VAR_POSITIONAL, a.vararg.annotation))
    for arg in a.kwonlyargs:
        out.append(StubParam(arg.arg, inspect.Parameter.KEYWORD_ONLY, arg.annotation))
    if a.kwarg is not None:
        out.append(StubParam(a.kwarg.arg, inspect.Parameter.VAR_KEYWORD, a.kwarg.annotation))
    return [p for p in out if p.name != "self"]


def _read_stubs(files, class_name=None):
    overloads = {}
    for rel in files:
        path = os.path.join(TORCH_DIR, rel)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            tree = ast.parse(f.read())
        body = tree.body
        if class_name is not None:
            body = [n for n in body if isinstance(n, ast.ClassDef) and n.name == class_name]
            body = body[0].body if body else []
        for node in body:
            if isinstance(node, ast.FunctionDef):
                overloads.setdefault(node.name, []).append(_stub_params(node))
    return overloads


_FUNCTION_STUBS = None
_TENSOR_STUBS = None


def stub_overloads(name, tensor_method=False):
    """Every stub overload of `name`, as lists of StubParam."""
    global _FUNCTION_STUBS, _TENSOR_STUBS
    if tensor_method:
        if _TENSOR_STUBS is None:
            _TENSOR_STUBS = _read_stubs(STUB_FILES["tensor"], "_TensorBase")
        return _TENSOR_STUBS.get(name, [])
    if _FUNCTION_STUBS is None:
        _FUNCTION_STUBS = _read_stubs(STUB_FILES["functions"])
    return _FUNCTION_STUBS.get(name, [])


class _Literal:
    """A documented default that is not a Python literal (`torch.strided`): kept by its text."""

    def __init__(self, text):
        self.__name__ = text

    def __repr__(self):
        return self.__name__


def _default(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        pass
    if all(isinstance(n, (ast.BinOp, ast.UnaryOp, ast.Constant, ast.operator, ast.unaryop)) for n in ast.walk(node)):
        return eval(compile(ast.Expression(node), "<default>", "eval"), {"__builtins__": {}})  # `1.0 / 8`
    return _Literal(ast.unparse(node))


def documented_form(doc, name):
    """The `inspect.Signature` of a docstring's first line `name(a, b=1, *, c=None) -> T`, or None."""
    if not doc:
        return None
    first = doc.strip().split("\n")[0].strip()
    m = re.match(rf"^{re.escape(name)}\((.*)\)\s*(->.*)?:?$", first)
    if m is None:
        return None
    params_text = re.sub(r"(\*\w+),\s*\*\s*,", r"\1,", m.group(1))  # `*size, *, out=None`: one star
    try:
        fn = ast.parse(f"def f({params_text}): pass").body[0]
    except SyntaxError:
        return None
    a = fn.args
    params = []
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    P = inspect.Parameter
    for arg, d in zip(positional, defaults):
        params.append(P(arg.arg, P.POSITIONAL_OR_KEYWORD, default=P.empty if d is None else _default(d)))
    if a.vararg is not None:
        params.append(P(a.vararg.arg, P.VAR_POSITIONAL))
    for arg, d in zip(a.kwonlyargs, a.kw_defaults):
        params.append(P(arg.arg, P.KEYWORD_ONLY, default=P.empty if d is None else _default(d)))
    if a.kwarg is not None:
        params.append(P(a.kwarg.arg, P.VAR_KEYWORD))
    return inspect.Signature(params)


def _union(annotations):
    distinct = []
    for ann in annotations:
        if ann not in distinct:
            distinct.append(ann)
    if not distinct:
        return inspect.Parameter.empty
    if len(distinct) == 1:
        return distinct[0]
    return typing.Union[tuple(distinct)]


def stub_signature(obj, public_name, tensor_method=False):
    """The documented signature of a builtin, its annotations from the stubs; None if neither has it."""
    names = [public_name]
    internal = getattr(obj, "__name__", public_name)
    if internal != public_name:
        names.append(internal)
    overloads = [o for n in names for o in stub_overloads(n, tensor_method)]
    documented = documented_form(getattr(obj, "__doc__", None), public_name) or documented_form(
        getattr(obj, "__doc__", None), internal
    )
    if documented is None:
        if not overloads:
            return None
        P = inspect.Parameter
        return inspect.Signature([
            P(p.name, p.kind, annotation=_evaluate(p.annotation)) for p in overloads[0]
        ])
    params = []
    for p in documented.parameters.values():
        variadic = p.kind == p.VAR_POSITIONAL
        anns = [
            _evaluate(s.annotation)
            for o in overloads
            for s in o
            if s.name == p.name and (s.kind == inspect.Parameter.VAR_POSITIONAL) == variadic and s.annotation is not None
        ]
        params.append(p.replace(annotation=_union(anns)))
    return documented.replace(parameters=params)
