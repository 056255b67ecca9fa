"""The op layer, one module per family. Each op states its NumPy call and its cost (a
``mechestim._costs`` formula) once, and hands both to
:func:`mechestim._core.pipeline.execute`.

``generic``: the pointwise, reduction and free families generated from the registry;
``contractions``, ``linalg``, ``fft``, ``sorting``, ``polynomial``, ``window``,
``random`` (+ ``random_state``), ``clip``, ``calculus``, ``correlation``,
``comparison``, ``sequences``, ``phase`` (``unwrap``) and ``surface``
(emath, ``matvec``/``vecmat``, the free rest of NumPy) bind the custom ops;
``callbacks`` runs user functions (``vectorize``, ``apply_along_axis``, ...) with their
inner ops charged. ``families`` lists the modules to import, in order.
"""
