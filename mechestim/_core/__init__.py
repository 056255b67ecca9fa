"""The core layer: what every op stands on. Nothing here knows a particular op.

- ``budget``: budget contexts, the one ``charge``/``refund`` pair, overruns, weights
  applied; ``session``: the session totals and summaries; ``weights``: per-op weights
  files.
- ``pipeline``: the one counted-call primitive, ``execute`` (arguments -> cost -> charge
  -> run -> keep or refund -> finish), the ``@planned`` form ops state themselves in, the
  non-finite check and NumPy's error state.
- ``arrays``: the one place mechestim arrays are unwrapped for NumPy (anywhere in a call)
  and results wrapped; ``ndarray``: the ``me.ndarray`` class; ``protocol``: its NumPy
  hooks, routing ``np.f(x)`` and ufuncs to the counted ops.
- ``registry``: every name of the NumPy surface as data (counted, free or refused);
  ``surface``: the table that classifies the names no op module binds.
- ``config``: ``me.configure``; ``naming``: public names and signatures of generated
  wrappers; ``args``: argument checks shared by the op families; ``compat``: what
  differs between the supported NumPy versions.
"""
