"""Checks of one bundled run's records: its mounts, validation calls, environment, timeline,
medals and submission intake. Each returns a `Check`; `verify` runs them for every run."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from mlebench.envs.profiles import builtin_profiles, content_hash, resolve_profile
from mlebench.errors import MLEBenchError
from mlebench.intake import MAX_JSON_BYTES, IntakeRefused, read_text
from mlebench.runtime.run_folder import RunFolder, RunMetadata

# What a validation-call record may hold; a score (or anything like one) must never be returned.
CALL_FIELDS = {"time", "sha256", "bytes", "valid", "result"}
SCORE_WORDS = ("score", "metric", "rank", "percentile", "medal", "loss", "accuracy", "auc")
VALID_MESSAGE = "Submission is valid."
INVALID_PREFIX = "Submission invalid!"
MAX_NAMED = 5
CLOCK_SLACK = timedelta(seconds=5)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def named(items: list[str]) -> str:
    more = len(items) - MAX_NAMED
    return "; ".join(items[:MAX_NAMED]) + (f"; ... and {more} more" if more > 0 else "")


def json_diff(recorded: Any, actual: Any, prefix: str = "") -> list[str]:
    """Human-readable differences between two JSON values (nested dict keys named)."""
    if isinstance(recorded, dict) and isinstance(actual, dict):
        out = []
        for k in sorted(set(recorded) | set(actual), key=str):
            out += json_diff(recorded.get(k), actual.get(k), f"{prefix}{k}.")
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


def check_mounts(run: str, meta: RunMetadata, manifest: dict) -> Check:
    bad: list[str] = []
    if str(meta.sandbox or "").startswith("UNSAFE"):
        bad.append(f"run without a sandbox ({meta.sandbox}): the agent could read any file")
    mounts = meta.mounts
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
        return Check(f"{run}: mounts", False, named(bad))
    return Check(f"{run}: mounts", True, f"{len(mounts)} mounts, no private data")


def check_calls(run: str, root: Path, meta: RunMetadata) -> Check:
    name = f"{run}: validation calls"
    rel = f"{run}/{RunFolder.VALIDATION_CALLS}"
    if not (root / rel).is_file():
        calls = meta.validation_calls
        return Check(name, not calls, "no call log" + (f" but {calls} calls recorded" if calls else ""))
    bad, n = [], 0
    try:
        text, cut = read_text(root, rel, MAX_JSON_BYTES)
    except IntakeRefused as e:
        return Check(name, False, f"{RunFolder.VALIDATION_CALLS} {e.reason}")
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
        t, start, end = _time(rec.get("time")), _time(meta.started_at), _time(meta.ended_at)
        if t and start and end and not (start - CLOCK_SLACK <= t <= end + CLOCK_SLACK):
            bad.append(f"line {i}: call at {t.isoformat()} outside the run ({start.isoformat()} "
                       f"to {end.isoformat()})")
    recorded = meta.validation_calls
    if recorded is not None and recorded != n:
        bad.append(f"{n} calls logged but metadata says {recorded}")
    if bad:
        return Check(name, False, named(bad))
    return Check(name, True, f"{n} calls, each answered valid/invalid only")


def check_environment(run: str, meta: RunMetadata, root: Path) -> Check:
    """The run names its environment, and the bundled locks are the ones it names (the lock's
    sha256 and the environment's content hash are recomputed from the bundled bytes)."""
    name = f"{run}: environment"
    env = meta.environment
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


def check_timeline(run: str, meta: RunMetadata, report: dict) -> Check:
    started, ended = _time(meta.started_at), _time(meta.ended_at)
    graded = _time(report.get("graded_at"))
    if None in (started, ended, graded):
        return Check(f"{run}: timeline", False,
                     f"missing or bad time (started {meta.started_at}, ended "
                     f"{meta.ended_at}, graded {report.get('graded_at')})")
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


def check_intake(run: str, report: dict, hashes: dict[str, str], manifest: dict) -> Check:
    """The graded submission was a regular file copied out of the sandbox through the intake:
    the grading report's record of it names the bundled file's bytes, and nothing of the
    submission folder was a link or special file that the bundle left out."""
    name = f"{run}: submission intake"
    rec = report.get("submission_intake")
    sub = f"{run}/{RunFolder.SUBMISSION}"
    skipped = [s.get("path") for s in manifest.get("skipped") or []
               if isinstance(s, dict) and str(s.get("path", "")).startswith(f"{run}/submission/")]
    if skipped:
        return Check(name, False, f"links or special files in the submission folder: "
                     f"{named([str(p) for p in skipped])}")
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


def check_medals(run: str, report: dict) -> Check:
    exp = expected_medals(report)
    diffs = [f"{k} is {report.get(k)!r} but the score and thresholds give {v!r}"
             for k, v in exp.items() if report.get(k) != v]
    if diffs:
        return Check(f"{run}: medals", False, named(diffs))
    got = next((m for m in ("gold", "silver", "bronze") if exp[f"{m}_medal"]), "no medal")
    return Check(f"{run}: medals", True, f"score {report.get('score')!r} -> {got}")
