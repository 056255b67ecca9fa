"""The symmetric path search: :class:`SymmetricOptimizer`, an opt_einsum ``PathOptimizer``
that scores steps with mechestim's symmetric cost (``_plan`` compares its path with
opt_einsum's own and keeps the cheaper).

Imported (with opt_einsum) by the first plan of an einsum with symmetric or repeated
operands, not at ``import mechestim``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from opt_einsum.paths import PathOptimizer

from .._costs.einsum import PermSet
from ._plan import _Node, _rest_labels, _Stepper

# Operand counts up to which the symmetric search is exhaustive (over the set
# partitions reachable by pairwise steps); above it a symmetric greedy search runs.
EXHAUSTIVE_LIMIT = 6


class SymmetricOptimizer(PathOptimizer):
    """An opt_einsum path optimizer that scores steps with mechestim's symmetric cost.

    ``terms``: each operand's subscript; ``groups``: each operand's label groups;
    ``origins``: equal ids mark the same array object passed more than once.
    Exhaustive (memoised over reachable states) up to ``EXHAUSTIVE_LIMIT`` operands,
    greedy on the symmetric step cost beyond.
    """

    def __init__(
        self,
        terms: Sequence[str],
        perms: Sequence[PermSet | None],
        origins: Sequence[int],
        stepper: _Stepper | None = None,
    ) -> None:
        self.terms = list(terms)
        self.perms = list(perms)
        self.origins = list(origins)
        self.stepper = stepper
        self.method = "optimal"

    def _nodes(self) -> list[_Node]:
        return [
            _Node(t, g, o, 1 << i)
            for i, (t, g, o) in enumerate(zip(self.terms, self.perms, self.origins))
        ]

    def __call__(
        self,
        inputs: list,
        output: Any,
        size_dict: dict[str, int],
        memory_limit: int | None = None,
    ) -> list[tuple[int, ...]]:
        output_set = frozenset(output)
        nodes = self._nodes()
        stepper = self.stepper
        if stepper is None or stepper.size_dict != size_dict:
            from ..errors import _settings

            stepper = _Stepper(dict(size_dict), _settings["use_inner_symmetry"])
        if len(nodes) <= EXHAUSTIVE_LIMIT:
            self.method = "optimal"
            moves = self._exhaustive(nodes, output_set, stepper)
        else:
            self.method = "greedy"
            moves = self._greedy(nodes, output_set, stepper)
        return _moves_to_path(moves, [n.cover for n in nodes])

    @staticmethod
    def _exhaustive(nodes: list[_Node], output: frozenset[str], stepper: _Stepper) -> list:
        memo: dict[frozenset[int], tuple[float, tuple]] = {}

        def solve(state: tuple[_Node, ...]) -> tuple[float, tuple]:
            if len(state) == 1:
                return 0, ()
            key = frozenset(n.cover for n in state)
            hit = memo.get(key)
            if hit is not None:
                return hit
            best: tuple[float, tuple] = (math.inf, ())
            for i in range(len(state)):
                for j in range(i + 1, len(state)):
                    others = state[:i] + state[i + 1 : j] + state[j + 1 :]
                    done = stepper((state[i], state[j]), _rest_labels(others), output)
                    cost = done.cost
                    if cost >= best[0]:
                        continue
                    merged = _Node(
                        "".join(sorted(done.kept)),
                        done.out_perms,
                        -1,
                        state[i].cover | state[j].cover,
                    )
                    sub_cost, sub_moves = solve(others + (merged,))
                    if cost + sub_cost < best[0]:
                        best = (
                            cost + sub_cost,
                            ((state[i].cover, state[j].cover),) + sub_moves,
                        )
            memo[key] = best
            return best

        return list(solve(tuple(nodes))[1])

    @staticmethod
    def _greedy(nodes: list[_Node], output: frozenset[str], stepper: _Stepper) -> list:
        size_dict = stepper.size_dict
        state = list(nodes)
        moves = []
        while len(state) > 1:
            best = None
            for i in range(len(state)):
                for j in range(i + 1, len(state)):
                    connected = bool(state[i].labels & state[j].labels)
                    others = state[:i] + state[i + 1 : j] + state[j + 1 :]
                    done = stepper((state[i], state[j]), _rest_labels(others), output)
                    kept, cost, groups = done.kept, done.cost, done.out_perms
                    size = math.prod(size_dict[label] for label in kept)
                    score = (not connected, cost, size)
                    if best is None or score < best[0]:
                        best = (score, i, j, kept, groups)
            _, i, j, kept, groups = best
            a, b = state[i], state[j]
            moves.append((a.cover, b.cover))
            state = [n for k, n in enumerate(state) if k not in (i, j)]
            state.append(_Node("".join(sorted(kept)), groups, -1, a.cover | b.cover))
        return moves


def _moves_to_path(moves: list, covers: list[int]) -> list[tuple[int, ...]]:
    """Turn moves named by the operand sets they merge into opt_einsum's linear path."""
    covers = list(covers)
    path = []
    for a, b in moves:
        i, j = sorted((covers.index(a), covers.index(b)))
        path.append((i, j))
        del covers[j], covers[i]
        covers.append(a | b)
    return path
