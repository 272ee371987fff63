"""Verifying a result bundle: signature, file hashes, Merkle root, the records' own consistency,
and (given a data dir) the prepared data's hashes and a full re-grade of every submission."""

from __future__ import annotations

import hashlib
import json
import math
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature

from mlebench.errors import MLEBenchError
from mlebench.intake import MAX_JSON_BYTES, IntakeRefused, json_object, read_text
from mlebench.integrity.bundle import (
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
from mlebench.integrity.keys import fingerprint, load_public_key, parse_public_key

# What a validation-call record may hold; a score (or anything like one) must never be returned.
CALL_FIELDS = {"time", "sha256", "bytes", "valid", "result"}
SCORE_WORDS = ("score", "metric", "rank", "percentile", "medal", "loss", "accuracy", "auc")
VALID_MESSAGE = "Submission is valid."
INVALID_PREFIX = "Submission invalid!"
# Re-graded fields compared with the recorded report (graded_at and notes naturally differ).
REGRADE_FIELDS = tuple(f for f in GRADING_FIELDS if f not in ("graded_at", "invalid_reason"))
MAX_NAMED = 5
CLOCK_SLACK = timedelta(seconds=5)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _names(items: list[str]) -> str:
    more = len(items) - MAX_NAMED
    return "; ".join(items[:MAX_NAMED]) + (f"; ... and {more} more" if more > 0 else "")


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


def _diff(recorded: Any, actual: Any, prefix: str = "") -> list[str]:
    """Human-readable differences between two JSON values (nested dict keys named)."""
    if isinstance(recorded, dict) and isinstance(actual, dict):
        out = []
        for k in sorted(set(recorded) | set(actual), key=str):
            out += _diff(recorded.get(k), actual.get(k), f"{prefix}{k}.")
        return out
    if recorded == actual:
        return []
    if (isinstance(recorded, float | int) and isinstance(actual, float | int)
            and not isinstance(recorded, bool) and not isinstance(actual, bool)
            and math.isclose(recorded, actual, rel_tol=1e-9, abs_tol=1e-12)):
        return []
    return [f"{prefix.rstrip('.')}: {actual!r} (recorded {recorded!r})"]


def _time(s: Any) -> datetime | None:
    try:
        t = datetime.fromisoformat(str(s))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _load(root: Path, rel: str) -> Any:
    """A bundled JSON object, taken in like any run-folder file; None if absent or unreadable."""
    return json_object(root, rel)


def _check_mounts(run: str, meta: dict, manifest: dict) -> Check:
    bad: list[str] = []
    if str(meta.get("sandbox", "")).startswith("UNSAFE"):
        bad.append(f"run without a sandbox ({meta['sandbox']}): the agent could read any file")
    mounts = meta.get("mounts")
    if not isinstance(mounts, list) or not mounts:
        return Check(f"{run}: mounts", False, "no mount list recorded")
    private_dirs = {PurePosixPath(c["private_dir"]) for c in manifest.get("competitions", {}).values()
                    if c.get("private_dir")}
    for m in mounts:
        src = PurePosixPath(str(m.get("source")))
        if src.name == "public" and src.parent.name == "prepared":
            private_dirs.add(src.parent / "private")
    for m in mounts:
        src = PurePosixPath(str(m.get("source")))
        parts = src.parts
        if any(parts[i:i + 2] == ("prepared", "private") for i in range(len(parts) - 1)):
            bad.append(f"{src} (a prepared/private path) was mounted at {m.get('target')}")
        elif any(src == p or src in p.parents for p in private_dirs):
            bad.append(f"{src} (holding the answers) was mounted at {m.get('target')}")
    if bad:
        return Check(f"{run}: mounts", False, _names(bad))
    return Check(f"{run}: mounts", True, f"{len(mounts)} mounts, no private data")


def _check_calls(run: str, root: Path, meta: dict) -> Check:
    name = f"{run}: validation calls"
    path = root / run / "validation_calls.jsonl"
    if not path.is_file():
        calls = (meta.get("validation") or {}).get("calls")
        return Check(name, not calls, "no call log" + (f" but {calls} calls recorded" if calls else ""))
    bad, n = [], 0
    try:
        text, cut = read_text(root, f"{run}/validation_calls.jsonl", MAX_JSON_BYTES)
    except IntakeRefused as e:
        return Check(name, False, f"validation_calls.jsonl {e.reason}")
    if cut:
        bad.append(f"the log is larger than {MAX_JSON_BYTES:,} bytes; only its start was read")
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        n += 1
        try:
            rec = json.loads(line)
        except ValueError:
            bad.append(f"line {i} is not JSON")
            continue
        if not isinstance(rec, dict):
            bad.append(f"line {i} is not an object")
            continue
        extra = sorted(set(rec) - CALL_FIELDS)
        scoreish = [k for k in rec if any(w in str(k).lower() for w in SCORE_WORDS)]
        if scoreish or extra:
            bad.append(f"line {i} has fields {sorted(set(scoreish) | set(extra))}")
        valid, result = rec.get("valid"), str(rec.get("result", ""))
        if valid not in (True, False, None):
            bad.append(f"line {i}: valid={valid!r}")
        elif valid is True and result != VALID_MESSAGE:
            bad.append(f"line {i}: a valid answer said {result[:80]!r}")
        elif valid is False and not result.startswith(INVALID_PREFIX):
            bad.append(f"line {i}: an invalid answer said {result[:80]!r}")
        t, start, end = _time(rec.get("time")), _time(meta.get("started_at")), _time(meta.get("ended_at"))
        if t and start and end and not (start - CLOCK_SLACK <= t <= end + CLOCK_SLACK):
            bad.append(f"line {i}: call at {t.isoformat()} outside the run ({start.isoformat()} "
                       f"to {end.isoformat()})")
    recorded = (meta.get("validation") or {}).get("calls")
    if recorded is not None and recorded != n:
        bad.append(f"{n} calls logged but metadata says {recorded}")
    if bad:
        return Check(name, False, _names(bad))
    return Check(name, True, f"{n} calls, each answered valid/invalid only")


def _check_environment(run: str, meta: dict, root: Path) -> Check:
    """The run names its environment, and the bundled locks are the ones it names (the lock's
    sha256 and the environment's content hash are recomputed from the bundled bytes)."""
    import hashlib

    from mlebench.envs.profiles import builtin_profiles, content_hash, resolve_profile

    name = f"{run}: environment"
    env = meta.get("environment")
    if not isinstance(env, dict):
        return Check(name, False, "no environment recorded: which packages the agent had is unknown")
    try:
        lock = (root / "environment.lock.txt").read_bytes()
    except OSError:
        return Check(name, False, "the environment's lock (environment.lock.txt) is not bundled")
    bad = []
    if hashlib.sha256(lock).hexdigest() != env.get("lock_sha256"):
        bad.append("environment.lock.txt is not the lock the run recorded")
    elif content_hash(lock, str(env.get("python")), str(env.get("platform"))) != env.get("hash"):
        bad.append("the recorded environment hash does not follow from its lock")
    layer = env.get("layer")
    if isinstance(layer, dict):
        try:
            layer_lock = (root / "agent-layer.lock.txt").read_bytes()
            if hashlib.sha256(layer_lock).hexdigest() != layer.get("lock_sha256"):
                bad.append("agent-layer.lock.txt is not the agent layer the run recorded")
        except OSError:
            bad.append("the agent layer's lock (agent-layer.lock.txt) is not bundled")
    if bad:
        return Check(name, False, "; ".join(bad))
    label = f"{env.get('profile')}/{env.get('variant')} {str(env.get('hash'))[:16]}"
    shipped = ""
    if env.get("profile") in builtin_profiles():
        try:
            same = resolve_profile(env["profile"], env.get("variant")).lock_sha256 == env["lock_sha256"]
            shipped = (" = this mlebench's own profile" if same
                       else " (a different lock from this mlebench's profile of that name)")
        except MLEBenchError:
            shipped = " (a variant this mlebench does not ship)"
    overrides = sorted((layer or {}).get("overrides") or {}) if isinstance(layer, dict) else []
    return Check(name, True, f"{label}{shipped}; lock sha256 matches"
                 + (f"; agent layer {len((layer or {}).get('packages') or {})} packages"
                    if isinstance(layer, dict) else "")
                 + (f", overriding {', '.join(overrides)}" if overrides else ""))


def _check_timeline(run: str, meta: dict, report: dict) -> Check:
    started, ended = _time(meta.get("started_at")), _time(meta.get("ended_at"))
    graded = _time(report.get("graded_at"))
    if None in (started, ended, graded):
        return Check(f"{run}: timeline", False,
                     f"missing or bad time (started {meta.get('started_at')}, ended "
                     f"{meta.get('ended_at')}, graded {report.get('graded_at')})")
    assert started and ended and graded
    bad = []
    if ended < started:
        bad.append(f"run ended {ended.isoformat()} before it started {started.isoformat()}")
    if graded <= ended:
        bad.append(f"graded at {graded.isoformat()}, not after the run ended {ended.isoformat()}")
    if bad:
        return Check(f"{run}: timeline", False, "; ".join(bad))
    return Check(f"{run}: timeline", True,
                 f"started {started.isoformat()}, ended {ended.isoformat()}, graded {graded.isoformat()}")


def _check_intake(run: str, report: dict, hashes: dict[str, str], manifest: dict) -> Check:
    """The graded submission was a regular file copied out of the sandbox through the intake:
    the grading report's record of it names the bundled file's bytes, and nothing of the
    submission folder was a link or special file that the bundle left out."""
    name = f"{run}: submission intake"
    rec = report.get("submission_intake")
    sub = f"{run}/submission/submission.csv"
    skipped = [s.get("path") for s in manifest.get("skipped") or []
               if isinstance(s, dict) and str(s.get("path", "")).startswith(f"{run}/submission/")]
    if skipped:
        return Check(name, False, f"links or special files in the submission folder: "
                     f"{_names([str(p) for p in skipped])}")
    if not isinstance(rec, dict):
        return Check(name, False, "the grading report does not record how the submission was "
                     "taken in (a harness without the intake, or an edited report)")
    status = rec.get("status")
    if status == "regular":
        if sub not in hashes:
            return Check(name, False, "a regular submission is recorded but not bundled")
        if hashes[sub] != rec.get("sha256"):
            return Check(name, False, f"the bundled submission's sha256 {hashes[sub][:12]}… is "
                         f"not the one taken in ({str(rec.get('sha256'))[:12]}…)")
        return Check(name, True, f"a regular file of {rec.get('bytes')} bytes, sha256 "
                     f"{hashes[sub][:12]}…, graded")
    if status in ("refused", "missing"):
        if report.get("valid_submission") or report.get("score") is not None:
            return Check(name, False, f"the submission was {status} but the report has a score")
        return Check(name, True, f"{status}: {rec.get('reason', 'no submission')}; not graded")
    return Check(name, False, f"unknown intake status {status!r}")


def expected_medals(report: dict) -> dict[str, bool | None]:
    """Medals implied by a report's score and thresholds (grading.medals' rules)."""
    gold, silver, bronze, median = (report.get(f"{k}_threshold")
                                    for k in ("gold", "silver", "bronze", "median"))
    if None in (gold, silver, bronze, median):
        return {k: None for k in ("gold_medal", "silver_medal", "bronze_medal", "above_median",
                                  "any_medal")}
    score = report.get("score")
    if score is None:
        return {"gold_medal": False, "silver_medal": False, "bronze_medal": False,
                "above_median": False, "any_medal": False}
    lower = gold < median if gold != median else bool(report.get("is_lower_better"))

    def reaches(t: float) -> bool:
        return score <= t if lower else score >= t

    g = reaches(gold)
    s = not g and reaches(silver)
    b = not g and not s and reaches(bronze)
    return {"gold_medal": g, "silver_medal": s, "bronze_medal": b,
            "above_median": score < median if lower else score > median, "any_medal": g or s or b}


def _check_medals(run: str, report: dict) -> Check:
    exp = expected_medals(report)
    diffs = [f"{k} is {report.get(k)!r} but the score and thresholds give {v!r}"
             for k, v in exp.items() if report.get(k) != v]
    if diffs:
        return Check(f"{run}: medals", False, _names(diffs))
    got = next((m for m in ("gold", "silver", "bronze") if exp[f"{m}_medal"]), "no medal")
    return Check(f"{run}: medals", True, f"score {report.get('score')!r} -> {got}")


def _aggregate_check(name: str, manifest: dict, reports: dict[str, dict | None]) -> Check:
    runs = [{"run_id": r["run_id"], "competition_id": r["competition_id"], "seed": r["seed"],
             "status": r.get("status"), "report": reports.get(r["run_id"])}
            for r in manifest.get("runs", [])]
    recorded = manifest.get("aggregate") or {}
    actual = compute_aggregate(runs, manifest.get("splits") or {}, int(recorded.get("seeds") or 0))
    diffs = _diff(recorded, actual)
    if diffs:
        return Check(name, False, _names(diffs))
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
    checks = [Check("archive", not problems, _names(problems) if problems
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
    checks.append(Check("file hashes", not diffs, _names(diffs) if diffs
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
        rmeta, report = _load(root, f"{run}/metadata.json"), _load(root, f"{run}/grading_report.json")
        if not isinstance(rmeta, dict) or not isinstance(report, dict):
            checks.append(Check(f"{run}: record", False,
                                "metadata.json or grading_report.json missing or unreadable"))
            reports[run] = None
            continue
        reports[run] = report
        d = _diff(entry, run_entry(run, rmeta, report))
        if rmeta.get("agent") != manifest.get("agent"):
            d.append("agent spec differs from the manifest's")
        checks.append(Check(f"{run}: record", not d, _names(d) if d
                            else "manifest matches metadata.json and grading_report.json"))
        checks.append(_check_mounts(run, rmeta, manifest))
        checks.append(_check_calls(run, root, rmeta))
        checks.append(_check_environment(run, rmeta, root))
        checks.append(_check_timeline(run, rmeta, report))
        checks.append(_check_medals(run, report))
        checks.append(_check_intake(run, report, hashes, manifest))
    checks.append(_aggregate_check("aggregate", manifest, reports))

    if data_dir is not None:
        checks += _check_local(manifest, root, data_dir)
    return checks


def _check_local(manifest: dict, root: Path, data_dir: Path) -> list[Check]:
    """Local prepared data against the recorded hashes, then a re-grade of every submission."""
    from mlebench.grade import grade_csv
    from mlebench.registry import Registry

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
        checks.append(Check(f"prepared data {cid}", not diffs, _names(diffs) if diffs
                            else f"{n} files in {comp.prepared_dir} match"))
    regraded: dict[str, dict | None] = {}
    for entry in manifest.get("runs") or []:
        run, cid = str(entry.get("run_id")), str(entry.get("competition_id"))
        name = f"{run}: re-grade"
        if _safe_rel(run) is None:
            continue
        recorded = _load(root, f"{run}/grading_report.json")
        try:
            report = grade_csv(root / run / "submission" / "submission.csv",
                               registry.get_competition(cid)).to_dict()
        except MLEBenchError as e:
            checks.append(Check(name, False, str(e)))
            regraded[run] = None
            continue
        regraded[run] = report
        if not isinstance(recorded, dict):
            checks.append(Check(name, False, "no recorded grading report to compare with"))
            continue
        d = _diff({k: recorded.get(k) for k in REGRADE_FIELDS}, {k: report.get(k) for k in REGRADE_FIELDS})
        checks.append(Check(name, not d, _names(d) if d else
                            f"score {report.get('score')!r}, medals and leaderboard as recorded"))
    checks.append(_aggregate_check("aggregate (re-graded)", manifest, regraded))
    return checks
