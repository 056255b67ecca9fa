"""Pure cost formulas, one module per family; ``me.flops`` re-exports their ``__all__``."""
