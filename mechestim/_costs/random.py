"""Random sampling cost formulas (cost-model §8).

Drawing values costs one FLOP per value produced: ``numel(output)``, at least 1 (a
scalar draw costs 1). Reordering costs a sort: ``permutation``/``shuffle`` of ``n``
items and ``choice`` without replacement from a population of ``n`` cost
``sort_cost(n) = max(n*ceil_log2(n), 1)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .core import as_int, as_shape, numel, sort_cost

__all__ = [
    "sampler_cost",
    "rand_cost",
    "randn_cost",
    "random_sample_cost",
    "permutation_cost",
    "shuffle_cost",
    "permuted_cost",
    "choice_cost",
    "random_bytes_cost",
]


def sampler_cost(output_shape: int | Sequence[int] | None = None) -> int:
    """FLOPs of drawing an output of ``output_shape`` from any distribution (the
    ``size`` asked for, else the broadcast shape of the array parameters):
    ``max(numel(output_shape), 1)``; ``None`` (a scalar draw) costs 1.

    For ``multinomial``, ``dirichlet``, ``multivariate_normal`` the output shape
    includes the trailing dimension: ``size + (k,)``.
    """
    if output_shape is None:
        return 1
    if type(output_shape) is tuple and all(type(d) is int and d >= 0 for d in output_shape):
        return max(numel(output_shape), 1)  # already a valid shape
    return max(numel(as_shape(output_shape)), 1)


def rand_cost(*dims: int) -> int:
    """FLOPs of ``random.rand(*dims)``: ``max(prod(dims), 1)``."""
    return max(numel(as_shape(dims)), 1)


def randn_cost(*dims: int) -> int:
    """FLOPs of ``random.randn(*dims)``: ``max(prod(dims), 1)``; randn(10, 20) -> 200."""
    return max(numel(as_shape(dims)), 1)


def random_sample_cost(size: int | Sequence[int] | None = None) -> int:
    """FLOPs of ``random.random``/``random_sample``/``ranf``/``sample``: numel(size), min 1."""
    return sampler_cost(size)


def permutation_cost(n: int) -> int:
    """FLOPs of a random permutation of ``n`` items: ``sort_cost(n)``; permutation(16) -> 64."""
    return sort_cost(max(as_int(n, "n"), 0))


def shuffle_cost(n: int) -> int:
    """FLOPs of shuffling ``n`` items (the length along the shuffled axis): ``sort_cost(n)``."""
    return sort_cost(max(as_int(n, "n"), 0))


def permuted_cost(shape: int | Sequence[int], axis: int | None = None) -> int:
    """FLOPs of ``Generator.permuted``: every slice along ``axis`` is shuffled on its own,
    ``(numel / n) * sort_cost(n)`` with ``n = shape[axis]``; ``axis=None`` shuffles the
    flattened array, ``sort_cost(numel)``. At least 1."""
    dims = as_shape(shape)
    if axis is None:
        return sort_cost(numel(dims))
    axis = as_int(axis, "axis")
    if not -len(dims) <= axis < len(dims):
        raise ValueError(f"axis {axis} is out of bounds for shape {dims}")
    n = dims[axis]
    slices = numel(d for i, d in enumerate(dims) if i != axis % len(dims))
    return max(slices * sort_cost(n), 1)


def choice_cost(
    population: int, size: int | Sequence[int] | None = None, replace: bool = True
) -> int:
    """FLOPs of ``random.choice``: with replacement ``numel(size)`` (1 when size is None);
    without replacement ``sort_cost(population)``."""
    if replace:
        return sampler_cost(size)
    return sort_cost(max(as_int(population, "population"), 0))


def random_bytes_cost(length: int) -> int:
    """FLOPs of ``random.bytes(length)``: ``max(length, 1)``."""
    return max(as_int(length, "length"), 1)
