"""``PathInfo`` and ``StepInfo``: what a planned einsum path costs, step by step."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PathInfo", "StepInfo"]

Groups = tuple  # canonical PermutationGroup objects on axes (see mechestim._symmetry.tensor)


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

    def format_table(self, verbose: bool = False) -> str:
        """The header and one row per step: subscript, FLOPs, BLAS kind and the step's
        symmetry (input groups -> output groups, and the inner group of the summed
        labels). ``verbose=True`` adds each step's dense FLOPs and savings."""
        lines = [
            f"  Complete contraction:  {self.equation}",
            f"      Naive FLOP count:  {self.naive_cost:,}",
            f"  Optimized FLOP count:  {self.optimized_cost:,}",
            f"   Theoretical speedup:  {self.speedup:,.1f}x",
            f"  Largest intermediate:  {self.largest_intermediate:,} elements",
            f"             Optimizer:  {self.optimizer_used}",
        ]
        width = max([len("subscript")] + [len(s.subscript) for s in self.steps])
        blas = max([4] + [len(s.blas_type or "-") for s in self.steps])
        header = f"{'step':>4}  {'subscript':<{width}}  {'FLOPs':>18}  "
        if verbose:
            header += f"{'dense FLOPs':>18}  {'savings':>8}  "
        header += f"{'BLAS':<{blas}}  symmetry"
        rows = []
        for number, step in enumerate(self.steps, 1):
            row = f"{number:>4}  {step.subscript:<{width}}  {step.flop_cost:>18,}  "
            if verbose:
                row += f"{step.dense_flop_cost:>18,}  {100 * step.symmetry_savings:>7.1f}%  "
            row += f"{step.blas_type or '-':<{blas}}  {_step_symmetry_text(step)}"
            rows.append(row.rstrip())
        rule = "-" * max(len(line) for line in [header, *rows])
        lines += [rule, header, rule, *rows]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format_table(verbose=True)

    def __repr__(self) -> str:
        return (
            f"PathInfo(equation={self.equation!r}, path={self.path!r}, "
            f"optimized_cost={self.optimized_cost:,}, naive_cost={self.naive_cost:,})"
        )


def _groups_text(groups, labels: str | None = None) -> str:
    """``S3{0,1,2}``, ``C3{0,1,2} x S2{3,4}``; with ``labels`` the axes are named by them."""
    if not groups:
        return "-"
    parts = []
    for group in groups:
        text = group.describe()
        if labels is not None:
            where = text.rindex("{")
            text = text[:where] + "{" + ",".join(labels[a] for a in group.axes) + "}"
        parts.append(text)
    return " x ".join(parts)


def _step_symmetry_text(step: StepInfo) -> str:
    """``in -, S3{0,1,2} -> out S2{1,2}; inner S2{a,b}`` (empty when there is none)."""
    if not (any(step.input_symmetries) or step.output_symmetry or step.inner_symmetry):
        return ""
    inputs = ", ".join(_groups_text(g) for g in step.input_symmetries)
    text = f"in {inputs} -> out {_groups_text(step.output_symmetry)}"
    if step.inner_symmetry:
        text += f"; inner {_groups_text(step.inner_symmetry, step.inner_labels)}"
    return text
