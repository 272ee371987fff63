"""Signed, re-gradable result bundles: one tar.gz holding a whole run group and a signed manifest.

Archive layout (every member a regular file; deterministic: sorted, mtime 0, owner 0):

    manifest.json        canonical JSON (sorted keys, no whitespace, UTF-8): see `build_manifest`
    manifest.sig         detached Ed25519 signature (64 raw bytes) over manifest.json's exact bytes
    signer.pub.pem       the signer's public key (PEM); its fingerprint is in the manifest
    files/<path>         every file of the run group, <path> relative to the group folder

Merkle root over the files (`merkle_root`): paths sorted (POSIX, by code point = UTF-8 bytes);
leaf = sha256(path_utf8 || 0x00 || sha256(file) as 32 raw bytes); each level hashes adjacent pairs
as sha256(left || right) (32 raw bytes each) and promotes an odd last node unchanged to the next
level; the root is the last node (sha256 of the empty string for no files), in hex.

What a manifest never holds: private data contents (only sha256 of prepared files) and secrets
(the agent spec is the run metadata's, already redacted).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mlebench
from mlebench.aggregation import Run, aggregate_split, split_memberships
from mlebench.bundles.keys import (
    PRIVATE_KEY_PEM,
    enclosing_run_group,
    fingerprint,
    load_private_key,
    public_pem,
    raw_private_bytes,
)
from mlebench.data.checksums import prepared_checksums
from mlebench.errors import MLEBenchError
from mlebench.intake import (
    IntakeRefused,
    internal_links,
    open_regular,
    read_json,
    safe_name,
    walk,
)
from mlebench.registry import Registry
from mlebench.runtime.run_folder import RunFolder, RunMetadata, run_folders
from mlebench.utils import file_digest

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

FORMAT = "mlebench-bundle/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SIGNER_KEY = "signer.pub.pem"
FILES = "files/"
MERKLE_DOC = ("sorted paths; leaf = sha256(path_utf8 || 0x00 || file_sha256_raw); "
              "node = sha256(left || right); odd node promoted; root hex")
# Fields of a grading report that a verifier re-derives and compares.
GRADING_FIELDS = ("score", "valid_submission", "submission_exists", "any_medal", "gold_medal",
                  "silver_medal", "bronze_medal", "above_median", "gold_threshold",
                  "silver_threshold", "bronze_threshold", "median_threshold", "rank", "percentile",
                  "leaderboard_teams", "leaderboard_sha256", "is_lower_better", "task_version",
                  "synthetic", "invalid_reason", "graded_at")


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def merkle_root(file_hashes: dict[str, str]) -> str:
    """Merkle root (hex) of {path: sha256 hex}; construction in the module docstring."""
    level = [hashlib.sha256(p.encode("utf-8") + b"\x00" + bytes.fromhex(file_hashes[p])).digest()
             for p in sorted(file_hashes)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        nxt = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def sha256_file(path: Path) -> str:
    return file_digest(path, "sha256")


# A run's files are bounded by its disk limit; nothing larger is bundled (a sparse giant).
MAX_FILE_BYTES = 64 * 2**30


def hash_tree(root: Path) -> dict[str, str]:
    """sha256 of every regular file under `root` (recursive), by POSIX relative path."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): sha256_file(p)
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def _scan_file(group: Path, rel: str, secret: bytes) -> tuple[str, int, bool]:
    """(sha256, size, holds a private key): PEM private-key armour or the signing key's raw bytes.
    Read through the intake (no link followed, size capped)."""
    h, size, found, tail = hashlib.sha256(), 0, False, b""
    with open_regular(group, rel, MAX_FILE_BYTES, allow_hard_links=True) as fd:
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
            size += len(chunk)
            window = tail + chunk
            if not found and (PRIVATE_KEY_PEM.search(window) or secret in window):
                found = True
            tail = window[-64:]
    return h.hexdigest(), size, found


def collect_files(group: Path, secret: bytes) -> tuple[dict[str, dict[str, Any]], list[dict[str, str]]]:
    """Every plain file of the group, found without following links (`mlebench.intake`); links,
    special files, hard links to files outside the group and oversized files are skipped (and
    listed)."""
    files: dict[str, dict[str, Any]] = {}
    skipped: list[dict[str, str]] = []
    entries, notes = walk(group)
    skipped += [{"path": ".", "reason": note} for note in notes]
    inside = internal_links(entries)
    for e in entries:
        if e.kind == "dir":
            continue
        if e.kind != "file":
            what = "symbolic link (not followed)" if e.kind == "symlink" else f"special file ({e.kind})"
            skipped.append({"path": safe_name(e.path), "reason": what})
            continue
        if e.nlink > 1 and e.inode not in inside:
            skipped.append({"path": safe_name(e.path), "reason": "hard link to a file outside the group"})
            continue
        try:
            sha, size, has_key = _scan_file(group, e.path, secret)
        except IntakeRefused as refusal:
            skipped.append({"path": safe_name(e.path), "reason": refusal.reason})
            continue
        if has_key:
            raise MLEBenchError(
                f"Refusing to bundle {group / e.path}: it holds a private key. Remove it from the "
                "run group."
            )
        files[e.path] = {"sha256": sha, "bytes": size}
    return dict(sorted(files.items())), skipped


def source_commit() -> tuple[str | None, bool | None]:
    """(git commit of the harness source, whether tracked files differ from it), else (None, None)."""
    src = Path(mlebench.__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(src), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(src), "status", "--porcelain",
                                 "--untracked-files=no", "--", "."], capture_output=True,
                                text=True, timeout=30, check=True).stdout
        return commit or None, bool(status.strip())
    except (OSError, subprocess.SubprocessError):
        return None, None


def compute_aggregate(runs: list[dict[str, Any]], splits: dict[str, list[str]],
                      seeds: int) -> dict[str, Any]:
    """Per split, mean ± SEM over seeds of each medal metric (mlebench.aggregation's recipe).
    `runs`: dicts with competition_id, seed, status, report (a grading report or None)."""
    objs = [Run(r["competition_id"], int(r["seed"]), Path(r.get("run_id", "")), r.get("status"),
                r.get("report"), {}) for r in runs]
    out: dict[str, Any] = {"seeds": seeds, "splits": {}}
    for name, ids in splits.items():
        res = aggregate_split(name, ids, objs, seeds)
        out["splits"][name] = {
            "competitions": len(ids), "seeds": res.seeds, "runs_present": res.runs_present,
            "runs_missing": res.runs_missing,
            "metrics": {k: {"mean": v.mean, "sem": v.sem, "n": v.n} for k, v in res.metrics.items()},
        }
    # Through JSON so recorded and recomputed aggregates compare exactly.
    return json.loads(json.dumps(out))


# The run metadata a manifest records of each run, in this order.
RUN_FIELDS = ("competition_id", "seed", "attempt", "status", "exit_code", "started_at",
              "ended_at", "graded_at", "duration_s", "sandbox", "limits", "network_policy",
              "hardware", "gpu_ids", "enforcement", "peak_memory_bytes", "packages", "mounts",
              "validation", "network_requests", "environment")


def run_entry(run_id: str, meta: RunMetadata, report: dict[str, Any] | None) -> dict[str, Any]:
    """What the manifest records of one run (copied from its metadata and grading report)."""
    report = report or {}
    return {"run_id": run_id,
            **{k: report.get(k) if k == "graded_at" else getattr(meta, k) for k in RUN_FIELDS},
            "grading": {k: report.get(k) for k in GRADING_FIELDS}}


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = read_json(path.parent, path.name)
    except IntakeRefused as e:
        raise MLEBenchError(f"Cannot read {path.parent / e.path}: {e.reason}") from None
    if not isinstance(data, dict):
        raise MLEBenchError(f"Cannot read {path}: not a JSON object")
    return data


def build_manifest(group: Path, registry: Registry, key: Ed25519PrivateKey) -> dict[str, Any]:
    folders = run_folders(group)
    if not folders:
        raise MLEBenchError(f"{group} holds no runs (no <run>/{RunFolder.METADATA}).")
    runs, agents, seeds_declared = [], [], 0
    metas: dict[str, RunMetadata] = {}
    reports: dict[str, dict[str, Any]] = {}
    for run in folders:
        meta = metas[run.name] = run.require_metadata()
        if not meta.finished or not run.has_file(RunFolder.GRADING_REPORT):
            raise MLEBenchError(f"Run {run.name} is not finished (status {meta.status!r}, "
                                "grading report missing?); finish or remove it before bundling.")
        reports[run.name] = run.require_grading_report()
        runs.append(run_entry(run.name, meta, reports[run.name]))
        agents.append(meta.agent)
    group_file = group / "group.json"
    group_info = _load_json(group_file) if group_file.is_file() else {}
    seeds_declared = int(group_info.get("seeds") or 0)
    agent = agents[0]
    if any(a != agent for a in agents):
        raise MLEBenchError(f"Runs of {group} used different agent specs; bundle one agent at a time.")

    competitions: dict[str, Any] = {}
    for cid in sorted({r["competition_id"] for r in runs}):
        comp = registry.get_competition(cid)
        if not comp.private_dir.is_dir():
            raise MLEBenchError(f"'{cid}' is not prepared in {registry.get_data_dir()}; the bundle "
                                "records its data hashes (pass --data-dir).")
        # The prepared data must still be what the runs saw (md5s recorded in their metadata).
        now = prepared_checksums(comp.prepared_dir)
        for name, meta in metas.items():
            then = (meta.data or {}).get("checksums")
            if meta.competition_id == cid and then and then != now:
                raise MLEBenchError(f"Prepared data of '{cid}' in {comp.prepared_dir} changed "
                                    f"since run {name}; bundle with the data it ran on.")
        lbs = sorted({r["grading"]["leaderboard_sha256"] for r in runs
                      if r["competition_id"] == cid and r["grading"]["leaderboard_sha256"]})
        if len(lbs) > 1:
            raise MLEBenchError(f"Runs of '{cid}' were graded on different leaderboards: {lbs}.")
        competitions[cid] = {
            "task_version": comp.version,
            "private_dir": str(comp.private_dir), "public_dir": str(comp.public_dir),
            "prepared": {"public": hash_tree(comp.public_dir), "private": hash_tree(comp.private_dir)},
            "leaderboard_sha256": lbs[0] if lbs else None,
        }

    secret = raw_private_bytes(key)
    files, skipped = collect_files(group, secret)
    seeds = max([seeds_declared, *(int(r["seed"]) + 1 for r in runs)])
    splits = split_memberships([r["competition_id"] for r in runs], registry.get_split)
    agg_runs = [{"run_id": r["run_id"], "competition_id": r["competition_id"], "seed": r["seed"],
                 "status": r["status"], "report": reports[r["run_id"]]} for r in runs]
    commit, dirty = source_commit()
    return {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "harness": {"name": "mlebench", "version": mlebench.__version__,
                    "source_commit": commit, "source_dirty": dirty},
        "signer": {"algorithm": "Ed25519", "public_key_sha256": fingerprint(key.public_key())},
        "group": {"name": group.name, "created_at": group_info.get("created_at"),
                  "backend": (group_info.get("identity") or {}).get("backend"),
                  "unsafe_no_sandbox": (group_info.get("identity") or {}).get("unsafe_no_sandbox")},
        "agent": agent,
        "runs": runs,
        "competitions": competitions,
        "splits": splits,
        "aggregate": compute_aggregate(agg_runs, splits, seeds),
        "files": files,
        "skipped": skipped,
        "merkle": {"construction": MERKLE_DOC, "leaves": len(files),
                   "root": merkle_root({p: e["sha256"] for p, e in files.items()})},
    }


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), 0, 0o644
    tar.addfile(info, io.BytesIO(data))


class _HashingReader:
    def __init__(self, f: io.BufferedReader):
        self.f, self.h = f, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        self.h.update(data)
        return data


def write_archive(out: Path, manifest_bytes: bytes, signature: bytes, public_key_pem: bytes,
                  files: dict[str, Path], expected: dict[str, str] | None = None) -> None:
    """Write the bundle atomically (temporary file, then rename); `files`: bundle path -> source.
    With `expected` (path -> sha256), a file that changed since it was hashed aborts the write."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, manifest_bytes)
            _add_bytes(tar, SIGNATURE, signature)
            _add_bytes(tar, SIGNER_KEY, public_key_pem)
            for rel in sorted(files):
                info = tarfile.TarInfo(FILES + rel)
                src = files[rel]
                with open_regular(src.parent, src.name, MAX_FILE_BYTES, allow_hard_links=True
                                  ) as fd, os.fdopen(os.dup(fd), "rb") as f:
                    info.size, info.mtime, info.mode = os.fstat(fd).st_size, 0, 0o644
                    reader = _HashingReader(f)
                    tar.addfile(info, reader)  # type: ignore[arg-type]
                if expected and reader.h.hexdigest() != expected[rel]:
                    raise MLEBenchError(f"{files[rel]} changed while bundling; try again.")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sign(manifest: dict[str, Any], key: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    """(canonical manifest bytes, detached signature over them)."""
    data = canonical_json(manifest)
    return data, key.sign(data)


def make_bundle(run_group: Path, key: Path, out: Path, registry: Registry | None = None) -> Path:
    """Bundle every run of `run_group` with a signed manifest into `out` (a .tar.gz); returns it.
    `registry` locates the prepared data the runs used (default: the default data dir)."""
    group = Path(run_group).expanduser().resolve()
    if not group.is_dir():
        raise MLEBenchError(f"Run group {group} does not exist.")
    key_path = Path(key).expanduser().resolve()
    if key_path.is_relative_to(group) or enclosing_run_group(key_path.parent) is not None:
        raise MLEBenchError(f"Signing key {key_path} lies inside a run group; move it out first.")
    out = Path(out).expanduser().resolve()
    if out.is_dir():
        out = out / f"{group.name}.bundle.tar.gz"
    if out.is_relative_to(group):
        raise MLEBenchError(f"Write the bundle outside the run group ({out} is inside {group}).")
    private = load_private_key(key_path)
    manifest = build_manifest(group, registry or Registry(), private)
    data, signature = sign(manifest, private)
    files = {rel: group / rel for rel in manifest["files"]}
    write_archive(out, data, signature, public_pem(private.public_key()), files,
                  {rel: e["sha256"] for rel, e in manifest["files"].items()})
    return out
