"""``me.fft``: NumPy's discrete Fourier transforms, each charged before it runs.

The 14 transforms take NumPy's arguments (``n``/``axis`` for 1-D, ``s``/``axes`` for
2-D and N-D, ``norm``, ``out``) and return what ``numpy.fft`` returns, as
``me.ndarray``. Costs (cost-model §7; ``me.flops.fft_cost`` and friends give the
same numbers without running anything):

* complex 1-D (``fft``, ``ifft``): ``5*n*ceil(log2 n)`` per transform, e.g. 51,200
  for 1024 points; ``hfft`` and ``ihfft`` are charged the same over their ``n``;
* real 1-D (``rfft``, ``irfft``): ``5*(n//2)*ceil(log2 n)``, e.g. 25,600 for 1024;
* N-D (``fft2``, ``fftn``, ``ifft2``, ``ifftn``): ``5*N*sum(ceil(log2 s_i))`` with
  ``N = prod(s)`` (256x256: 5,242,880); the real ones (``rfft2``, ``rfftn``,
  ``irfft2``, ``irfftn``) use ``N//2``;
* batches multiply: a 1-D transform along ``axis`` of a (4, 1024) array costs 4 times
  one transform (204,800); N-D transforms over some ``axes`` multiply by the product of
  the other lengths;
* a transform of length (or total size) at most 1 costs 0.

``n`` defaults to the input length along ``axis``; for ``irfft``/``hfft`` and the last
axis of ``irfft2``/``irfftn`` it defaults to ``2*(m-1)``. The frequency helpers
``fftfreq``, ``rfftfreq``, ``fftshift`` and ``ifftshift`` are free. Bad arguments
raise before anything is charged.
"""

from __future__ import annotations

from ._core import registry as _registry

# ``me.fft.<op>_cost`` (as in mechestim 0.2.0): the ``me.flops`` formula of each op.
_registry.export_cost_aliases(globals(), "fft")

# The transforms arrive on first use: ``numpy.fft`` is imported then, not at ``import
# mechestim`` (``registry.LAZY_FAMILIES``). ``__all__`` then lists them.
__getattr__, __dir__ = _registry.family_module(globals(), "fft", "me.fft")
