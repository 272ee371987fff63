"""`mlebench prepare`: download (or build offline) and split competitions."""

from __future__ import annotations

import argparse
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from mlebench.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    add_competition_selector,
    console,
    data_dir_arg,
    ignore_late_interrupts,
    registry_for,
    say,
    selected_competitions,
)
from mlebench.errors import MLEBenchError

OFFLINE_HINT = ("Without Kaggle: `mlebench prepare --synthetic ...` builds a generated copy of any "
                "competition (for smoke tests), and `mlebench list --split practice` lists the "
                "competitions prepared offline from shipped data.")


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "prepare", help="Download and prepare competitions (or build them offline).",
        description="Download competitions from Kaggle (or use --raw-dir / --synthetic) and split them "
        "into public data for agents and private answers for grading. Interrupted runs resume; "
        "prepared competitions are skipped unless --force.",
    )
    add_competition_selector(p)
    data_dir_arg(p)
    p.add_argument("--keep-raw", action="store_true", help="Keep the extracted raw files.")
    p.add_argument("--force", action="store_true", help="Prepare again even if already prepared.")
    p.add_argument("--raw-dir", type=Path, help="Use an already downloaded Kaggle zip or extracted "
                   "folder (offline). With several competitions: a folder holding <id>.zip or <id>/.")
    p.add_argument("--synthetic", action="store_true", help="Prepare from each competition's "
                   "synthetic fixture: no Kaggle access; marked synthetic everywhere, never medals.")
    p.add_argument("--seed", type=int, default=0, help="Seed of the synthetic fixture (default 0).")
    p.add_argument("--variant", choices=["v1", "v2"], default="v1", help="v1 (default): the "
                   "reference's data, leaks included, for comparability; v2: known leaks removed "
                   "where a fix exists (labelled v2 everywhere; never mix with v1 results).")
    p.add_argument("--upstream-dir", type=Path, help="A local clone of the reference repository to "
                   "read pinned descriptions/leaderboards from (also $MLEBENCH_UPSTREAM_DIR).")


def _raw_dir_for(args: argparse.Namespace, cid: str, n: int) -> Path | None:
    if args.raw_dir is None:
        return None
    if n == 1:
        return args.raw_dir
    for cand in (args.raw_dir / f"{cid}.zip", args.raw_dir / cid):
        if cand.exists():
            return cand
    raise MLEBenchError(f"--raw-dir {args.raw_dir} has neither {cid}.zip nor {cid}/.")


def cmd_prepare(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.data import is_dataset_prepared
    from mlebench.data.prepare import read_prepared_manifest, remove_stale_work

    if args.upstream_dir:
        os.environ["MLEBENCH_UPSTREAM_DIR"] = str(args.upstream_dir)
    if args.raw_dir is not None and not args.raw_dir.exists():
        raise MLEBenchError(f"--raw-dir {args.raw_dir} does not exist.")
    reg = registry_for(args)
    ids = selected_competitions(args, reg) or []
    comps = [reg.get_competition(cid) for cid in ids]
    missing = [c.id for c in comps if not c.implemented]
    if missing:
        raise MLEBenchError(
            f"{len(missing)} selected competition(s) are not implemented yet: {', '.join(missing)}. "
            "Run `mlebench list` to see the implemented ones."
        )

    def prepared_as_requested(c) -> bool:
        variant = (read_prepared_manifest(c) or {}).get("variant", "v1")
        return is_dataset_prepared(c) and variant == args.variant

    todo = [c for c in comps if args.force or not prepared_as_requested(c)]
    for c in comps:
        if c not in todo:
            remove_stale_work(c)  # what an interrupted earlier run left behind
            say(f"{c.id}: already prepared (use --force to redo)")
    need_download = [c for c in todo if not c.is_practice and not args.synthetic
                     and args.raw_dir is None and not c.raw_dir.is_dir()]
    if need_download:
        # Deferred: only this verb needs it, so start-up stays light.
        from mlebench.data.kaggle import KaggleError

        try:
            _preflight_kaggle(need_download, reg.get_data_dir())
        except KaggleError as e:
            raise MLEBenchError(f"{e}\n{OFFLINE_HINT}") from None
    return _prepare_all(args, todo)


def _prepare_all(args: argparse.Namespace, todo: list) -> int:
    """Prepare each competition in turn and say what happened to each; on Ctrl-C, say exactly
    which ones were finished (from the disk, not from where the interrupt landed)."""
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.data import prepare_competition
    from mlebench.grading.api import warm_answers_cache

    started: dict[str, datetime] = {}
    finished: dict[str, object] = {}
    printed: set[str] = set()
    failures: dict[str, MLEBenchError] = {}
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=console, transient=True) as progress:
            overall = progress.add_task("competitions", total=len(todo))
            for c in todo:
                stage_task = progress.add_task(f"  {c.id}", total=None)

                def report(stage: str, done: int, total: int, _t=stage_task, _c=c.id) -> None:
                    progress.update(_t, description=f"  {_c}: {stage}", completed=done, total=total)

                started[c.id] = datetime.now(UTC)
                try:
                    finished[c.id] = prepare_competition(
                        c, force=args.force, keep_raw=args.keep_raw,
                        raw_dir=_raw_dir_for(args, c.id, len(todo)),
                        synthetic=args.synthetic, seed=args.seed, progress=report,
                        variant=args.variant,
                    )
                    if finished[c.id].status == "prepared":
                        warm_answers_cache(c)
                    _say_prepared(c.id, finished[c.id])
                    printed.add(c.id)
                except MLEBenchError as e:
                    failures[c.id] = e
                    console.print(Text.assemble(("✗", "red"), f" {c.id}: {e}"))
                progress.remove_task(stage_task)
                progress.advance(overall)
        # Still inside the try: a Ctrl-C before this line is sorted out by _after_interrupt.
        ignore_late_interrupts()
        return _summary(todo, failures)
    except KeyboardInterrupt:
        return _after_interrupt(todo, started, finished, printed, failures)


def _after_interrupt(todo, started, finished, printed, failures) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.data.prepare import read_prepared_manifest

    unfinished = []
    for c in todo:
        if c.id in failures:
            continue
        if c.id not in finished and c.id in started:
            manifest = read_prepared_manifest(c) or {}
            made = manifest.get("prepared_at")
            if made and datetime.fromisoformat(made) >= started[c.id]:  # done before the Ctrl-C
                finished[c.id] = None
        if c.id in finished:
            if c.id not in printed:
                _say_prepared(c.id, finished[c.id])
        elif c.id in started:
            unfinished.append(c.id)
            kept = "the earlier preparation is kept" if read_prepared_manifest(c) else \
                "nothing was prepared"
            console.print(Text.assemble(("✗", "red"), f" {c.id}: interrupted; {kept}"))
        else:
            unfinished.append(c.id)
    if not unfinished:  # the Ctrl-C came after the last competition was done
        return _summary(todo, failures)
    say(f"interrupted: {len(unfinished)} of {len(todo)} competition(s) not prepared "
        f"({', '.join(unfinished[:5])}{', ...' if len(unfinished) > 5 else ''}); "
        "rerun the same command to resume.", err=True)
    return EXIT_INTERRUPTED


def _say_prepared(cid: str, outcome) -> None:
    status = getattr(outcome, "status", "prepared")  # "skipped": another process prepared it
    note = f" ({outcome.source})" if getattr(outcome, "source", None) else ""
    console.print(Text.assemble(("✓", "green"), f" {cid}: {status}{note}"))
    for problem in getattr(outcome, "checksum_problems", None) or []:
        console.print(Text.assemble(("warning", "yellow"), f" {cid}: {problem}"))
    if getattr(outcome, "checksums_verified", False):
        say(f"  {cid}: prepared files match the reference md5s", err=True)


def _summary(todo: list, failures: dict[str, MLEBenchError]) -> int:
    if not failures:
        return EXIT_OK
    console.print(Text(f"{len(failures)} of {len(todo)} competition(s) failed to prepare.",
                       style="red"))
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.data.kaggle import KaggleError
    from mlebench.upstream import AssetUnavailableError

    if any(isinstance(e, KaggleError | AssetUnavailableError) for e in failures.values()):
        say(OFFLINE_HINT, err=True)
    return EXIT_FAILED


def _preflight_kaggle(comps, data_dir: Path) -> None:
    """Before any download: credentials, rules acceptance for all, total size vs free disk."""
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.data import kaggle

    kaggle.check_credentials()
    pending = kaggle.rules_not_accepted([c.id for c in comps])
    if pending:
        lines = "\n".join(f"  {cid}: https://www.kaggle.com/c/{cid}/rules" for cid in pending)
        raise MLEBenchError(
            f"Accept the rules of these {len(pending)} competition(s) on Kaggle first, then rerun:\n"
            + lines
        )
    sizes = [kaggle.download_size(c.id) for c in comps]
    known = sum(s for s in sizes if s)
    data_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(data_dir).free
    unknown = sum(1 for s in sizes if not s)
    extra = f" (+{unknown} of unknown size)" if unknown else ""
    console.print(f"Download: {known / 1e9:.2f} GB for {len(comps)} competition(s){extra}; "
                  f"free disk in {data_dir}: {free / 1e9:.2f} GB")
    if known > free:
        raise MLEBenchError("Not enough free disk space for the download.")


COMMANDS = {"prepare": cmd_prepare}
