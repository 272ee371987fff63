"""The fixtures' CPU-independent cos/sin: correctly rounded, so pinned fixture bytes hold on any CPU."""

import math

import numpy as np
import pytest

from mlebench.competitions._kit.stable_math import cos_sin

pytestmark = pytest.mark.digest

# (x, cos x, sin x) correctly rounded (mpmath at 200 bits); glibc's cos/sin miss the last bit on
# these, so a fixture using them would print other digits on CPUs with or without FMA.
CORRECTLY_ROUNDED = [
    (-182.6565281758103, 0.9029743947258316, -0.42969435936432526),
    (74.25155708001239, 0.41152776750620307, -0.9113972221657034),
    (268.77562015971955, 0.16863855434170613, -0.9856779585592544),
    (-139.5589741879552, 0.23954666732670463, -0.9708848511397575),
]


@pytest.mark.parametrize(("x", "cos", "sin"), CORRECTLY_ROUNDED)
def test_correctly_rounded_where_libm_is_not(x, cos, sin):
    assert cos_sin(x) == (cos, sin)


def test_within_one_ulp_of_libm_in_every_quadrant():
    for x in np.random.default_rng(0).uniform(-300, 300, 500).tolist():
        c, s = cos_sin(x)
        assert abs(c - math.cos(x)) <= math.ulp(c) and abs(s - math.sin(x)) <= math.ulp(s), x


def test_exact_values():
    assert cos_sin(0.0) == (1.0, 0.0)
    assert cos_sin(1e-300) == (1.0, 1e-300)
    assert cos_sin(math.pi) == (-1.0, math.sin(math.pi))  # 1.2246467991473532e-16, exact to the bit
    assert cos_sin(np.float64(math.pi / 2)) == (math.cos(math.pi / 2), 1.0)
