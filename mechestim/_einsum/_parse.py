"""Parsing and validating einsum subscripts against operand shapes.

The result names every axis with one label: an ellipsis is expanded into labels
unused elsewhere, and an implicit output (no ``->``) is computed as NumPy does
(broadcast axes first, then labels occurring once, in character order).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


class Parsed(NamedTuple):
    terms: tuple[str, ...]  # one subscript per operand, ellipsis expanded
    output: str
    size_dict: dict[str, int]

    @property
    def equation(self) -> str:
        return ",".join(self.terms) + "->" + self.output


def _check_labels(text: str, where: str, subscripts: str) -> bool:
    """Validate the characters of one term; True when it holds an ellipsis."""
    dots = text.count(".")
    if dots and (dots != 3 or "..." not in text):
        raise ValueError(
            f"einsum subscripts {subscripts!r}: {where} {text!r} has an invalid ellipsis "
            "(write exactly three dots, once)"
        )
    for char in text.replace("...", ""):
        if char not in _LETTERS:
            raise ValueError(
                f"einsum subscripts {subscripts!r}: invalid label {char!r} in {where} "
                f"{text!r}; labels must be letters a-z, A-Z"
            )
    return dots == 3


def parse(subscripts: str, shapes: Sequence[tuple[int, ...]]) -> Parsed:
    """Parse ``subscripts`` for operands of ``shapes``; ValueError naming the problem."""
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum subscripts must be a str, got {type(subscripts).__name__}")
    text = subscripts.replace(" ", "")
    if (
        text.count("->") > 1
        or text.replace("->", "").count("-")
        or text.replace("->", "").count(">")
    ):
        raise ValueError(f"einsum subscripts {subscripts!r} may contain '->' at most once")
    explicit = "->" in text
    lhs, _, rhs = text.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(shapes):
        raise ValueError(
            f"einsum subscripts {subscripts!r} name {len(inputs)} operand(s) but "
            f"{len(shapes)} were given"
        )

    # Ellipsis widths per operand, and validation of each term's rank.
    widths = []
    for number, (term, shape) in enumerate(zip(inputs, shapes)):
        has_ellipsis = _check_labels(term, f"the subscript of operand {number}", subscripts)
        named = len(term) - (3 if has_ellipsis else 0)
        ndim = len(shape)
        if has_ellipsis:
            if named > ndim:
                raise ValueError(
                    f"einsum subscripts {subscripts!r}: operand {number} has {ndim} "
                    f"dimension(s) but its subscript {term!r} names {named}"
                )
            widths.append(ndim - named)
        else:
            if named != ndim:
                raise ValueError(
                    f"einsum subscripts {subscripts!r}: operand {number} has {ndim} "
                    f"dimension(s) but its subscript {term!r} names {named}"
                )
            widths.append(0)
    longest = max(widths, default=0)
    ellipsis_labels = ""
    if longest:
        from opt_einsum.parser import gen_unused_symbols

        used = "".join(set(text) - {".", ",", "-", ">"})
        ellipsis_labels = "".join(gen_unused_symbols(used, longest))
    terms = tuple(
        term.replace("...", ellipsis_labels[longest - width :] if width else "")
        for term, width in zip(inputs, widths)
    )

    # Sizes: a label repeated inside one operand must match exactly; across operands a
    # size-1 axis broadcasts.
    size_dict: dict[str, int] = {}
    owner: dict[str, int] = {}
    for number, (term, shape) in enumerate(zip(terms, shapes)):
        seen: dict[str, int] = {}
        for label, dim in zip(term, shape):
            dim = int(dim)
            if label in seen and seen[label] != dim:
                raise ValueError(
                    f"einsum subscripts {subscripts!r}: label {label!r} is repeated in "
                    f"operand {number} with different sizes {seen[label]} and {dim}"
                )
            seen[label] = dim
            previous = size_dict.get(label)
            if previous is None or previous == 1:
                if previous is None:
                    owner[label] = number
                size_dict[label] = dim
            elif dim not in (1, previous):
                # Labels standing for '...' were invented here: name the ellipsis instead.
                what = (
                    "the '...' (ellipsis) dimensions have"
                    if label in ellipsis_labels
                    else f"label {label!r} has"
                )
                raise ValueError(
                    f"einsum subscripts {subscripts!r}: {what} size {previous} "
                    f"in operand {owner[label]} but {dim} in operand {number}"
                )

    if explicit:
        has_ellipsis = _check_labels(rhs, "the output subscript", subscripts)
        if longest and not has_ellipsis:
            raise ValueError(
                f"einsum subscripts {subscripts!r}: the operands have broadcast (ellipsis) "
                "dimensions but the output subscript has no '...'"
            )
        output = rhs.replace("...", ellipsis_labels)
        for label in output:
            if output.count(label) > 1:
                raise ValueError(
                    f"einsum subscripts {subscripts!r}: output label {label!r} appears more "
                    "than once"
                )
            if label not in size_dict:
                raise ValueError(
                    f"einsum subscripts {subscripts!r}: output label {label!r} appears in "
                    "no operand"
                )
    else:
        flat = "".join(terms)
        single = sorted(
            label for label in set(flat) if flat.count(label) == 1 and label not in ellipsis_labels
        )
        output = ellipsis_labels + "".join(single)
    return Parsed(terms, output, size_dict)
