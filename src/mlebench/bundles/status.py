"""A result bundle's verification status, passed to report.html, report.md and `mlebench view`.

A run group's bundle is the file given with `--bundle`, else `<group>.bundle.tar.gz` next to the
group (the name `mlebench bundle GROUP --output DIR` gives it). The bundle is checked with
`bundles.verify.verify_bundle` (signature, file hashes, Merkle root, records, mounts, timeline,
medals and aggregate; re-grading every submission only when a data dir is given), and the run
group's current files are compared with the hashes the bundle recorded (`_report/`, which
`mlebench view` writes into the group, and files added later such as new integrity findings, are
not compared): a report whose numbers no longer match the signed bundle is marked failed.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

from mlebench.bundles.bundle import sha256_file
from mlebench.bundles.verify import verify_bundle
from mlebench.errors import MLEBenchError

BUNDLE_SUFFIX = ".bundle.tar.gz"
NOT_COMPARED = ("_report/",)


def find_bundle(group: Path) -> Path | None:
    """`<group>.bundle.tar.gz` next to the group, if there is one."""
    group = Path(group).resolve()
    path = group.parent / f"{group.name}{BUNDLE_SUFFIX}"
    return path if path.is_file() else None


def _manifest(bundle: Path) -> dict[str, Any]:
    try:
        with tarfile.open(bundle, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            data = json.loads(member.read()) if member else {}
    except (tarfile.TarError, KeyError, OSError, ValueError, EOFError):
        return {}
    return data if isinstance(data, dict) else {}


def _group_diffs(manifest: dict[str, Any], group: Path) -> list[str]:
    diffs = []
    for rel, entry in sorted((manifest.get("files") or {}).items()):
        if rel.startswith(NOT_COMPARED):
            continue
        path = group / rel
        if not path.is_file():
            diffs.append(f"{rel}: missing from the run group")
        elif sha256_file(path) != (entry or {}).get("sha256"):
            diffs.append(f"{rel}: differs from the bundled file")
    return diffs


def bundle_status(bundle: Path, group: Path | None = None, data_dir: Path | None = None,
                  pubkey: Path | None = None) -> dict[str, Any]:
    """{"status": "verified" | "failed", "failed": [{"name", "detail"}], "signer_fingerprint",
    "checks", "regraded", ...}; never raises for a bad bundle (its failure is the status)."""
    bundle = Path(bundle).expanduser().resolve()
    status: dict[str, Any] = {"path": str(bundle), "regraded": data_dir is not None,
                              "pubkey": str(pubkey) if pubkey else None}
    try:
        checks = [{"name": c.name, "ok": c.ok, "detail": c.detail}
                  for c in verify_bundle(bundle, data_dir, pubkey)]
    except MLEBenchError as e:
        checks = [{"name": "bundle", "ok": False, "detail": str(e)}]
    manifest = _manifest(bundle) if bundle.is_file() else {}
    if group is not None and manifest:
        diffs = _group_diffs(manifest, Path(group))
        more = f"; ... and {len(diffs) - 5} more" if len(diffs) > 5 else ""
        checks.append({"name": "run group matches bundle", "ok": not diffs,
                       "detail": "; ".join(diffs[:5]) + more if diffs
                       else f"{Path(group).name}'s files are the bundled ones"})
    failed = [c for c in checks if not c["ok"]]
    status.update({
        "status": "failed" if failed else "verified",
        "checks": len(checks), "failed": failed,
        "signer_fingerprint": (manifest.get("signer") or {}).get("public_key_sha256"),
        "group_name": (manifest.get("group") or {}).get("name"),
        "created_at": manifest.get("created_at"),
    })
    return status


def bundle_statuses(group_dirs: list[Path], bundles: list[Path] | None = None,
                    data_dir: Path | None = None, pubkey: Path | None = None) -> list[dict]:
    """Verification status of the given bundles, else of each group's `<group>.bundle.tar.gz`.
    A given bundle is compared with the group it was made from (by name; else the first)."""
    groups = [Path(g) for g in group_dirs]
    if bundles:
        out = []
        for b in bundles:
            if not Path(b).is_file():
                raise MLEBenchError(f"Bundle {b} does not exist.")
            name = Path(b).name.removesuffix(".tar.gz").removesuffix(".bundle")
            group = next((g for g in groups if g.resolve().name == name), groups[0])
            out.append(bundle_status(Path(b), group, data_dir, pubkey))
        return out
    return [bundle_status(b, g, data_dir, pubkey) for g in groups if (b := find_bundle(g))]
