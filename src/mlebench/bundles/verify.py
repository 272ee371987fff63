"""Verifying a result bundle: signature, file hashes, Merkle root, the records' own consistency,
and (given a data dir) the prepared data's hashes and a full re-grade of every submission."""

from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature

from mlebench.bundles.bundle import (
    FILES,
    FORMAT,
    GRADING_FIELDS,
    MANIFEST,
    SIGNATURE,
    SIGNER_KEY,
    canonical_json,
    compute_aggregate,
    hash_tree,
    merkle_root,
    run_entry,
)
from mlebench.bundles.keys import fingerprint, load_public_key, parse_public_key
from mlebench.bundles.run_checks import (
    Check,
    check_calls,
    check_environment,
    check_intake,
    check_medals,
    check_mounts,
    check_timeline,
    json_diff,
    named,
)
from mlebench.errors import MLEBenchError
from mlebench.registry import Registry
from mlebench.runtime.run_folder import RunFolder

# Re-graded fields compared with the recorded report (graded_at and notes naturally differ).
REGRADE_FIELDS = tuple(f for f in GRADING_FIELDS if f not in ("graded_at", "invalid_reason"))


def _safe_rel(name: str) -> str | None:
    p = PurePosixPath(name)
    if p.is_absolute() or not p.parts or any(part in ("", ".", "..") for part in p.parts):
        return None
    return p.as_posix()


def _read_archive(path: Path, dest: Path) -> tuple[dict[str, bytes], dict[str, str], list[str]]:
    """(manifest/signature/key member bytes, {file path: sha256}, problems). Files are written
    under `dest`; only plain files with safe relative names are accepted."""
    meta: dict[str, bytes] = {}
    hashes: dict[str, str] = {}
    problems: list[str] = []
    with tarfile.open(path, "r:gz") as tar:
        for m in tar:
            rel = _safe_rel(m.name)
            if rel is None or not m.isfile():
                problems.append(f"unexpected member {m.name!r} ({'not a plain file' if rel else 'unsafe name'})")
                continue
            f = tar.extractfile(m)
            assert f is not None
            if rel in (MANIFEST, SIGNATURE, SIGNER_KEY):
                if rel in meta:
                    problems.append(f"duplicate member {rel}")
                meta[rel] = f.read()
            elif rel.startswith(FILES) and len(rel) > len(FILES):
                inner = rel[len(FILES):]
                if inner in hashes:
                    problems.append(f"duplicate member {rel}")
                target = dest / inner
                target.parent.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256()
                with open(target, "wb") as out:
                    while chunk := f.read(1 << 20):
                        h.update(chunk)
                        out.write(chunk)
                hashes[inner] = h.hexdigest()
            else:
                problems.append(f"unexpected member {m.name!r}")
    for need in (MANIFEST, SIGNATURE, SIGNER_KEY):
        if need not in meta:
            problems.append(f"{need} is missing")
    return meta, hashes, problems


def _check_signature(meta: dict[str, bytes], manifest: dict | None,
                     pinned: tuple[Any, Path] | None) -> list[Check]:
    checks = []
    recorded_fp = ((manifest or {}).get("signer") or {}).get("public_key_sha256")
    embedded = None
    try:
        embedded = parse_public_key(meta.get(SIGNER_KEY, b""), f"the bundle's {SIGNER_KEY}")
        efp = fingerprint(embedded)
        ok = efp == recorded_fp
        checks.append(Check("signer key", ok, f"embedded public key {efp[:16]}… "
                            + ("is the manifest's signer" if ok
                               else f"is not the manifest's signer ({str(recorded_fp)[:16]}…)")))
    except MLEBenchError as e:
        checks.append(Check("signer key", False, str(e)))
    if pinned is not None:
        key, key_path = pinned
        which = f"the key given with --pubkey ({key_path}, {fingerprint(key)[:16]}…)"
    elif embedded is not None:
        key = embedded
        which = (f"the public key embedded in the bundle ({fingerprint(key)[:16]}…); "
                 "pass --pubkey to pin the signer")
    else:
        return [*checks, Check("signature", False, "no usable public key to check it with")]
    try:
        key.verify(meta.get(SIGNATURE, b""), meta.get(MANIFEST, b""))
        checks.insert(0, Check("signature", True, f"manifest signature valid under {which}"))
    except InvalidSignature:
        checks.insert(0, Check("signature", False,
                               f"the manifest's signature does not verify under {which}"))
    return checks


def _aggregate_check(name: str, manifest: dict, reports: dict[str, dict | None]) -> Check:
    runs = [{"run_id": r["run_id"], "competition_id": r["competition_id"], "seed": r["seed"],
             "status": r.get("status"), "report": reports.get(r["run_id"])}
            for r in manifest.get("runs", [])]
    recorded = manifest.get("aggregate") or {}
    actual = compute_aggregate(runs, manifest.get("splits") or {}, int(recorded.get("seeds") or 0))
    diffs = json_diff(recorded, actual)
    if diffs:
        return Check(name, False, named(diffs))
    head = [f"{s}: {v['metrics']['any_medal']['mean']:.1f} ± {v['metrics']['any_medal']['sem']:.1f}"
            for s, v in actual["splits"].items()]
    return Check(name, True, "any medal (%) " + ", ".join(head))


def verify_bundle(path: Path, data_dir: Path | None = None,
                  pubkey: Path | None = None) -> list[Check]:
    """Every check of a bundle; a failed check's detail names what differs."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise MLEBenchError(f"Bundle {path} does not exist.")
    pinned = (load_public_key(Path(pubkey)), Path(pubkey)) if pubkey else None
    if data_dir is not None and not Path(data_dir).expanduser().is_dir():
        raise MLEBenchError(f"--data-dir {data_dir} does not exist.")
    with tempfile.TemporaryDirectory(prefix="mlebench-verify-") as tmp:
        return _verify(path, Path(tmp), Path(data_dir).expanduser() if data_dir else None, pinned)


def _verify(path: Path, root: Path, data_dir: Path | None,
            pinned: tuple[Any, Path] | None) -> list[Check]:
    try:
        meta, hashes, problems = _read_archive(path, root)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as e:
        return [Check("archive", False, f"{path} is not a readable .tar.gz bundle ({e})")]
    checks = [Check("archive", not problems, named(problems) if problems
                    else f"{len(hashes)} files")]
    manifest: dict | None = None
    try:
        manifest = json.loads(meta.get(MANIFEST, b"").decode("utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
    except (ValueError, UnicodeDecodeError) as e:
        manifest = None
        checks.append(Check("manifest", False, f"manifest.json is not JSON ({e})"))
    checks += _check_signature(meta, manifest, pinned)
    if manifest is None:
        return checks
    try:
        return checks + _check_manifest(manifest, meta, hashes, root, data_dir)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        return [*checks, Check("manifest", False, f"malformed manifest ({type(e).__name__}: {e})")]


def _check_manifest(manifest: dict, meta: dict[str, bytes], hashes: dict[str, str], root: Path,
                    data_dir: Path | None) -> list[Check]:
    checks: list[Check] = []
    fmt_ok = manifest.get("format") == FORMAT
    canonical = canonical_json(manifest) == meta[MANIFEST]
    checks.append(Check("manifest", fmt_ok and canonical,
                        f"format {manifest.get('format')!r}"
                        + ("" if fmt_ok else f" (expected {FORMAT})")
                        + ("" if canonical else "; not in canonical JSON form")
                        + f"; harness {(manifest.get('harness') or {}).get('version')} at commit "
                        f"{(manifest.get('harness') or {}).get('source_commit')}"))

    # Every file's hash, and the Merkle root over them.
    recorded = {p: (e or {}).get("sha256") for p, e in (manifest.get("files") or {}).items()}
    diffs = [f"{p}: sha256 {hashes[p][:12]}… (recorded {str(recorded[p])[:12]}…)"
             for p in sorted(recorded) if p in hashes and hashes[p] != recorded[p]]
    diffs += [f"{p}: missing from the archive" for p in sorted(set(recorded) - set(hashes))]
    diffs += [f"{p}: in the archive but not in the manifest" for p in sorted(set(hashes) - set(recorded))]
    skipped = manifest.get("skipped") or []
    note = f" ({len(skipped)} links/special files were not bundled)" if skipped else ""
    checks.append(Check("file hashes", not diffs, named(diffs) if diffs
                        else f"{len(recorded)} files match the manifest{note}"))
    root_rec = (manifest.get("merkle") or {}).get("root")
    try:
        root_manifest = merkle_root({p: str(h) for p, h in recorded.items()})
    except ValueError:
        root_manifest = None
    root_files = merkle_root(hashes)
    mk = []
    if root_manifest != root_rec:
        mk.append(f"root of the manifest's hashes {root_manifest} != recorded {root_rec}")
    if root_files != root_rec:
        mk.append(f"root of the archive's files {root_files} != recorded {root_rec}")
    checks.append(Check("merkle root", not mk, "; ".join(mk) if mk else f"{root_rec}"))

    # Each run: the manifest's record matches the bundled files; those files are consistent.
    reports: dict[str, dict | None] = {}
    for entry in manifest.get("runs") or []:
        run = str(entry.get("run_id"))
        if _safe_rel(run) is None:
            checks.append(Check(f"{run}: record", False, "unsafe run id"))
            continue
        folder = RunFolder(root / run)  # names checked safe; read through the intake
        rmeta, report = folder.metadata(), folder.grading_report()
        if rmeta is None or report is None:
            checks.append(Check(f"{run}: record", False, f"{RunFolder.METADATA} or "
                                f"{RunFolder.GRADING_REPORT} missing or unreadable"))
            reports[run] = None
            continue
        reports[run] = report
        d = json_diff(entry, run_entry(run, rmeta, report))
        if rmeta.agent != manifest.get("agent"):
            d.append("agent spec differs from the manifest's")
        checks.append(Check(f"{run}: record", not d, named(d) if d
                            else f"manifest matches {RunFolder.METADATA} and "
                            f"{RunFolder.GRADING_REPORT}"))
        checks.append(check_mounts(run, rmeta, manifest))
        checks.append(check_calls(run, root, rmeta))
        checks.append(check_environment(run, rmeta, root))
        checks.append(check_timeline(run, rmeta, report))
        checks.append(check_medals(run, report))
        checks.append(check_intake(run, report, hashes, manifest))
    checks.append(_aggregate_check("aggregate", manifest, reports))

    if data_dir is not None:
        checks += _check_local(manifest, root, data_dir)
    return checks


def _check_local(manifest: dict, root: Path, data_dir: Path) -> list[Check]:
    """Local prepared data against the recorded hashes, then a re-grade of every submission."""
    from mlebench.grade import grade_csv  # the grading stack, loaded only to re-grade

    checks: list[Check] = []
    registry = Registry(data_dir)
    for cid, rec in sorted((manifest.get("competitions") or {}).items()):
        try:
            comp = registry.get_competition(cid)
        except MLEBenchError as e:
            checks.append(Check(f"prepared data {cid}", False, str(e)))
            continue
        diffs = []
        for side, folder in (("public", comp.public_dir), ("private", comp.private_dir)):
            want, have = (rec.get("prepared") or {}).get(side) or {}, hash_tree(folder)
            diffs += [f"{side}/{p}: sha256 differs" for p in sorted(want)
                      if p in have and have[p] != want[p]]
            diffs += [f"{side}/{p}: missing locally" for p in sorted(set(want) - set(have))]
            diffs += [f"{side}/{p}: not in the bundle's record" for p in sorted(set(have) - set(want))]
        n = sum(len(v) for v in (rec.get("prepared") or {}).values())
        checks.append(Check(f"prepared data {cid}", not diffs, named(diffs) if diffs
                            else f"{n} files in {comp.prepared_dir} match"))
    regraded: dict[str, dict | None] = {}
    for entry in manifest.get("runs") or []:
        run, cid = str(entry.get("run_id")), str(entry.get("competition_id"))
        name = f"{run}: re-grade"
        if _safe_rel(run) is None:
            continue
        folder = RunFolder(root / run)
        recorded = folder.grading_report()
        try:
            report = grade_csv(folder.submission_path,
                               registry.get_competition(cid)).to_dict()
        except MLEBenchError as e:
            checks.append(Check(name, False, str(e)))
            regraded[run] = None
            continue
        regraded[run] = report
        if not isinstance(recorded, dict):
            checks.append(Check(name, False, "no recorded grading report to compare with"))
            continue
        d = json_diff({k: recorded.get(k) for k in REGRADE_FIELDS}, {k: report.get(k) for k in REGRADE_FIELDS})
        checks.append(Check(name, not d, named(d) if d else
                            f"score {report.get('score')!r}, medals and leaderboard as recorded"))
    checks.append(_aggregate_check("aggregate (re-graded)", manifest, regraded))
    return checks
