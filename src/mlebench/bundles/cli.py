"""`mlebench keygen | bundle | verify`: argparse front ends (wired into mlebench.cli)."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlebench.errors import MLEBenchError


def _output(p: argparse.ArgumentParser, help: str) -> None:
    """`--output` (the CLI's one spelling), with the old `--out` still accepted, hidden."""
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--output", dest="out", type=Path, help=help)
    group.add_argument("--out", dest="out", type=Path, help=argparse.SUPPRESS)


def add_keygen_arguments(p: argparse.ArgumentParser) -> None:
    _output(p, "Folder for the key pair (never inside a run group).")


def add_bundle_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_group", type=Path, metavar="RUN_GROUP")
    p.add_argument("--key", type=Path, required=True, help="Ed25519 private key (mlebench keygen).")
    _output(p, "Bundle file to write (.tar.gz).")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="Data dir the runs used (default: MLEBENCH_DATA_DIR or the cache).")


def add_verify_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="Check the local prepared data and re-grade every submission against it.")
    p.add_argument("--pubkey", type=Path, default=None,
                   help="The signer's public key (default: the key embedded in the bundle).")


def cli_keygen(args: argparse.Namespace) -> int:
    # Here, not at the top: `mlebench --help` must not load cryptography or the registry.
    from mlebench.bundles.keys import fingerprint, keygen, load_public_key

    private, public = keygen(args.out)
    print(f"private key: {private} (mode 0600; keep it secret, never in a run folder)")
    print(f"public key:  {public}")
    print(f"fingerprint: {fingerprint(load_public_key(public))}")
    return 0


def cli_bundle(args: argparse.Namespace) -> int:
    from mlebench.bundles.bundle import make_bundle  # lazily, as above
    from mlebench.registry import Registry

    registry = Registry(args.data_dir) if getattr(args, "data_dir", None) else Registry()
    out = make_bundle(args.run_group, args.key, args.out, registry)
    print(f"bundle: {out}")
    return 0


def cli_verify(args: argparse.Namespace) -> int:
    from mlebench.bundles.verify import verify_bundle  # lazily, as above

    path = getattr(args, "file", None) or getattr(args, "bundle", None)
    if path is None:
        raise MLEBenchError("Name the bundle file to verify.")
    checks = verify_bundle(path, getattr(args, "data_dir", None), getattr(args, "pubkey", None))
    for c in checks:
        print(f"{'PASS' if c.ok else 'FAIL'}  {c.name}: {c.detail}")
    failed = [c for c in checks if not c.ok]
    if failed:
        print(f"FAILED: {len(failed)} of {len(checks)} checks")
        return 1
    scope = "" if getattr(args, "data_dir", None) else " (no --data-dir: submissions not re-graded)"
    print(f"OK: all {len(checks)} checks passed{scope}")
    return 0
