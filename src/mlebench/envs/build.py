"""Building an environment from its lock with uv: once, into a content-addressed folder.

`<envs dir>/<hash16>/` is a relocatable virtual environment (uv venv --relocatable) of the
profile's Python whose site-packages hold exactly the lock's packages, plus `env.json` (what it
is: profile, variant, hashes, base interpreter, packages) and `lock.txt` (the lock it was built
from). It is built in `.partial-<hash16>/` and renamed into place only after it was verified
against the lock, so a half-built folder is never taken as built; re-running an interrupted
build continues in the partial folder and reuses the wheels already in uv's cache
(`<envs dir>/.cache`).

uv runs isolated from the machine's configuration (`--no-config`, no UV_*/PIP_* variables), so
a pip.conf's constraints or extra indexes never change what is installed; the packages come
from PyPI (`MLEBENCH_INDEX_URL` for a mirror) or, offline, only from a wheel folder
(`--wheels DIR`: `--offline --no-index --find-links DIR`). Every file is checked against the
lock's sha256 hashes (`--require-hashes`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from mlebench.envs.profiles import EnvSpec, normalize, parse_lock
from mlebench.errors import MLEBenchError
from mlebench.utils import write_json

ENV_FORMAT = "mlebench-env/1"
DEFAULT_INDEX = "https://pypi.org/simple"
# Inside the sandbox the environment and the agent's layer are mounted here (read-only).
INSIDE_ENV = "/opt/mlebench/env"
INSIDE_LAYER = "/opt/mlebench/layer"
INSIDE_LAYER_SITE = f"{INSIDE_LAYER}/site-packages"
# The environment's site-packages puts the agent's layer (if any) just before its own packages
# (so a layer's explicit pins win), through a .pth file and a small module of ours.
LAYER_VAR = "MLEBENCH_AGENT_LAYER"
LAYER_PTH_NAME = "_mlebench_agent_layer.pth"
LAYER_PTH_TEXT = "import _mlebench_agent_layer\n"
LAYER_HOOK_NAME = "_mlebench_agent_layer.py"
LAYER_HOOK_TEXT = f'''"""mlebench: the agent's requirements layer (${LAYER_VAR}) on sys.path just before this
environment's site-packages; nothing without a layer."""
import os
import site
import sys


def _add():
    layer = os.environ.get("{LAYER_VAR}")
    if not layer or not os.path.isdir(layer) or layer in sys.path:
        return
    here = os.path.dirname(os.path.abspath(__file__))
    n = len(sys.path)
    site.addsitedir(layer)
    added = sys.path[n:]
    del sys.path[n:]
    at = sys.path.index(here) if here in sys.path else len(sys.path)
    sys.path[at:at] = added


_add()
'''


def install_layer_hook(site_packages: Path) -> None:
    """Write the layer hook into an environment's site-packages (idempotent)."""
    for name, text in ((LAYER_HOOK_NAME, LAYER_HOOK_TEXT), (LAYER_PTH_NAME, LAYER_PTH_TEXT)):
        path = site_packages / name
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
Progress = Callable[[str, int, int | None], None]  # (stage, done, total)

_QUERY = r"""
import json, platform, site, sys
print(json.dumps({"executable": sys.executable, "version": platform.python_version(),
                  "prefix": sys.prefix, "base_prefix": sys.base_prefix,
                  "site_dirs": [*site.getsitepackages(), site.getusersitepackages()],
                  "machine": platform.machine(), "implementation": sys.implementation.name}))
"""
_LIST = r"""
import importlib.metadata as m, json, sys
paths = sys.argv[1:] or None
dists = m.distributions(path=paths) if paths else m.distributions()
print(json.dumps([[d.metadata["Name"], d.version] for d in dists]))
"""


def envs_dir() -> Path:
    """`MLEBENCH_ENVS_DIR`, else `<user cache dir>/mle-bench/envs` (beside the data)."""
    env = os.environ.get("MLEBENCH_ENVS_DIR")
    return Path(env).expanduser().resolve() if env else (
        Path(user_cache_dir()) / "mle-bench" / "envs").resolve()


@dataclass(frozen=True)
class BuiltEnv:
    """A built environment folder and its env.json."""

    path: Path
    info: dict[str, Any]

    @property
    def hash(self) -> str:
        return self.info["hash"]

    @property
    def python_bin(self) -> Path:
        return self.path / "bin" / "python"

    @property
    def base_prefix(self) -> Path:
        return Path(self.info["python"]["base_prefix"])

    def identity(self) -> dict[str, Any]:
        keys = ("profile", "variant", "lock_sha256", "hash", "platform")
        return {**{k: self.info[k] for k in keys}, "python": self.info["python"]["version"]}

    def problem(self) -> str | None:
        """Why this environment cannot run (its base interpreter is gone), or None."""
        exe = Path(self.info["python"]["executable"])
        if not exe.exists():
            return (f"its base interpreter {exe} no longer exists; rebuild it with "
                    f"`mlebench env build --profile {self.info['profile']} --force`")
        return None


def uv_bin() -> str:
    with contextlib.suppress(ImportError, FileNotFoundError):
        from uv import find_uv_bin  # the optional `uv` package: absent, PATH's uv is used

        return find_uv_bin()
    found = shutil.which("uv")
    if not found:
        raise MLEBenchError("Building environments needs uv: pip install uv (a dependency of "
                            "mlebench; reinstall it).")
    return found


def uv_env(cache: Path) -> dict[str, str]:
    """The process environment for uv: the machine's uv/pip settings removed."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("UV_", "PIP_")) and k not in ("VIRTUAL_ENV", "PYTHONPATH",
                                                               "CONDA_PREFIX", "PYTHONHOME")}
    env.update({"UV_CACHE_DIR": str(cache), "UV_PYTHON_DOWNLOADS": "never",
                "UV_NO_PROGRESS": "1"})
    return env


def source_args(wheels: Path | None) -> list[str]:
    """Where packages come from: a wheel folder only (offline), else PyPI or the mirror."""
    if wheels is not None:
        if not Path(wheels).is_dir():
            raise MLEBenchError(f"--wheels {wheels} is not a folder.")
        return ["--offline", "--no-index", "--find-links", str(Path(wheels).resolve())]
    return ["--index-url", os.environ.get("MLEBENCH_INDEX_URL", DEFAULT_INDEX)]


def run_uv(args: list[str], cache: Path, what: str, timeout: float | None = None,
           cwd: Path | None = None) -> str:
    """Run uv; a failure is one clear error quoting uv's last lines."""
    try:
        r = subprocess.run([uv_bin(), *args], capture_output=True, text=True,
                           env=uv_env(cache), timeout=timeout, cwd=cwd)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise MLEBenchError(f"{what} failed: {e}") from None
    if r.returncode != 0:
        lines = [line.strip() for line in r.stderr.splitlines() if line.strip()]
        tail = " | ".join(lines[-10:])
        raise MLEBenchError(f"{what} failed (uv exit {r.returncode}): {tail[:1500]}")
    return r.stdout


# --------------------------------------------------------------------------- the interpreter

def _query(python: str) -> dict[str, Any] | None:
    try:
        r = subprocess.run([python, "-I", "-c", _QUERY], capture_output=True, text=True,
                           timeout=60, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        return json.loads(r.stdout) if r.returncode == 0 else None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def find_python(version: str, explicit: str | None = None) -> dict[str, Any]:
    """A base (non-virtual) CPython of `version` ("3.11"): `explicit`, `MLEBENCH_ENV_PYTHON`,
    the harness's own base interpreter, then `python3.11` on PATH and the usual places."""
    given = explicit or os.environ.get("MLEBENCH_ENV_PYTHON")
    if given:
        candidates = [given]
    else:
        candidates = [str(Path(sys.base_prefix) / "bin" / f"python{version}"),
                      shutil.which(f"python{version}") or "", f"/usr/bin/python{version}",
                      f"/usr/local/bin/python{version}"]
    seen = []
    for c in filter(None, candidates):
        info = _query(c)
        if info and info["prefix"] != info["base_prefix"]:  # a venv: use its base interpreter
            info = _query(str(Path(info["base_prefix"]) / "bin" / f"python{version}"))
        if info is None:
            seen.append(f"{c} (does not run)")
            continue
        minor = ".".join(info["version"].split(".")[:2])
        if minor == version and info["implementation"] == "cpython":
            info["executable"] = str(Path(info["executable"]).resolve())
            return info
        seen.append(f"{c} (Python {info['version']})")
    raise MLEBenchError(
        f"No CPython {version} found to build the environment with"
        + (f" (tried {', '.join(seen)})" if seen else "")
        + f": install python{version} (e.g. apt-get install python{version}-venv) or pass "
        "--python PATH.")


# --------------------------------------------------------------------------- built environments

def _read_info(folder: Path) -> dict[str, Any] | None:
    try:
        info = json.loads((folder / "env.json").read_text())
        return info if isinstance(info, dict) and info.get("format") == ENV_FORMAT else None
    except (OSError, ValueError):
        return None


def find_built(env_hash: str) -> BuiltEnv | None:
    """The built environment with this content hash, if any (partial builds never count)."""
    folder = envs_dir() / env_hash[:16]
    info = _read_info(folder)
    if info is None or info.get("hash") != env_hash:
        return None
    return BuiltEnv(folder, info)


def require_built(spec: EnvSpec) -> BuiltEnv:
    """The built environment of `spec`, or a one-line error saying how to build it."""
    built = find_built(spec.hash)
    if built is None:
        profile = spec.profile if spec.source == "builtin" else spec.source
        variant = "" if spec.variant in ("cpu", "default") else f" --variant {spec.variant}"
        lite = "" if spec.profile == "lite" else ", or run in the small one with `--env lite`"
        raise MLEBenchError(
            f"Environment '{spec.profile}' ({spec.variant}, {spec.short}) is not built: build "
            f"it with `mlebench env build --profile {profile}{variant}`{lite}.")
    problem = built.problem()
    if problem:
        raise MLEBenchError(f"Environment '{spec.profile}' ({spec.short}) is unusable: {problem}.")
    return built


def list_built() -> list[BuiltEnv]:
    root = envs_dir()
    if not root.is_dir():
        return []
    out = []
    for d in sorted(root.iterdir()):
        if d.is_dir() and not d.name.startswith(".") and (info := _read_info(d)):
            out.append(BuiltEnv(d, info))
    return out


def dir_size(path: Path) -> int:
    """Bytes on disk under `path`, each hard-linked file counted once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for dirpath, dirnames, filenames in os.walk(path):
        for name in [*dirnames, *filenames]:
            with contextlib.suppress(OSError):
                st = os.lstat(os.path.join(dirpath, name))
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    total += st.st_blocks * 512
    return total


@contextlib.contextmanager
def build_lock(key: str) -> Iterator[None]:
    """One build of a given folder at a time (other harnesses wait)."""
    locks = envs_dir() / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{key}.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def installed(python: Path, paths: list[Path] | None = None) -> dict[str, list[str]]:
    """{normalised name: [versions]} of the distributions `python` sees (or those in `paths`)."""
    r = subprocess.run([str(python), "-I", "-c", _LIST, *map(str, paths or [])],
                       capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin"})
    if r.returncode != 0:
        raise MLEBenchError(f"Cannot list the packages of {python}: {r.stderr.strip()[-300:]}")
    out: dict[str, list[str]] = {}
    for name, version in json.loads(r.stdout):
        out.setdefault(normalize(name), []).append(version)
    return out


def compare(expected: dict[str, str], found: dict[str, list[str]]) -> list[str]:
    """Differences between the lock and what is installed: wrong, missing, duplicate, extra."""
    problems = []
    for name, version in sorted(expected.items()):
        got = found.get(name)
        if not got:
            problems.append(f"{name}=={version} missing")
        elif got != [version]:
            problems.append(f"{name} is {', '.join(got)}, lock says {version}")
    problems += [f"{name}=={','.join(v)} is not in the lock" for name, v in sorted(found.items())
                 if name not in expected]
    return problems


def make_readable(root: Path) -> None:
    """Every folder a+rx and file a+r: the sandbox's unprivileged user reads the environment
    whatever the builder's umask was."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name, want in [(".", 0o555), *((d, 0o555) for d in dirnames),
                           *((f, 0o444) for f in filenames)]:
            path = os.path.join(dirpath, name)
            with contextlib.suppress(OSError):
                st = os.lstat(path)
                if not os.path.islink(path) and st.st_mode & want != want:
                    os.chmod(path, st.st_mode | want)


def _lock_entry(name: str, version: str, hashes: list[str]) -> str:
    return f"{name}=={version} " + " ".join(f"--hash=sha256:{h}" for h in hashes)


def _chunks(items: list, n: int) -> list[list]:
    size = max(1, -(-len(items) // n))
    return [items[i:i + size] for i in range(0, len(items), size)]


def build_env(spec: EnvSpec, wheels: Path | None = None, python: str | None = None,
              progress: Progress | None = None, force: bool = False,
              compile_bytecode: bool = True) -> BuiltEnv:
    """Build `spec` (or return it if built): venv, install in steps (progress), verify, rename."""
    say = progress or (lambda stage, done, total: None)
    root = envs_dir()
    root.mkdir(parents=True, exist_ok=True)
    cache = root / ".cache"
    final, work = root / spec.short, root / f".partial-{spec.short}"
    with build_lock(spec.short):
        if force and final.exists():
            shutil.rmtree(final)
        built = find_built(spec.hash)
        if built is not None and built.problem() is None:
            install_layer_hook(next((built.path / "lib").glob("python*/site-packages")))
            return built
        if final.exists():  # another hash prefix, or a broken build: start over
            shutil.rmtree(final)
        if spec.platform != "host":
            arch = spec.platform.split("-", 1)[0]
            if os.uname().machine != arch:
                raise MLEBenchError(f"Profile '{spec.profile}' is locked for {spec.platform}; "
                                    f"this machine is {os.uname().machine}.")
        say("interpreter", 0, None)
        py = find_python(spec.python, python)
        lock = parse_lock(spec.lock_bytes.decode(), str(spec.lock_path))
        cfg = work / "pyvenv.cfg"
        if cfg.is_file() and f"home = {Path(py['executable']).parent}" not in cfg.read_text():
            shutil.rmtree(work)  # begun with another interpreter
        if not cfg.is_file():
            shutil.rmtree(work, ignore_errors=True)
            run_uv(["venv", "--no-config", "--relocatable", "--python", py["executable"],
                    str(work)], cache, "Creating the virtual environment")
        env_python = work / "bin" / "python"
        src = source_args(wheels)
        items = sorted(lock.items())
        done = 0
        for chunk in _chunks(items, 25):
            say("install", done, len(items))
            part = work / ".chunk.txt"
            part.write_text("".join(_lock_entry(n, v, h) + "\n" for n, (v, h) in chunk))
            run_uv(["pip", "install", "--no-config", "--python", str(env_python), "--no-deps",
                    "--require-hashes", *src, "-r", str(part)], cache,
                   f"Installing {chunk[0][0]}..{chunk[-1][0]} of '{spec.profile}'")
            done += len(chunk)
        say("install", done, len(items))
        say("finish", 0, None)
        (work / ".chunk.txt").unlink(missing_ok=True)
        (work / "lock.txt").write_bytes(spec.lock_bytes)
        # Exactly the lock: removes anything else, and compiles bytecode (the folder is
        # read-only inside the sandbox, where Python could not cache it).
        run_uv(["pip", "sync", "--no-config", "--python", str(env_python), "--require-hashes",
                *(["--compile-bytecode"] if compile_bytecode else []), *src,
                str(work / "lock.txt")], cache, f"Finishing '{spec.profile}'")
        site = next((work / "lib").glob("python*/site-packages"))
        install_layer_hook(site)
        make_readable(work)
        say("verify", 0, None)
        expected = {n: v for n, (v, _) in lock.items()}
        problems = compare(expected, installed(env_python))
        if problems:
            raise MLEBenchError(f"Environment '{spec.profile}' does not match its lock after "
                                f"installing: {'; '.join(problems[:5])}.")
        info = {"format": ENV_FORMAT, **spec.identity(),
                "python": {"version": py["version"], "executable": py["executable"],
                           "base_prefix": py["base_prefix"], "site_dirs": py["site_dirs"]},
                "source": spec.source, "description": spec.description,
                "packages": expected, "built_at": datetime.now(UTC).isoformat(),
                "builder": run_uv(["--version"], cache, "uv").strip(),
                "from": "wheels" if wheels else os.environ.get("MLEBENCH_INDEX_URL", DEFAULT_INDEX)}
        write_json(work / "env.json", info)
        os.rename(work, final)
        return BuiltEnv(final, info)


def verify_built(built: BuiltEnv) -> list[str]:
    """Re-check a built environment against its own lock (what `env list --verify` shows)."""
    lock = parse_lock((built.path / "lock.txt").read_text(), str(built.path / "lock.txt"))
    return compare({n: v for n, (v, _) in lock.items()}, installed(built.python_bin))
