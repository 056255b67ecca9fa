"""Symmetry: permutation groups (``groups``), symmetric tensors and the symmetry tags
results carry (``tensor``), and noticing NumPy code that overwrites a tagged ``out=``
(``foreign_writes``)."""
