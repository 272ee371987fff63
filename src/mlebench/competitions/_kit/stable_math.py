"""Float maths for fixtures whose bytes are pinned, with the same result on every CPU.

numpy's exp, log, arccos, power, tanh... take SIMD paths chosen at run time (AVX-512, AVX2) and
glibc's sin/cos pick FMA variants; their last bit differs between CPUs, so a value written to a
CSV or JSON file from them changes the file's md5. Fixtures therefore draw in integer or
fixed-decimal space and use the IEEE operations (+ - * / sqrt, exact everywhere) or the helpers
here. Values truncated to integers afterwards (pixels, PCM samples) may keep numpy's sin: a last-bit
change moves them only within about 1e-12 of an integer."""

from __future__ import annotations

from decimal import Decimal, localcontext

_PI = Decimal("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899")


def cos_sin(x: float) -> tuple[float, float]:
    """`(cos(x), sin(x))` correctly rounded: Taylor series in 36-digit decimal arithmetic on the
    argument reduced to [-pi/4, pi/4] (about 60 us; for scalars and short lists)."""
    with localcontext() as ctx:
        ctx.prec = 36
        d = Decimal(float(x))  # the exact binary value
        quadrant = (d / (_PI / 2)).to_integral_value()
        r = d - quadrant * (_PI / 2)
        r2 = r * r
        c, s, term_c, term_s = Decimal(1), r, Decimal(1), r
        for k in range(1, 20):  # (pi/4)^39 / 39! < 1e-43
            term_c = -term_c * r2 / ((2 * k - 1) * (2 * k))
            term_s = -term_s * r2 / ((2 * k) * (2 * k + 1))
            c += term_c
            s += term_s
    cos_r, sin_r = float(c), float(s)  # Decimal -> float rounds to nearest
    return ((cos_r, sin_r), (-sin_r, cos_r), (-cos_r, -sin_r), (sin_r, -cos_r))[int(quadrant) % 4]
