"""The layer every counted call goes through (the op modules sit on top of it).

``pipeline``: the one primitive, ``execute`` (arguments -> cost -> charge -> run -> keep
or refund -> finish), with the non-finite check and NumPy's error state. ``arrays``: the
one place mechestim arrays are unwrapped for NumPy (anywhere in a call) and results are
wrapped. ``protocol``: ``me.ndarray``'s NumPy hooks, routing ``np.f(x)`` and ufuncs to
the counted ops. ``config``: the library-wide switches (``me.configure``). ``naming``:
public names, modules and signatures of generated wrappers.
"""
