"""Signed, re-gradable result bundles (`mlebench keygen | bundle | verify`) and a bundle's
verification status for reports: `keys`, `bundle`, `verify`, `status` and `cli`. Public names are
re-exported lazily, so importing this package never pulls in `cryptography`."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "make_bundle": "bundle", "merkle_root": "bundle",
    "keygen": "keys",
    "Check": "verify", "verify_bundle": "verify",
    "bundle_status": "status", "bundle_statuses": "status", "find_bundle": "status",
    "cli_keygen": "cli", "cli_bundle": "cli", "cli_verify": "cli",
    "add_keygen_arguments": "cli", "add_bundle_arguments": "cli", "add_verify_arguments": "cli",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
