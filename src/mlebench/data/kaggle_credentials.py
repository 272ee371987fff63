"""Kaggle credentials: where the official `kaggle` client finds them, and a message saying how to
set them up when there are none (checked before any download starts)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from mlebench.errors import MLEBenchError

TOKEN_PAGE = "https://www.kaggle.com/settings"


class KaggleError(MLEBenchError):
    """Kaggle could not be used: missing/invalid credentials, rules not accepted, network failure."""


def kaggle_config_dir() -> Path:
    """Where the `kaggle` client looks for kaggle.json (same rules as kaggle 2.x)."""
    env = os.environ.get("KAGGLE_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    legacy = Path(os.path.expanduser("~")) / ".kaggle"
    if sys.platform.startswith("linux") and not legacy.exists():
        xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        return Path(xdg) / "kaggle"
    return legacy


def _nonempty_file(path: str | Path) -> bool:
    try:
        return Path(path).is_file() and bool(Path(path).read_text().strip())
    except OSError:
        return False


def credentials_source() -> str | None:
    """Which credentials the official client would use, or None when it has none."""
    home_kaggle = Path(os.path.expanduser("~")) / ".kaggle"
    # Inside a Kaggle notebook: a token file named by KAGGLE_API_V1_TOKEN.
    if os.environ.get("KAGGLE_KERNEL_RUN_TYPE") and os.environ.get("KAGGLE_DATA_PROXY_URL"):
        path = os.environ.get("KAGGLE_API_V1_TOKEN")
        if path and _nonempty_file(path):
            return "KAGGLE_API_V1_TOKEN"
    token = os.environ.get("KAGGLE_API_TOKEN")
    if token:  # the token itself, or the path of a file holding it
        try:
            is_path = Path(token).exists()
        except OSError:
            is_path = False
        if not is_path or _nonempty_file(token):
            return "KAGGLE_API_TOKEN"
    for name in ("access_token", "access_token.txt"):
        if _nonempty_file(home_kaggle / name):
            return str(home_kaggle / name)
    values: dict[str, Any] = {}
    config = kaggle_config_dir() / "kaggle.json"
    if config.is_file():
        try:
            loaded = json.loads(config.read_text() or "{}")
            values = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            values = {}
    for key, value in os.environ.items():  # KAGGLE_USERNAME, KAGGLE_KEY override the file
        if key.startswith("KAGGLE_"):
            values[key[len("KAGGLE_") :].lower()] = value
    if values.get("username") and values.get("key"):
        return str(config) if config.is_file() else "KAGGLE_USERNAME/KAGGLE_KEY"
    oauth = home_kaggle / "credentials.json"  # written by `kaggle auth login`
    try:
        if oauth.is_file() and json.loads(oauth.read_text()).get("refresh_token"):
            return str(oauth)
    except (OSError, ValueError, AttributeError):
        pass
    return None


def missing_credentials_message() -> str:
    config = kaggle_config_dir() / "kaggle.json"
    return (
        f"No Kaggle credentials found: create an API token at {TOKEN_PAGE} (API > Create New "
        f"Token) and save the downloaded kaggle.json as {config} (chmod 600; the kaggle client "
        "reads $KAGGLE_CONFIG_DIR, else ~/.kaggle/ if that folder exists, else "
        "~/.config/kaggle/), or export KAGGLE_USERNAME and KAGGLE_KEY (or KAGGLE_API_TOKEN for "
        "a new-style token)."
    )


def check_credentials() -> None:
    """Raise KaggleError, saying how to set them up, when no Kaggle credentials are configured."""
    if credentials_source() is None:
        raise KaggleError(missing_credentials_message())
