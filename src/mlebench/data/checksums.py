"""md5 checksums of prepared files, computed the way the reference records them."""

from __future__ import annotations

from pathlib import Path

from mlebench.utils import file_digest, safe_load_yaml

# The reference checksums only these top-level file types of `public/` and `private/`.
CHECKSUMMED_EXTS = ("csv", "json", "jsonl", "parquet", "bson")


def generate_checksums(target_dir: Path, exts: tuple[str, ...] = CHECKSUMMED_EXTS) -> dict[str, str]:
    out = {}
    for ext in exts:
        for path in sorted(target_dir.glob(f"*.{ext}")):
            if path.is_file():
                out[path.name] = file_digest(path, "md5")
    return out


def prepared_checksums(prepared_dir: Path) -> dict[str, dict[str, str]]:
    return {
        "public": generate_checksums(prepared_dir / "public"),
        "private": generate_checksums(prepared_dir / "private"),
    }


def load_expected(checksums_file: Path) -> dict | None:
    if not checksums_file.is_file():
        return None
    return safe_load_yaml(checksums_file.read_text())


def compare(actual: dict[str, dict[str, str]], expected: dict) -> list[str]:
    """One human-readable line per prepared file whose md5 differs from the reference's."""
    problems = []
    for side in ("public", "private"):
        exp, act = expected.get(side, {}) or {}, actual.get(side, {})
        for name in sorted(set(exp) | set(act)):
            if name not in act:
                problems.append(f"{side}/{name}: expected by the reference but not produced")
            elif name not in exp:
                problems.append(f"{side}/{name}: produced but not checksummed by the reference")
            elif exp[name] != act[name]:
                problems.append(
                    f"{side}/{name}: md5 {act[name]} differs from the reference's {exp[name]}"
                )
    return problems
