"""``PathInfo`` and ``StepInfo``: what a planned einsum path costs, step by step."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PathInfo", "StepInfo"]

Groups = tuple  # canonical PermutationGroup objects on axes (see mechestim._symmetry)


@dataclass(frozen=True)
class StepInfo:
    """One step of a contraction path.

    ``flop_cost`` is what the step is charged (symmetry-aware, cost-model §3);
    ``dense_flop_cost`` what it would cost without symmetry; ``symmetry_savings`` is
    ``1 - flop_cost / dense_flop_cost``. ``input_symmetries`` (one per input) and
    ``output_symmetry`` are tuples of ``PermutationGroup`` objects on the tensors' axes
    (or None); ``inner_symmetry`` is the group of the labels summed in this step, acting
    on the positions of ``inner_labels`` (or None): the step sums only their orbits
    (cost-model §3, revision 2).
    ``blas_type`` names the BLAS kernel opt_einsum can use for the step (``"GEMM"``,
    ``"DOT"``, ``"TDOT"``, ...) or is None when the step runs through einsum.
    """

    subscript: str
    flop_cost: int
    dense_flop_cost: int
    symmetry_savings: float
    input_shapes: tuple[tuple[int, ...], ...]
    output_shape: tuple[int, ...]
    input_symmetries: tuple[Groups | None, ...]
    output_symmetry: Groups | None
    blas_type: str | None
    inner_labels: str = ""
    inner_symmetry: Groups | None = None


@dataclass(frozen=True)
class PathInfo:
    """A planned einsum: its path, per-step costs and totals.

    ``optimized_cost`` (the sum of the steps' ``flop_cost``) is exactly what
    ``me.einsum`` charges; ``naive_cost`` is the cost of contracting every operand at
    once; ``speedup = naive_cost / optimized_cost``; ``largest_intermediate`` is the
    element count of the largest tensor a step produces. ``print(info)`` shows a table.
    """

    path: list[tuple[int, ...]]
    steps: list[StepInfo]
    naive_cost: int
    optimized_cost: int
    largest_intermediate: int
    speedup: float
    input_subscripts: str
    output_subscript: str
    size_dict: dict[str, int] = field(repr=False)
    optimizer_used: str

    @property
    def equation(self) -> str:
        """The full contraction, ``"inputs->output"`` (ellipses expanded)."""
        return f"{self.input_subscripts}->{self.output_subscript}"

    def copy(self) -> PathInfo:
        """A copy whose lists and dict can be changed without touching the plan cache."""
        return PathInfo(
            list(self.path),
            list(self.steps),
            self.naive_cost,
            self.optimized_cost,
            self.largest_intermediate,
            self.speedup,
            self.input_subscripts,
            self.output_subscript,
            dict(self.size_dict),
            self.optimizer_used,
        )

    def __str__(self) -> str:
        width = max([len("subscript")] + [len(s.subscript) for s in self.steps])
        lines = [
            f"  Complete contraction:  {self.equation}",
            f"      Naive FLOP count:  {self.naive_cost:,}",
            f"  Optimized FLOP count:  {self.optimized_cost:,}",
            f"   Theoretical speedup:  {self.speedup:,.1f}x",
            f"  Largest intermediate:  {self.largest_intermediate:,} elements",
            f"             Optimizer:  {self.optimizer_used}",
        ]
        header = (
            f"{'step':>4}  {'subscript':<{width}}  {'FLOPs':>18}  {'dense FLOPs':>18}  "
            f"{'savings':>8}  BLAS"
        )
        rule = "-" * len(header.rstrip() + "       ")
        lines += [rule, header, rule]
        for number, step in enumerate(self.steps, 1):
            lines.append(
                f"{number:>4}  {step.subscript:<{width}}  {step.flop_cost:>18,}  "
                f"{step.dense_flop_cost:>18,}  {100 * step.symmetry_savings:>7.1f}%  "
                f"{step.blas_type or '-'}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"PathInfo(equation={self.equation!r}, path={self.path!r}, "
            f"optimized_cost={self.optimized_cost:,}, naive_cost={self.naive_cost:,})"
        )
