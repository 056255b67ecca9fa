"""``me.random``: NumPy's random sampling, every draw charged against the budget.

Module-level functions use NumPy's global ``RandomState`` (the legacy
``numpy.random.*`` functions), so seeding is shared with NumPy::

    me.random.seed(0)
    a = me.random.randn(10, 20)      # charged 200 FLOPs
    np.random.seed(0)
    assert (a == np.random.randn(10, 20)).all()

Costs (cost-model §8; the same numbers come from ``me.flops.sampler_cost`` and friends):

* samplers (``normal``, ``uniform``, ``binomial``, ``randint``, ...): numel(output),
  with ``size`` given by keyword or position, else the broadcast shape of the array
  parameters; a scalar draw costs 1. ``multinomial``, ``dirichlet`` and
  ``multivariate_normal`` count their trailing dimension (``size + (k,)``);
* ``rand(*dims)``, ``randn(*dims)``: prod(dims); ``random``, ``random_sample``,
  ``ranf``, ``sample``: numel(size); all at least 1;
* ``permutation``, ``shuffle``: ``sort_cost(n) = n*ceil_log2(n)`` (``permutation(16)``
  costs 64); ``choice``: numel(size) with replacement, ``sort_cost(population)``
  without; ``bytes(length)``: length;
* ``seed``, ``get_state``, ``set_state``, ``default_rng``: free.

``default_rng(seed)`` returns :class:`Generator`, a thin wrapper of
``numpy.random.Generator``: same draws as NumPy's for the same seed, results as
``me.ndarray``, each method charged with the rules above under the op name
``"random.Generator.<method>"`` (e.g. ``"random.Generator.standard_normal"``), so
``me.random.default_rng(0).standard_normal((3, 4)).astype(me.float32)`` costs 12.

Arguments are validated before anything is charged: a refused call costs nothing.
Names NumPy has but mechestim does not support raise ``AttributeError``.
"""

from __future__ import annotations

from ._core import registry as _registry

# The functions (and ``Generator``, ``RandomState``, NumPy's bit generators) arrive on
# first use: ``numpy.random`` is imported then, not at ``import mechestim``
# (``registry.LAZY_FAMILIES``). ``__all__`` then lists every name the module exports.
__getattr__, __dir__ = _registry.family_module(globals(), "random", "me.random")
