"""Noticing NumPy code that is about to fill a SymmetricTensor given as ``out=``.

``numpy.random.Generator`` methods (``random``, ``standard_normal``,
``standard_exponential``, ``standard_gamma``) fill ``out=`` from C and call nothing of
the array's on the way except one Python-level attribute read: ``out.dtype``, to check
the requested dtype. ``SymmetricTensor.dtype`` asks :func:`read_by_out_writer` whether
the read it is serving is that one, and drops the tag if so.

A read from Python code (``x.dtype``) is an attribute instruction in the reading frame;
a read from C code leaves the innermost Python frame on the call that entered C. Only
a call that passes an ``out`` keyword counts as a writer (a C function reading
``.dtype`` of another argument while filling ``out=`` of its own would also drop the
tag: conservative, it only loses a discount). ``out`` passed by position, or through
``**kwargs``, is not recognised. The answer depends on the call site alone, so it is
computed once per call site.
"""

from __future__ import annotations

import dis
import sys
from types import CodeType, FrameType

__all__ = ["read_by_out_writer"]

# Call instructions across CPython 3.10-3.13 (PRECALL: 3.11 only).
_CALLS = frozenset({"CALL", "CALL_KW", "CALL_FUNCTION", "CALL_FUNCTION_KW", "CALL_METHOD"})

# (id(code), offset) -> (code, passes out=): code kept so that its id is not reused.
_SITES: dict[tuple[int, int], tuple[CodeType, bool]] = {}


def _keyword_names(code: CodeType, instruction: dis.Instruction) -> tuple | None:
    if instruction.opname == "KW_NAMES":  # 3.11, 3.12
        names = code.co_consts[instruction.arg]
    elif instruction.opname == "LOAD_CONST":  # 3.10 CALL_FUNCTION_KW, 3.13 CALL_KW
        names = instruction.argval
    else:
        return None
    return names if isinstance(names, tuple) else None


def _call_passes_out(code: CodeType, offset: int) -> bool:
    """Whether the instruction at ``offset`` is a call with an ``out`` keyword."""
    previous: list[dis.Instruction] = []
    for instruction in dis.get_instructions(code):
        if instruction.offset == offset:
            if instruction.opname not in _CALLS:
                return False  # an attribute read written in Python: not a writer
            before = [i for i in previous if i.opname != "PRECALL"]
            names = _keyword_names(code, before[-1]) if before else None
            return names is not None and "out" in names
        previous = [*previous[-1:], instruction]
    return False


def read_by_out_writer(depth: int = 2) -> bool:
    """True when the attribute read being served (``depth`` frames up from here: the
    property's caller) comes from C code called with ``out=``; see the module docstring."""
    try:
        frame: FrameType = sys._getframe(depth)
    except ValueError:  # no Python caller at all
        return False
    code = frame.f_code
    key = (id(code), frame.f_lasti)
    site = _SITES.get(key)
    if site is None or site[0] is not code:
        site = _SITES[key] = (code, _call_passes_out(code, frame.f_lasti))
    return site[1]
