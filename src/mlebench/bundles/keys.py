"""Ed25519 signing keys for result bundles.

A key pair is two PEM files: the private key (PKCS#8, unencrypted, mode 0600) and the public key
(SubjectPublicKeyInfo). A key's fingerprint is the sha256 of its 32 raw public-key bytes, in hex.
Private keys must never travel with results: `keygen` refuses to write inside a run group, and
`looks_like_private_key` lets the bundler refuse any file that holds one.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mlebench.errors import MLEBenchError
from mlebench.runtime.run_folder import RunFolder

PRIVATE_KEY_NAME = "mlebench-signing-key.pem"
PUBLIC_KEY_NAME = "mlebench-signing-key.pub.pem"
# PEM armour of any private key: PKCS#8, encrypted PKCS#8, OpenSSH, RSA/EC/DSA legacy formats.
PRIVATE_KEY_PEM = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")


def enclosing_run_group(path: Path) -> Path | None:
    """The run group (a folder with group.json) or run folder (metadata.json) holding `path`."""
    path = Path(path).expanduser().resolve()
    for p in (path, *path.parents):
        if (p / "group.json").is_file() or (p / RunFolder.METADATA).is_file():
            return p
    return None


def keygen(out_dir: Path) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair into `out_dir`; returns (private_path, public_path)."""
    out_dir = Path(out_dir).expanduser().resolve()
    group = enclosing_run_group(out_dir)
    if group is not None:
        raise MLEBenchError(
            f"Refusing to write a signing key inside the run group {group}: keep keys out of "
            "results (pass another --output)."
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise MLEBenchError(f"--output {out_dir} exists and is not a folder.")
    private_path, public_path = out_dir / PRIVATE_KEY_NAME, out_dir / PUBLIC_KEY_NAME
    for p in (private_path, public_path):
        if p.exists():
            raise MLEBenchError(f"{p} already exists; refusing to overwrite a key.")
    out_dir.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # Created 0600 from the start (O_EXCL: never through a pre-existing file or link).
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(private_path, 0o600)  # in case the umask was unusual
    public_path.write_bytes(public_pem(key.public_key()))
    return private_path, public_path


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(key: Ed25519PublicKey) -> str:
    """sha256 of the raw 32-byte public key, hex."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_private_key(path: Path) -> Ed25519PrivateKey:
    path = Path(path).expanduser()
    if not path.is_file():
        raise MLEBenchError(f"Signing key {path} does not exist (create one with `mlebench keygen`).")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as e:
        raise MLEBenchError(f"{path} is not an unencrypted PEM private key ({e}).") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise MLEBenchError(f"{path} is not an Ed25519 private key.")
    return key


def parse_public_key(data: bytes, what: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm) as e:
        raise MLEBenchError(f"{what} is not a PEM public key ({e}).") from None
    if not isinstance(key, Ed25519PublicKey):
        raise MLEBenchError(f"{what} is not an Ed25519 public key.")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    path = Path(path).expanduser()
    if not path.is_file():
        raise MLEBenchError(f"Public key {path} does not exist.")
    return parse_public_key(path.read_bytes(), str(path))


def raw_private_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())
