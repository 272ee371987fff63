"""A competition's public Kaggle notebooks, for the plagiarism check.

Where they come from, first match wins:

1. `--notebooks DIR`: every `.py` / `.ipynb` file under `DIR/<competition-id>/` if that folder
   exists, else under `DIR`; a notebook is named by its path relative to that folder without the
   suffix (`owner/slug.ipynb` -> `owner/slug`, `owner_slug.py` -> `owner_slug`).
2. The cache `<data-dir>/<competition-id>/notebooks/`, once `fetched.json` marks it complete.
3. Fetched once into that cache with the official `kaggle` package (`KaggleApi.kernels_pull`)
   from the notebook refs the reference pins for the competition (`kernels.yaml`, copied from its
   `kernels.txt` files by `scripts/kernel_refs.py`). Notebooks Kaggle no longer serves (403/404)
   are listed as unavailable in `fetched.json` and skipped.

A notebook's code is its code cells joined in order (IPython magics and shell escapes become
`pass`); a `.py` file is read as is.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from mlebench.data.kaggle import TOKEN_PAGE, KaggleError, _quiet, official_api
from mlebench.errors import MLEBenchError
from mlebench.intake import IntakeRefused, read_text
from mlebench.upstream import offline
from mlebench.utils import atomic_write_text, safe_load_yaml

KERNELS_FILE = Path(__file__).with_name("kernels.yaml")
CACHE_DIR = "notebooks"
FETCHED = "fetched.json"
SUFFIXES = (".py", ".ipynb")


@cache
def _kernels() -> dict[str, tuple[str, ...]]:
    raw = safe_load_yaml(KERNELS_FILE.read_text()) or {}
    return {str(k): tuple(str(r) for r in v or ()) for k, v in raw.items()}


def kernel_refs(competition_id: str) -> list[str]:
    """The notebook refs (`owner/slug`) the reference pins for a competition ([] if none)."""
    return list(_kernels().get(competition_id, ()))


def notebook_code(text: str) -> str | None:
    """A notebook's code cells joined in order; None when `text` is not a notebook."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return None
    parts = []
    for cell in cells if isinstance(cells, list) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else str(src)
            # IPython magics and shell escapes are not Python (line numbers stay aligned).
            parts.append("\n".join("pass" if ln.lstrip().startswith(("%", "!")) else ln
                                   for ln in src.splitlines()))
    return "\n".join(parts)


def python_text(path: Path) -> str | None:
    """The Python code of a `.py` or `.ipynb` file (None when unreadable or not code). Read
    through the intake: the file itself is never a followed link, and reads are bounded."""
    try:
        text, _ = read_text(path.parent, path.name, MAX_CODE_BYTES)
    except IntakeRefused:
        return None
    return notebook_code(text) if path.suffix == ".ipynb" else text


MAX_CODE_BYTES = 4_000_000


def load_dir(folder: Path) -> dict[str, Path]:
    """{notebook name: file} for every .py/.ipynb under `folder` (a .py wins over an .ipynb)."""
    found: dict[str, Path] = {}
    for p in sorted(folder.rglob("*"), key=lambda p: (p.suffix != ".py", str(p))):
        hidden = any(part.startswith(".") for part in p.relative_to(folder).parts)
        if p.is_file() and p.suffix in SUFFIXES and not hidden:
            found.setdefault(p.relative_to(folder).with_suffix("").as_posix(), p)
    return found


def notebooks_for(competition_id: str, data_dir: Path, notebooks_dir: Path | None = None,
                  ) -> tuple[dict[str, Path], str]:
    """({name: file}, where they came from) for one competition; fetches into the cache once."""
    if notebooks_dir is not None:
        base = notebooks_dir / competition_id
        base = base if base.is_dir() else notebooks_dir
        found = load_dir(base)
        if not found:
            raise MLEBenchError(f"No notebooks (.py/.ipynb files) in {base} for "
                                f"'{competition_id}'.")
        return found, f"folder {base}"
    cache_dir = data_dir / competition_id / CACHE_DIR
    if not (cache_dir / FETCHED).is_file():
        fetch_notebooks(competition_id, cache_dir)
    found = load_dir(cache_dir)
    if not found:
        raise MLEBenchError(f"Kaggle served none of the notebooks pinned for '{competition_id}' "
                            f"(see {cache_dir / FETCHED}); pass --notebooks DIR.")
    return found, f"Kaggle, cached in {cache_dir}"


def _no_notebooks(competition_id: str, cache_dir: Path, why: str) -> MLEBenchError:
    return MLEBenchError(
        f"No notebooks for '{competition_id}': {why}. Either pass --notebooks DIR (the "
        "competition's public notebooks as <owner>/<slug>.py or .ipynb files, optionally under "
        f"DIR/{competition_id}/), or set up Kaggle credentials and go online so the notebooks the "
        f"reference pins are fetched once into {cache_dir}.")


def fetch_notebooks(competition_id: str, cache_dir: Path) -> dict[str, Any]:
    """Pull the pinned notebooks of a competition into `cache_dir`; resumable (refs already
    there are kept). Writes `fetched.json` (fetched and unavailable refs) when done."""
    refs = kernel_refs(competition_id)
    if not refs:
        raise _no_notebooks(competition_id, cache_dir, "the reference pins no notebooks for it")
    if offline():
        raise _no_notebooks(competition_id, cache_dir, "MLEBENCH_OFFLINE is set")
    try:
        api = official_api()
    except KaggleError as e:
        raise _no_notebooks(competition_id, cache_dir, str(e).rstrip(".")) from None
    have = load_dir(cache_dir) if cache_dir.is_dir() else {}
    fetched, unavailable = [], {}
    for ref in refs:
        if ref in have:
            fetched.append(ref)
            continue
        error = _pull(api, ref, cache_dir)
        if error is None:
            fetched.append(ref)
        else:
            unavailable[ref] = error
    shutil.rmtree(cache_dir / ".partial", ignore_errors=True)
    record = {"competition_id": competition_id, "fetched_at": datetime.now(UTC).isoformat(),
              "fetched": fetched, "unavailable": unavailable}
    atomic_write_text(cache_dir / FETCHED, json.dumps(record, indent=2))
    return record


def _pull(api: Any, ref: str, cache_dir: Path) -> str | None:
    """Pull one notebook to `cache_dir/<owner>/<slug>.<ext>`; an error string if Kaggle refuses."""
    import requests  # with the Kaggle client only (an optional extra)

    owner, _, slug = ref.partition("/")
    if not owner or not slug or "/" in slug or owner in (".", ".."):
        return "not an owner/slug reference"
    tmp = cache_dir / ".partial" / owner / slug
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        with _quiet():
            path = Path(api.kernels_pull(ref, path=str(tmp), quiet=True))
    except requests.HTTPError as e:
        code = e.response.status_code if e.response is not None else None
        if code in (403, 404):
            return f"Kaggle answered {code}"
        if code == 401:
            raise _no_notebooks(cache_dir.parent.name, cache_dir,
                                f"Kaggle rejected your credentials (401); create a new API "
                                f"token at {TOKEN_PAGE}") from None
        raise MLEBenchError(f"Kaggle answered {code} for notebook {ref}; try again later.") from None
    except requests.RequestException as e:
        raise MLEBenchError(f"Could not reach Kaggle for notebook {ref} ({type(e).__name__}); "
                            "check your connection, or pass --notebooks DIR.") from None
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as e:
        return f"unusable answer ({type(e).__name__}: {e})"
    if path.suffix not in SUFFIXES:
        shutil.rmtree(cache_dir / ".partial", ignore_errors=True)
        return f"not Python ({path.suffix or 'no suffix'})"
    dest = cache_dir / owner / f"{slug}{path.suffix}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    path.replace(dest)
    shutil.rmtree(cache_dir / ".partial", ignore_errors=True)
    return None
