"""Shared data for the example suite: seeded, built in fixtures (setup is not charged)."""

from __future__ import annotations

import numpy as np
import pytest

import mechestim as me


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(2024)


@pytest.fixture
def mlp_params(rng: np.random.Generator) -> dict[str, me.ndarray]:
    """Weights of a 64 -> 128 -> 10 perceptron (He-style scaling)."""
    return {
        "w1": me.asarray(rng.standard_normal((64, 128)) * np.sqrt(2 / 64)),
        "b1": me.asarray(np.zeros(128)),
        "w2": me.asarray(rng.standard_normal((128, 10)) * np.sqrt(2 / 128)),
        "b2": me.asarray(np.zeros(10)),
    }


@pytest.fixture
def batch(rng: np.random.Generator) -> me.ndarray:
    return me.asarray(rng.standard_normal((32, 64)))
