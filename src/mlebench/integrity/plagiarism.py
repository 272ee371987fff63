"""Plagiarism check: each run's code against the competition's public notebooks, with Dolos.

Dolos (https://dolos.ugent.be, the tool the reference used) is an optional Node.js component:
`npm install --prefix ~/.cache/mle-bench/dolos @dodona/dolos-lib@3` (or `npm install -g
@dodona/dolos-lib@3`). `find_dolos` looks for its `@dodona/dolos-lib` package under `--dolos PATH`,
`$MLEBENCH_DOLOS`, that cache folder, then `npm root -g`.

A run's code files are the `.py` and `.ipynb` files under its `code/` and `logs/` folders (notebooks
reduced to their code cells). Dolos compares them with every notebook in one analysis; for each
file the most similar notebook and Dolos' similarity (0..1, the share of both files' fingerprints
they have in common) are recorded in `<run>/integrity_plagiarism.json`, and a file at or above the
threshold flags the run. DEFAULT_THRESHOLD = 0.6 is the review threshold the MLE-bench paper
describes for this check (the reference's code sets none): code independently written for the same
task shares imports and pandas/sklearn idioms (about 0.1-0.45 against the task's notebooks), while a
copied or lightly edited notebook scores 0.8-1.0.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from mlebench.errors import MLEBenchError
from mlebench.intake import regular_files
from mlebench.integrity.notebooks import notebooks_for, python_text
from mlebench.integrity.rules import resolve_competition
from mlebench.runtime.run_folder import RunFolder, run_folders
from mlebench.utils import atomic_write_text

PLAGIARISM_FILE = RunFolder.PLAGIARISM
PLAGIARISM_VERSION = 1
DEFAULT_THRESHOLD = 0.6
CODE_DIRS = (RunFolder.CODE, RunFolder.LOGS)
CODE_SUFFIXES = (".py", ".ipynb")
WRAPPER = Path(__file__).with_name("dolos_wrapper.mjs")
LIB = ("@dodona", "dolos-lib")
TIMEOUT_S = 900
INSTALL_HINT = ("install it with `npm install --prefix ~/.cache/mle-bench/dolos @dodona/dolos-lib@3` "
                "(needs Node.js >= 18), or pass --dolos PATH")


class DolosUnavailable(MLEBenchError):
    """Node.js or the Dolos library is not installed."""


def default_dolos_dir() -> Path:
    return Path(user_cache_dir()) / "mle-bench" / "dolos"


def _lib_in(base: Path) -> Path | None:
    """dolos-lib's package folder at or under `base` (an npm prefix, node_modules, or the package)."""
    for cand in (base, base / Path(*LIB), base / "node_modules" / Path(*LIB),
                 base / "node_modules" / "@dodona" / "dolos" / "node_modules" / Path(*LIB),
                 base / "lib" / "node_modules" / Path(*LIB)):
        try:
            if json.loads((cand / "package.json").read_text()).get("name") == "/".join(LIB):
                return cand
        except (OSError, ValueError):
            continue
    return None


def _npm_root() -> Path | None:
    npm = shutil.which("npm")
    if not npm:
        return None
    try:
        out = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def find_dolos(path: Path | None = None) -> tuple[str, Path, str]:
    """(node executable, dolos-lib entry file, dolos-lib version); DolosUnavailable if missing."""
    node = shutil.which("node")
    if node is None:
        raise DolosUnavailable(f"Node.js (`node`) is not on PATH: Dolos needs it; {INSTALL_HINT}.")
    if path is not None:
        candidates = [Path(path).expanduser()]
    else:
        env = os.environ.get("MLEBENCH_DOLOS")
        candidates = [Path(env).expanduser()] if env else []
        candidates.append(default_dolos_dir())
        root = _npm_root()
        if root is not None:
            candidates.append(root)
    for base in candidates:
        pkg = _lib_in(base)
        if pkg is not None:
            meta = json.loads((pkg / "package.json").read_text())
            entry = meta.get("exports") or meta.get("module") or meta.get("main") or "index.js"
            if isinstance(entry, dict):
                entry = entry.get("import") or entry.get("default") or next(iter(entry.values()))
            return node, (pkg / str(entry)).resolve(), str(meta.get("version"))
    where = ", ".join(str(c) for c in candidates)
    raise DolosUnavailable(f"Dolos (@dodona/dolos-lib) is not installed (looked in {where}); "
                           f"{INSTALL_HINT}.")


def run_dolos(node: str, lib: Path, files: list[Path], timeout: float = TIMEOUT_S,
              ) -> list[dict[str, Any]]:
    """Every pair's similarity among `files` (Python), as Dolos reports it."""
    request = json.dumps({"lib": str(lib), "language": "python", "files": [str(f) for f in files]})
    try:
        out = subprocess.run([node, str(WRAPPER)], input=request, capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        raise MLEBenchError(f"Dolos did not finish within {timeout:.0f} s.") from None
    if out.returncode != 0:
        tail = (out.stderr or out.stdout).strip().splitlines()[-3:]
        raise MLEBenchError(f"Dolos failed (exit {out.returncode}): {' | '.join(tail)}")
    try:
        return json.loads(out.stdout)
    except ValueError:
        raise MLEBenchError(f"Dolos printed no JSON: {out.stdout[:200]!r}") from None


def code_files(run_dir: Path) -> list[Path]:
    """The agent's code files of a run (see the module docstring): plain files only, found
    without following links (`mlebench.intake`)."""
    return [run_dir / e.path for sub in CODE_DIRS
            if (run_dir / sub).is_dir() and not (run_dir / sub).is_symlink()
            for e in regular_files(run_dir, sub)[0] if Path(e.path).suffix in CODE_SUFFIXES]


def _write_sources(dest: Path, items: dict[str, Path]) -> dict[Path, str]:
    """Write each item's Python text to `dest/<n>.py`; returns {written file: name}."""
    dest.mkdir(parents=True)
    out = {}
    for i, (name, src) in enumerate(sorted(items.items())):
        text = python_text(src)
        if text and text.strip():
            path = dest / f"{i}.py"
            path.write_text(text, encoding="utf-8")
            out[path.resolve()] = name
    return out


def compare(files: dict[str, Path], notebooks: dict[str, Path], node: str, lib: Path,
            threshold: float = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
    """For each code file (name -> path): its most similar notebook and the similarity."""
    with tempfile.TemporaryDirectory(prefix="mlebench-dolos-") as tmp:
        agent = _write_sources(Path(tmp) / "run", files)
        nbs = _write_sources(Path(tmp) / "notebooks", notebooks)
        best: dict[str, dict[str, Any]] = {
            name: {"file": name, "notebook": None, "similarity": 0.0, "longest": 0, "overlap": 0}
            for name in agent.values()}
        if agent and nbs:
            for pair in run_dolos(node, lib, [*agent, *nbs]):
                left, right = Path(pair["left"]).resolve(), Path(pair["right"]).resolve()
                if left in nbs and right in agent:
                    left, right = right, left
                if left not in agent or right not in nbs:
                    continue
                entry = best[agent[left]]
                if float(pair["similarity"]) > entry["similarity"]:
                    entry.update(notebook=nbs[right], similarity=float(pair["similarity"]),
                                 longest=int(pair.get("longest") or 0),
                                 overlap=int(pair.get("overlap") or 0))
    skipped = sorted(set(files) - set(agent.values()))
    results = [{**e, "flagged": e["similarity"] >= threshold} for e in best.values()]
    results += [{"file": name, "notebook": None, "similarity": None, "flagged": False,
                 "note": "empty or unreadable"} for name in skipped]
    return sorted(results, key=lambda e: e["file"])


def check_run(run_dir: Path, competition_id: str, notebooks: dict[str, Path], source: str,
              node: str, lib: Path, lib_version: str, threshold: float = DEFAULT_THRESHOLD,
              ) -> dict[str, Any]:
    """Compare one run's code with the notebooks; writes and returns its plagiarism record."""
    files = {p.relative_to(run_dir).as_posix(): p for p in code_files(run_dir)}
    results = compare(files, notebooks, node, lib, threshold)
    sims = [r["similarity"] for r in results if r["similarity"] is not None]
    flagged = [r for r in results if r["flagged"]]
    record = {
        "plagiarism_version": PLAGIARISM_VERSION, "competition_id": competition_id,
        "tool": {"name": "dolos", "package": "/".join(LIB), "version": lib_version},
        "threshold": threshold,
        "notebooks": {"source": source, "count": len(notebooks), "names": sorted(notebooks)},
        "summary": {"flagged": bool(flagged), "files": len(results),
                    "flagged_files": len(flagged), "max_similarity": max(sims, default=None)},
        "files": results,
    }
    atomic_write_text(run_dir / PLAGIARISM_FILE, json.dumps(record, indent=2))
    return record


def check_group(run_group: Path, data_dir: Path, notebooks_dir: Path | None = None,
                threshold: float = DEFAULT_THRESHOLD, dolos: Path | None = None,
                ) -> dict[str, dict[str, Any]]:
    """Check every run of a group (notebooks loaded or fetched once per competition)."""
    if not 0.0 <= threshold <= 1.0:
        raise MLEBenchError(f"--threshold must be between 0 and 1 (got {threshold}).")
    if notebooks_dir is not None and not notebooks_dir.is_dir():
        raise MLEBenchError(f"--notebooks {notebooks_dir} is not a folder.")
    node, lib, version = find_dolos(dolos)
    runs = [run.path for run in run_folders(Path(run_group), unrecorded=True)]
    if not runs:
        raise MLEBenchError(f"{run_group} holds no runs.")
    by_comp: dict[str, tuple[dict[str, Path], str]] = {}
    results = {}
    for rd in runs:
        cid, _ = resolve_competition(None, rd, None)
        if cid not in by_comp:
            by_comp[cid] = notebooks_for(cid, data_dir, notebooks_dir)
        nbs, source = by_comp[cid]
        results[rd.name] = check_run(rd, cid, nbs, source, node, lib, version, threshold)
    return results
