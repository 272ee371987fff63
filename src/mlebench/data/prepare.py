"""Preparing a competition: raw download -> `prepared/public` + `prepared/private`, atomically.

Layout under `<data-dir>/<id>/` (as in the reference): `<id>.zip` (the Kaggle download), `raw/`
(its extraction) and `prepared/{public,private}`. We add `prepared/PREPARED.json`, a manifest
saying where the data came from (Kaggle, a local folder, a synthetic fixture or a practice
generator) and the prepared files' checksums.

Every step is restartable: the download resumes, extraction and preparation happen in
`*.partial` folders renamed into place only when complete, so an interrupted run never leaves a
competition that looks prepared but is not.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import mlebench
from mlebench.data import checksums as cks
from mlebench.data.archives import extract_atomically, is_archive
from mlebench.data.fixtures import make_fixture
from mlebench.data.leaks import v2_prepare
from mlebench.errors import MLEBenchError
from mlebench.utils import atomic_write_text

if TYPE_CHECKING:
    from mlebench.registry import Competition

MANIFEST = "PREPARED.json"
SYNTHETIC_MARKER = "SYNTHETIC"
Source = Literal["kaggle", "raw-dir", "synthetic", "builtin"]
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class PrepareOutcome:
    competition_id: str
    status: Literal["prepared", "skipped"]
    source: Source | None = None
    checksum_problems: list[str] = field(default_factory=list)
    checksums_verified: bool = False


def is_dataset_prepared(competition: Competition, grading_only: bool = False) -> bool:
    """Reference-compatible: private dir with the answers (and, unless `grading_only`, a public
    dir with the sample submission) exist and are non-empty."""
    public, private = competition.public_dir, competition.private_dir
    if not grading_only and (not public.is_dir() or not any(public.iterdir())):
        return False
    if not private.is_dir() or not any(private.iterdir()):
        return False
    if not competition.answers.is_file():
        return False
    if not grading_only and not competition.sample_submission.is_file():
        return False
    if competition.is_practice:  # practice data of another task version: its leaderboard differs
        return (read_prepared_manifest(competition) or {}).get("task_version") == competition.version
    return True


def read_prepared_manifest(competition: Competition) -> dict[str, Any] | None:
    path = competition.prepared_dir / MANIFEST
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


@contextmanager
def _locked(comp_dir: Path) -> Iterator[None]:
    """One preparation of a competition at a time (two terminals, or parallel workers)."""
    comp_dir.mkdir(parents=True, exist_ok=True)
    with open(comp_dir / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MLEBenchError(
                f"Another process is preparing '{comp_dir.name}' right now ({comp_dir})."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_stale(comp_dir: Path) -> None:
    """Scratch and `*.partial` folders of an interrupted run (the caller holds the lock, so no
    live preparation owns them). The resumable download (`<id>.zip.part`) is a file: kept."""
    for path in comp_dir.iterdir() if comp_dir.is_dir() else ():
        stale = path.name.startswith(".scratch-") or path.name.endswith(".partial")
        if stale and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def remove_stale_work(competition: Competition) -> None:
    """Tidy a competition's folder after an interrupted run, unless it is being prepared now."""
    if not competition.competition_dir.is_dir():
        return
    try:
        with _locked(competition.competition_dir):
            _remove_stale(competition.competition_dir)
    except MLEBenchError:
        pass  # another process is preparing it: its folders are not stale


def _swap_into_place(partial: Path, final: Path) -> None:
    old = final.with_name(final.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    partial.rename(final)
    if old.exists():
        shutil.rmtree(old)


def _raw_from_user_dir(competition: Competition, raw_dir: Path, progress: Progress | None) -> Path:
    """`--raw-dir`: a Kaggle zip, or a folder holding the zip or its extracted files."""
    raw_dir = raw_dir.expanduser().resolve()
    if not raw_dir.exists():
        raise MLEBenchError(f"--raw-dir {raw_dir} does not exist.")
    archive = None
    if raw_dir.is_file():
        if not is_archive(raw_dir):
            raise MLEBenchError(f"--raw-dir {raw_dir} is neither a folder nor a .zip/.7z archive.")
        archive = raw_dir
    else:
        for name in (f"{competition.id}.zip", f"{competition.id}.7z"):
            if (raw_dir / name).is_file() and len(list(raw_dir.iterdir())) == 1:
                archive = raw_dir / name
    if archive is None:
        return raw_dir  # already extracted: read in place, never modified
    dest = competition.competition_dir / "raw"
    if dest.exists():
        shutil.rmtree(dest)
    return extract_atomically(archive, dest, _stage(progress, "extract"))


def _raw_from_kaggle(competition: Competition, progress: Progress | None) -> Path:
    dest = competition.raw_dir
    if dest.is_dir():  # a finished extraction from an earlier run
        return dest
    from mlebench.data.kaggle import download_competition_zip  # lazy: offline runs never need it

    archive = download_competition_zip(
        competition.id, competition.competition_dir, progress=_stage(progress, "download")
    )
    return extract_atomically(archive, dest, _stage(progress, "extract"))


def _stage(progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def prepare_competition(
    competition: Competition,
    *,
    force: bool = False,
    keep_raw: bool = False,
    raw_dir: Path | None = None,
    synthetic: bool = False,
    seed: int = 0,
    description: str | None = None,
    progress: Progress | None = None,
    variant: str = "v1",
) -> PrepareOutcome:
    """Prepare one competition into its data dir. Skips a prepared one unless `force`."""
    competition.require_implemented()
    competition.require_extras()
    if variant not in ("v1", "v2"):
        raise MLEBenchError(f"Unknown variant '{variant}': use v1 or v2.")
    if is_dataset_prepared(competition) and not force:
        previous = (read_prepared_manifest(competition) or {}).get("variant", "v1")
        if previous != variant:
            raise MLEBenchError(
                f"'{competition.id}' is prepared as {previous}; pass --force to prepare it as "
                f"{variant} (or use another --data-dir to keep both)."
            )
        remove_stale_work(competition)
        return PrepareOutcome(competition.id, "skipped")
    source: Source
    if competition.is_practice:
        source = "builtin"
    elif synthetic:
        source = "synthetic"
    elif raw_dir is not None:
        source = "raw-dir"
    else:
        source = "kaggle"
    if raw_dir is not None and not Path(raw_dir).expanduser().exists():
        raise MLEBenchError(f"--raw-dir {raw_dir} does not exist.")
    comp_dir = competition.competition_dir
    with _locked(comp_dir):
        _remove_stale(comp_dir)
        # Fail before any heavy work when the description cannot be had.
        if description is None:
            description = _description_for(competition, source)
        with tempfile.TemporaryDirectory(prefix=".scratch-", dir=comp_dir) as scratch:
            if source in ("synthetic", "builtin"):
                download = make_fixture(competition, Path(scratch) / "download", seed=seed)
                raw = Path(scratch) / "raw"
                if download.is_file():
                    extract_atomically(download, raw, _stage(progress, "extract"))
                else:
                    raw = download
            elif source == "raw-dir":
                assert raw_dir is not None
                raw = _raw_from_user_dir(competition, raw_dir, progress)
            else:
                raw = _raw_from_kaggle(competition, progress)

            partial = comp_dir / "prepared.partial"
            if partial.exists():
                shutil.rmtree(partial)
            (partial / "public").mkdir(parents=True)
            (partial / "private").mkdir(parents=True)
            if progress:
                progress("prepare", 0, 1)
            try:
                competition.prepare_fn(
                    raw=raw, public=partial / "public", private=partial / "private"
                )
            except Exception as e:
                shutil.rmtree(partial, ignore_errors=True)
                raise MLEBenchError(
                    f"Preparing '{competition.id}' failed ({type(e).__name__}: {e}). "
                    f"Check the raw data in {raw}; nothing was changed in {competition.prepared_dir}."
                ) from e
            (partial / "public" / "description.md").write_text(description)
            v2_changes = _apply_variant(competition, partial, variant)
            _check_outputs(competition, partial)
            actual = cks.prepared_checksums(partial)
            manifest = {
                "competition_id": competition.id,
                "task_version": competition.version,
                "source": source,
                "synthetic": source == "synthetic",
                "seed": seed if source == "synthetic" else None,
                "variant": variant,
                "variant_changes": v2_changes,
                "prepared_at": datetime.now(UTC).isoformat(),
                "mlebench_version": mlebench.__version__,
                "checksums": actual,
            }
            atomic_write_text(partial / MANIFEST, json.dumps(manifest, indent=2))
            if source == "synthetic":
                (partial / SYNTHETIC_MARKER).write_text(
                    "This competition was prepared from a synthetic fixture, not Kaggle's data.\n"
                    "Scores on it are for smoke tests only and are never comparable with Kaggle.\n"
                )
            _swap_into_place(partial, competition.prepared_dir)
            if progress:
                progress("prepare", 1, 1)

        outcome = PrepareOutcome(competition.id, "prepared", source)
        if source in ("kaggle", "raw-dir") and variant == "v1":
            expected = cks.load_expected(competition.checksums)
            if expected:
                outcome.checksum_problems = cks.compare(actual, expected)
                outcome.checksums_verified = not outcome.checksum_problems
        # Our own extraction (of a download or a --raw-dir zip) goes; a user's folder is never ours.
        if not keep_raw and source in ("kaggle", "raw-dir") and competition.raw_dir.exists():
            shutil.rmtree(competition.raw_dir)
        return outcome


def _apply_variant(competition: Competition, partial: Path, variant: str) -> list[dict]:
    """v2: remove known leaks (see `mlebench.data.leaks`) from the fresh preparation."""
    if variant == "v1":
        return []

    result = v2_prepare(competition, partial / "public", partial / "private")
    return [asdict(c) for c in result.changes] + [{"unfixed": leak} for leak in result.unfixed]


def _description_for(competition: Competition, source: Source) -> str:
    if source in ("synthetic", "builtin"):
        card = competition.task_card.read_text() if competition.task_card.is_file() else ""
        if source == "synthetic":
            banner = (
                "> **Synthetic data.** This copy of the competition was generated by mlebench for "
                "smoke tests; it is not Kaggle's data and its scores mean nothing.\n\n"
            )
            return banner + (card or f"# {competition.name}\n")
        return card
    return competition.read_description()


def _check_outputs(competition: Competition, partial: Path) -> None:
    """The preparer must have written the answers and sample submission named in the config."""
    for label, rel in (
        ("answers", competition.config.dataset.answers),
        ("sample submission", competition.config.dataset.sample_submission),
    ):
        rel_path = Path(rel)
        if rel_path.parts[0] != "prepared":
            raise MLEBenchError(f"config of {competition.id}: {label} path must be under prepared/")
        if not (partial / Path(*rel_path.parts[1:])).is_file():
            raise MLEBenchError(
                f"Preparer of '{competition.id}' did not write its {label} ({rel})."
            )
