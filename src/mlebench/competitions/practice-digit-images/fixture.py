"""`practice-digit-images.zip`: 1,797 new 32x32 greyscale PNGs, one per handwritten digit bundled
with scikit-learn (8x8 images, 17 grey levels): the digit blended with its two nearest bundled
digits of the same label, then drawn through its own random deformation (a rightward slant,
rotation, scale, shift, smooth elastic fields), contrast, background and pixel noise, so that no
practice image is a bundled one or a plain transform of one. Laid out like a Kaggle image competition:
`train/<id>.png`, `test/<id>.png`, train.csv (`id,label`) and sample_submission.csv (`id,label`)
for the unlabelled test images."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image
from sklearn.datasets import load_digits

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.practice import DATA_SEED, kaggle_split

COMPETITION_ID = "practice-digit-images"
SIZE = 32
FP = 1 << 12  # fixed-point scale of the inverse affine map
UNIT = 2 * FP  # source offsets are in 1/UNIT of an output pixel
SPAN = 4 * UNIT  # one source (8x8) pixel: 4 output pixels
BLEND = 3  # bundled digits mixed into each new one
# Output-to-source map: a slant (the practice digits lean right, like italic handwriting: plain
# pixel matching against the upright bundled digits fails), rotation, scale and shift.
SHEAR = (0.15, 0.45)
TURN = 0.14  # |tan(theta / 2)|: up to about 16 degrees
SCALE_X = SCALE_Y = (1 / 1.2, 1 / 0.8)
SHIFT = 3  # pixels
GAIN = (200, 256)  # stroke brightness
NOISE = 25  # pixel noise: the sum of two uniform integers in [-NOISE, NOISE]
# smooth elastic displacement fields, summed: (control-grid cells per side, largest shift)
ELASTIC = ((4, UNIT), (8, UNIT))


def _half_offsets() -> tuple[np.ndarray, np.ndarray]:
    """2 x (pixel centre - image centre) of every output pixel, as (x, y) grids."""
    half = 2 * np.arange(SIZE, dtype=np.int64) + 1 - SIZE
    return np.meshgrid(half, half)


def _smooth_field(control: np.ndarray) -> np.ndarray:
    """A (g+1)x(g+1) grid of control values, at every (32/g)th pixel edge (g divides 32),
    bilinearly spread over the 32x32 pixel centres (integers, rounded down)."""
    cell = 2 * SIZE // (len(control) - 1)  # in half pixels
    pos = 2 * np.arange(SIZE, dtype=np.int64) + 1  # pixel centres, in half pixels
    k = pos // cell
    f = pos - cell * k
    rows = control[k, :] * (cell - f)[:, None] + control[k + 1, :] * f[:, None]
    return (rows[:, k] * (cell - f)[None, :] + rows[:, k + 1] * f[None, :]) // (cell * cell)


def _inverse_affine(rng: np.random.Generator) -> np.ndarray:
    """A random output-to-source linear map in fixed point (rotation by theta, shear, scale:
    see the constants above). Plain float arithmetic, rounded to integers: the same on every
    CPU."""
    t, shear = rng.uniform(-TURN, TURN), rng.uniform(*SHEAR)
    kx, ky = rng.uniform(*SCALE_X), rng.uniform(*SCALE_Y)
    cos, sin = (1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)
    a = [[cos * kx, (cos * shear - sin) * ky], [sin * kx, (sin * shear + cos) * ky]]
    return np.rint(np.array(a) * FP).astype(np.int64)


def blend_sources(images: np.ndarray, labels: np.ndarray) -> list[np.ndarray]:
    """For each 8x8 digit, the positions of the BLEND digits mixed into its practice image:
    itself and its nearest digits of the same label (squared pixel distance, ties by position)."""
    flat = images.reshape(len(images), -1).astype(np.int64)
    out = []
    for i in range(len(images)):
        same = np.flatnonzero(labels == labels[i])
        distance = ((flat[same] - flat[i]) ** 2).sum(axis=1)
        out.append(same[np.argsort(distance, kind="stable")[:BLEND]])
    return out


def blend(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Each 8x8 digit (0..16) mixed with its blend sources, with random whole weights 1-16: a
    new digit between them. Integer arithmetic throughout."""
    flat = images.reshape(len(images), -1).astype(np.int64)
    out = []
    for sources in blend_sources(images, labels):
        weights = rng.integers(1, 17, len(sources))
        total = (weights[:, None] * flat[sources]).sum(axis=0)
        out.append(((2 * total + weights.sum()) // (2 * weights.sum())).reshape(images.shape[1:]))
    return out


def deform(image_8x8: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One new 32x32 uint8 image of an 8x8 digit (values 0..16), in integer arithmetic."""
    a = _inverse_affine(rng)
    shift = rng.integers(-SHIFT * UNIT, SHIFT * UNIT + 1, 2)
    elastic = [rng.integers(-reach, reach + 1, (2, cells + 1, cells + 1)) for cells, reach in ELASTIC]
    gain, background = int(rng.integers(*GAIN)), int(rng.integers(0, 40))
    gx, gy = _half_offsets()
    # source position in 1/SPAN source pixels; source pixel i is centred at output 4i + 2
    ux = a[0, 0] * gx + a[0, 1] * gy + shift[0] + 14 * UNIT
    uy = a[1, 0] * gx + a[1, 1] * gy + shift[1] + 14 * UNIT
    for field in elastic:
        ux, uy = ux + _smooth_field(field[0]), uy + _smooth_field(field[1])
    ix, iy = ux // SPAN, uy // SPAN
    fx, fy = ux - ix * SPAN, uy - iy * SPAN
    padded = np.zeros((12, 12), dtype=np.int64)  # zero outside the digit
    padded[2:10, 2:10] = image_8x8

    def at(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return padded[np.clip(j + 2, 0, 11), np.clip(i + 2, 0, 11)]

    bilinear = (at(ix, iy) * (SPAN - fx) * (SPAN - fy) + at(ix + 1, iy) * fx * (SPAN - fy)
                + at(ix, iy + 1) * (SPAN - fx) * fy + at(ix + 1, iy + 1) * fx * fy)
    stroke = (bilinear * gain + 8 * SPAN * SPAN) // (16 * SPAN * SPAN)
    noise = rng.integers(-NOISE, NOISE + 1, (2, SIZE, SIZE)).sum(axis=0)
    return np.clip(background + stroke + noise, 0, 255).astype(np.uint8)


def png_bytes(pixels: np.ndarray) -> bytes:
    """An 8-bit greyscale PNG."""
    buf = io.BytesIO()
    Image.fromarray(pixels, mode="L").save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def image_ids(n: int) -> list[str]:
    """Opaque, unique 12-hex-digit ids (they reveal neither the label nor the original order)."""
    rng = np.random.default_rng(DATA_SEED + 1)
    ids: list[str] = []
    seen: set[str] = set()
    while len(ids) < n:
        candidate = f"{int(rng.integers(0, 2**48)):012x}"
        if candidate not in seen and not candidate.isdigit():
            seen.add(candidate)
            ids.append(candidate)
    return ids


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    """`seed` is ignored: the practice data is fixed (see `_kit.practice`)."""
    digits = load_digits()
    rng = np.random.default_rng(DATA_SEED + 2)
    images = [deform(mixed, rng) for mixed in blend(digits.images, digits.target, rng)]
    ids = image_ids(len(images))
    train_rows, test_rows = kaggle_split(len(images))
    files: dict[str, pd.DataFrame | bytes] = {}
    train = pd.DataFrame({"id": [ids[i] for i in train_rows], "label": digits.target[train_rows]})
    test_ids = [ids[i] for i in test_rows]
    files["train.csv"] = train
    files["sample_submission.csv"] = pd.DataFrame({"id": test_ids, "label": 0})
    files["train/"] = b""
    for i in train_rows:
        files[f"train/{ids[i]}.png"] = png_bytes(images[i])
    files["test/"] = b""
    for i in test_rows:
        files[f"test/{ids[i]}.png"] = png_bytes(images[i])
    return write_zip(Path(out_dir) / f"{COMPETITION_ID}.zip", files)
