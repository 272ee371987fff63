"""Check that fixtures and prepared files have the same bytes whatever the CPU's vector units.

numpy picks SIMD kernels at run time (AVX-512, AVX2/FMA3, SSE), OpenBLAS picks a kernel per core
type and glibc's libm picks FMA variants of exp/log/sin...; last-ulp differences between those paths
change the bytes of anything printed from float maths, and numpy's AVX-512 quicksort orders ties
differently, so a digest recorded on one CPU fails on another. This script emulates older CPUs on
this one (NPY_DISABLE_CPU_FEATURES, OPENBLAS_CORETYPE, GLIBC_TUNABLES, JSIMD_FORCESSE2), generates
every competition's fixture and prepared tree under each profile in a fresh process, and lists
every file whose md5 differs between profiles. It can only emulate down: run it on the most
capable CPU at hand.

    .venv/bin/python scripts/check_cpu_independence.py                  # all 85 competitions
    .venv/bin/python scripts/check_cpu_independence.py -c spaceship-titanic --seeds 0 1

Exit status 0 when every file matches across profiles, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

AVX512 = "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR"
# Each profile: environment of a CPU without the named units. numpy can only switch off its
# dispatched features (the baseline SSE..SSE3 always stays); OPENBLAS_CORETYPE picks the BLAS
# kernels of an older core; GLIBC_TUNABLES hides units from libm's ifunc selection.
PROFILES: dict[str, dict[str, str]] = {
    "default": {},
    "no-avx512": {
        "NPY_DISABLE_CPU_FEATURES": AVX512,
        "OPENBLAS_CORETYPE": "Haswell",
        "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX512F,-AVX512CD,-AVX512BW,-AVX512DQ,-AVX512VL",
    },
    "sse4-only": {
        "NPY_DISABLE_CPU_FEATURES": f"AVX F16C FMA3 AVX2 {AVX512}",
        "OPENBLAS_CORETYPE": "Nehalem",
        "JSIMD_FORCESSE2": "1",  # libjpeg-turbo (Pillow's JPEG) without its AVX2 kernels
        "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX,-AVX2,-FMA,-FMA4,-AVX512F,-AVX512CD,-AVX512BW,"
                          "-AVX512DQ,-AVX512VL",
    },
}


def _md5(path: Path) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tree_md5s(root: Path, prefix: str, open_archives: bool = False) -> dict[str, str]:
    """`{prefix/relative/path: md5}`; with `open_archives`, a .zip or .7z is listed member by
    member (`archive!member`), since preparers stamp archives with the time of writing."""
    out = {}
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        key = f"{prefix}/{p.relative_to(root).as_posix()}"
        if open_archives and p.suffix in (".zip", ".7z"):
            out |= _archive_md5s(p, key)
        else:
            out[key] = _md5(p)
    return out


def _archive_md5s(path: Path, key: str) -> dict[str, str]:
    import py7zr

    with tempfile.TemporaryDirectory() as tmp:
        try:
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as zf:
                    zf.extractall(tmp)
            else:
                with py7zr.SevenZipFile(path) as archive:
                    archive.extractall(tmp)
        except (zipfile.BadZipFile, py7zr.Bad7zFile):  # a placeholder copied as is
            return {key: _md5(path)}
        return {f"{key}!{rel.split('/', 1)[1]}": md5
                for rel, md5 in tree_md5s(Path(tmp), "x", open_archives=True).items()}


def emit(competition_ids: list[str], seeds: list[int]) -> None:
    """Worker: one JSON line per (competition, seed) with the md5 of every file it produced."""
    from mlebench.data.archives import extract_atomically
    from mlebench.data.fixtures import make_fixture
    from mlebench.registry import Registry

    registry = Registry()
    for cid in competition_ids:
        competition = registry.get_competition(cid)
        for seed in seeds:
            with tempfile.TemporaryDirectory(prefix=f"cpu-check-{cid}-") as tmp:
                tmp_path = Path(tmp)
                record: dict = {"competition": cid, "seed": seed}
                try:
                    download = make_fixture(competition, tmp_path / "download", seed=seed)
                    files = tree_md5s(tmp_path / "download", "download")
                    raw = download
                    if download.is_file():
                        raw = extract_atomically(download, tmp_path / "raw")
                        files |= tree_md5s(raw, "raw")
                    for side in ("public", "private"):
                        (tmp_path / side).mkdir()
                    competition.prepare_fn(raw=raw, public=tmp_path / "public", private=tmp_path / "private")
                    files |= tree_md5s(tmp_path / "public", "public", open_archives=True)
                    files |= tree_md5s(tmp_path / "private", "private", open_archives=True)
                    record["files"] = files
                except Exception as e:  # report and go on: one broken competition hides no others
                    record["error"] = f"{type(e).__name__}: {e}"
                print(json.dumps(record), flush=True)


def run_profile(name: str, competition_ids: list[str], seeds: list[int]) -> dict[tuple[str, int], dict]:
    env = {**os.environ, **PROFILES[name]}
    cmd = [sys.executable, __file__, "--emit", "--seeds", *map(str, seeds), "-c", *competition_ids]
    out = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=True).stdout
    records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {(r["competition"], r["seed"]): r for r in records}


def compare(results: dict[str, dict[tuple[str, int], dict]]) -> list[str]:
    """Lines naming each (competition, seed, file) whose md5 is not the same under every profile."""
    problems = []
    base_name, *others = results
    base = results[base_name]
    for key, record in base.items():
        cid, seed = key
        if "error" in record:
            problems.append(f"{cid} seed {seed}: {base_name}: {record['error']}")
            continue
        for other in others:
            theirs = results[other].get(key, {})
            if "error" in theirs or "files" not in theirs:
                problems.append(f"{cid} seed {seed}: {other}: {theirs.get('error', 'no result')}")
                continue
            for rel in sorted(set(record["files"]) | set(theirs["files"])):
                if record["files"].get(rel) != theirs["files"].get(rel):
                    problems.append(f"{cid} seed {seed}: {rel} differs ({base_name} vs {other})")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--competition", nargs="+", dest="competitions",
                        help="competition ids (default: every implemented one)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--profiles", nargs="+", choices=list(PROFILES), default=list(PROFILES))
    parser.add_argument("--emit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    ids = args.competitions
    if not ids:
        from mlebench.registry import Registry

        registry = Registry()
        ids = [c for c in registry.list_competition_ids() if registry.get_competition(c).implemented]
    if args.emit:
        emit(ids, args.seeds)
        return 0
    results = {}
    for name in args.profiles:
        print(f"profile {name}: {len(ids)} competition(s) x {len(args.seeds)} seed(s)", file=sys.stderr)
        results[name] = run_profile(name, ids, args.seeds)
    problems = compare(results)
    for line in problems:
        print(line)
    n_files = sum(len(r.get("files", {})) for r in results[args.profiles[0]].values())
    print(f"{len(problems)} difference(s) in {n_files} file(s) across {', '.join(args.profiles)}",
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
