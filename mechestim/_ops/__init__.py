"""The op layer: the generic families bound from the registry (``generic``) and the list
of modules that bind the custom ops (``families``). Each op computes its cost and hands
it, with its NumPy call, to :func:`mechestim._core.pipeline.execute`."""
