"""The run folder as one typed contract: every path of a run folder (`RunFolder`) and its
metadata (`RunMetadata`).

    <group>/<competition>_seed<k>/
      metadata.json  grading_report.json            written by the harness
      intake.json  validation_calls.jsonl  network_log.jsonl  agent.stdout.log  agent.stderr.log
      submission/ logs/ code/ agent/                what the agent wrote (copied out through the intake)
      integrity_findings.json  integrity_judge.json  integrity_plagiarism.json
      .harness/                                     the harness's scratch (workspace, instructions)

Everything that reads a run (reports, bundles, integrity checks, view, regrade, aggregation) reads
it here, and every read goes through `mlebench.intake`: a run folder may come from another machine,
and all but the harness's own records are the agent's, so no file is followed through a link and
no read is unbounded. Older folders lack fields: `RunMetadata` leaves them None, and a field of the
wrong type is dropped (listed in `invalid_fields`) rather than failing the whole run.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from mlebench.errors import MLEBenchError
from mlebench.intake import IntakeRefused, json_object, read_json

FINAL_STATUSES = ("completed", "timed-out", "crashed", "killed-for-memory", "killed-for-disk")


class RunMetadata(BaseModel):
    """metadata.json of a run (runtime.runs writes it). Unknown fields are kept (`model_extra`)."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    run_id: str | None = None
    competition_id: str | None = None
    seed: int | None = None
    attempt: int | None = None
    status: str | None = None
    exit_code: int | None = None
    started_at: str | None = None
    ended_at: str | None = None
    duration_s: float | None = None
    agent: dict[str, Any] | None = None
    limits: dict[str, Any] | None = None
    network_policy: str | None = None
    gpu_ids: list[Any] | None = None
    hardware: dict[str, Any] | None = None
    environment: dict[str, Any] | None = None
    packages: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    sandbox: str | None = None
    enforcement: dict[str, Any] | None = None
    peak_memory_bytes: int | None = None
    mounts: list[Any] | None = None
    validation: dict[str, Any] | None = None
    network_requests: dict[str, Any] | None = None
    agent_reported_llm_usage: dict[str, Any] | None = None
    intake: dict[str, Any] | None = None
    grading: dict[str, Any] | None = None
    invalid_fields: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> RunMetadata:
        """Validate tolerantly: a field of the wrong type is dropped and named, never fatal."""
        data = {k: v for k, v in raw.items() if k != "invalid_fields"}
        dropped: list[str] = []
        for _ in range(len(cls.model_fields) + 1):
            try:
                return cls.model_validate({**data, "invalid_fields": tuple(dropped)})
            except ValidationError as e:
                bad = {str(err["loc"][0]) for err in e.errors() if err["loc"]}
                bad &= set(data)
                if not bad:
                    raise
                dropped += sorted(bad)
                data = {k: v for k, v in data.items() if k not in bad}
        raise AssertionError("unreachable: every round drops at least one field")

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def agent_name(self) -> str:
        return str((self.agent or {}).get("name", "?"))

    @property
    def validation_calls(self) -> Any:
        return (self.validation or {}).get("calls")


@dataclass(frozen=True)
class RunFolder:
    """The paths of one run folder. Names relative to it are class constants, for the intake's
    (root, relative name) reads."""

    path: Path

    METADATA = "metadata.json"
    GRADING_REPORT = "grading_report.json"
    INTAKE = "intake.json"
    VALIDATION_CALLS = "validation_calls.jsonl"
    NETWORK_LOG = "network_log.jsonl"
    STDOUT = "agent.stdout.log"
    STDERR = "agent.stderr.log"
    SUBMISSION_DIR = "submission"
    SUBMISSION = "submission/submission.csv"
    LOGS = "logs"
    CODE = "code"
    AGENT = "agent"
    AGENT_FOLDERS = ("submission", "logs", "code", "agent")  # the agent's writable folders
    TOKENS = "logs/tokens.jsonl"
    HARNESS = ".harness"
    FINDINGS = "integrity_findings.json"
    JUDGE = "integrity_judge.json"
    PLAGIARISM = "integrity_plagiarism.json"

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))

    @property
    def name(self) -> str:
        return self.path.name

    def __truediv__(self, rel: str) -> Path:
        return self.path / rel

    metadata_path = property(lambda self: self.path / self.METADATA)
    grading_report_path = property(lambda self: self.path / self.GRADING_REPORT)
    intake_path = property(lambda self: self.path / self.INTAKE)
    validation_calls_path = property(lambda self: self.path / self.VALIDATION_CALLS)
    network_log_path = property(lambda self: self.path / self.NETWORK_LOG)
    submission_dir = property(lambda self: self.path / self.SUBMISSION_DIR)
    submission_path = property(lambda self: self.path / self.SUBMISSION)
    logs_dir = property(lambda self: self.path / self.LOGS)
    code_dir = property(lambda self: self.path / self.CODE)
    agent_dir = property(lambda self: self.path / self.AGENT)
    tokens_path = property(lambda self: self.path / self.TOKENS)
    harness_dir = property(lambda self: self.path / self.HARNESS)

    # --- reads, all through the intake -----------------------------------------------------------
    def json(self, rel: str) -> dict[str, Any] | None:
        """A JSON object of the folder; None when missing, refused (a link...) or not an object."""
        return json_object(self.path, rel)

    def metadata(self) -> RunMetadata | None:
        """metadata.json, or None when missing or unreadable."""
        raw = self.json(self.METADATA)
        return None if raw is None else RunMetadata.parse(raw)

    def require_metadata(self) -> RunMetadata:
        """metadata.json, or a one-line `MLEBenchError` saying why it cannot be read."""
        return RunMetadata.parse(self._require(self.METADATA))

    def grading_report(self) -> dict[str, Any] | None:
        return self.json(self.GRADING_REPORT)

    def require_grading_report(self) -> dict[str, Any]:
        return self._require(self.GRADING_REPORT)

    def _require(self, rel: str) -> dict[str, Any]:
        try:
            data = read_json(self.path, rel)
        except IntakeRefused as e:
            raise MLEBenchError(f"Cannot read {self.path / e.path}: {e.reason}") from None
        if not isinstance(data, dict):
            raise MLEBenchError(f"Cannot read {self.path / rel}: not a JSON object")
        return data

    def has_file(self, rel: str) -> bool:
        """A regular file (not a link) at `rel`; its parents are not checked for links."""
        try:
            return stat.S_ISREG(os.lstat(self.path / rel).st_mode)
        except OSError:
            return False

    def has_dir(self, rel: str) -> bool:
        try:
            return stat.S_ISDIR(os.lstat(self.path / rel).st_mode)
        except OSError:
            return False

    def is_finished(self) -> bool:
        """A final status in its metadata and a grading report: re-running keeps it."""
        meta = self.metadata()
        return bool(meta and meta.finished and self.has_file(self.GRADING_REPORT))


def run_folders(group: Path, *, unrecorded: bool = False) -> list[RunFolder]:
    """The run folders of a run group, sorted: real folders (never links; a run folder may come
    from anywhere) holding a metadata.json file, and with `unrecorded` also those holding only a
    submission/ folder (a run whose harness died before writing its metadata)."""
    out = []
    try:
        children = list(Path(group).iterdir())
    except OSError:
        return []
    for p in children:
        run = RunFolder(p)
        try:
            if not stat.S_ISDIR(os.lstat(p).st_mode):
                continue
        except OSError:
            continue
        if run.has_file(RunFolder.METADATA) or (unrecorded and run.has_dir(RunFolder.SUBMISSION_DIR)):
            out.append(run)
    return sorted(out, key=lambda r: r.path)
