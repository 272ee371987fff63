"""Images for the docker backend, built on this machine: no image registry is needed.

The base image is a Debian root filesystem made by `debootstrap` from Debian's package mirror
(bookworm, minbase, plus python3: the same Python 3.11 as the reference's image), imported with
`docker import`. Its tag carries the hash of the recipe that made it (`mlebench-base:bookworm-<hash>`);
the root filesystem tarball is cached under the cache dir, so rebuilding the image (e.g. on a fresh
engine) takes seconds. Images record what made them in labels, which run metadata copies.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_cache_dir

from mlebench.errors import MLEBenchError
from mlebench.runtime.sandbox_spec import SANDBOX_GID, SANDBOX_UID, SANDBOX_USER

SUITE = "bookworm"
# python3-venv: environments are installed into the image as a virtual environment. Then what
# the reference's image gives agents besides Python (its Dockerfile's apt packages, less the
# interactive and build tools), and the system libraries its wheels load (libgomp1: LightGBM,
# XGBoost; libgl1, libglib2.0-0, libsm6, libxext6: OpenCV; ffmpeg: audio and video).
INCLUDE = ("python3", "python3-venv", "ca-certificates", "curl", "wget", "git", "unzip", "zip",
           "p7zip-full", "procps", "libgomp1", "libgl1", "libglib2.0-0", "libsm6", "libxext6",
           "ffmpeg")
RECIPE_VERSION = 1  # bump when the recipe's steps change: the tag (and cached tarball) changes
BASE_REPO = "mlebench-base"
LABEL = "org.mlebench"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

Log = Callable[[str], None]


def cache_dir() -> Path:
    env = os.environ.get("MLEBENCH_DOCKER_CACHE")
    return (Path(env) if env else Path(user_cache_dir()) / "mle-bench" / "docker").expanduser()


def debian_mirror() -> str:
    """$MLEBENCH_DEBIAN_MIRROR, else the Debian mirror apt already uses, else deb.debian.org."""
    env = os.environ.get("MLEBENCH_DEBIAN_MIRROR")
    if env:
        return env
    files = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for f in files:
        with contextlib.suppress(OSError):
            for line in f.read_text().splitlines():
                # one-line style: deb [opts] URL suite ...; deb822 style: URIs: URL
                m = re.match(r"\s*(?:deb\s+(?:\[[^\]]*\]\s+)?|URIs:\s*)(\S+)", line)
                if m and m.group(1).rstrip("/").endswith("/debian"):
                    return m.group(1).rstrip("/")
    return DEFAULT_MIRROR


def base_recipe(suite: str = SUITE) -> dict:
    return {"suite": suite, "variant": "minbase", "include": list(INCLUDE),
            "user": [SANDBOX_USER, SANDBOX_UID, SANDBOX_GID], "version": RECIPE_VERSION}


def recipe_hash(recipe: dict) -> str:
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def base_image_tag(suite: str = SUITE) -> str:
    return f"{BASE_REPO}:{suite}-{recipe_hash(base_recipe(suite))}"


def _docker(*args: str, check: bool = True, timeout: float | None = 120,
            **kw) -> subprocess.CompletedProcess:
    try:
        r = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, **kw)
    except FileNotFoundError:
        raise MLEBenchError("The `docker` client is not installed.") from None
    except subprocess.TimeoutExpired:
        raise MLEBenchError(f"`docker {args[0]}` did not answer in {timeout:g}s.") from None
    if check and r.returncode != 0:
        raise MLEBenchError(f"`docker {args[0]}` failed: {_last_line(r.stderr)}")
    return r


def _last_line(text: str) -> str:
    lines = [x for x in text.strip().splitlines() if x.strip()]
    return lines[-1][:300] if lines else "no message"


def image_info(tag: str) -> dict | None:
    """{"id", "labels", "env", "created"} of a local image, or None when it is not there."""
    r = _docker("image", "inspect", "--format", "{{json .}}", tag, check=False)
    if r.returncode != 0:
        return None
    data = json.loads(r.stdout)
    config = data.get("Config") or {}
    return {"id": data.get("Id"), "labels": config.get("Labels") or {},
            "env": config.get("Env") or [], "created": data.get("Created")}


def rootfs_tarball(suite: str = SUITE) -> Path:
    """Where the base image's root filesystem is cached (importing it takes seconds)."""
    return cache_dir() / f"rootfs-{suite}-{recipe_hash(base_recipe(suite))}.tar"


def build_base_image(suite: str = SUITE, mirror: str | None = None, rebuild: bool = False,
                     log: Log = print) -> str:
    """The base image's tag, after building it if the engine does not have it yet."""
    tag = base_image_tag(suite)
    if not rebuild and image_info(tag) is not None:
        log(f"{tag} is already built")
        return tag
    recipe = base_recipe(suite)
    tarball = rootfs_tarball(suite)
    if rebuild or not tarball.is_file():
        _debootstrap(recipe, mirror or debian_mirror(), tarball, log)
    else:
        log(f"using the cached root filesystem {tarball}")
    digest = _sha256_file(tarball)
    labels = {f"{LABEL}.image": "base", f"{LABEL}.recipe": json.dumps(recipe, sort_keys=True),
              f"{LABEL}.rootfs_sha256": digest}
    changes = [f"ENV PATH={IMAGE_PATH}", "ENV LANG=C.UTF-8", "WORKDIR /home",
               *(f"LABEL {k}={json.dumps(v)}" for k, v in labels.items())]
    log(f"importing {tarball.name} as {tag}")
    old = image_info(tag)
    _docker("import", *(x for c in changes for x in ("--change", c)), str(tarball), tag,
            timeout=1800)
    if old is not None:  # the image this one replaces, unless an image or container uses it
        _docker("rmi", old["id"], check=False)
    return tag


def _sha256_file(path: Path) -> str:
    sidecar = path.with_suffix(path.suffix + ".sha256")
    if sidecar.is_file() and sidecar.stat().st_mtime >= path.stat().st_mtime:
        return sidecar.read_text().strip()
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    sidecar.write_text(h.hexdigest())
    return h.hexdigest()


def _debootstrap(recipe: dict, mirror: str, tarball: Path, log: Log) -> None:
    if os.geteuid() != 0:
        raise MLEBenchError("Building the base image runs debootstrap, which needs root "
                            "(or copy a cached rootfs tarball into " f"{cache_dir()}).")
    if not shutil.which("debootstrap"):
        raise MLEBenchError("debootstrap is not installed: `apt-get install debootstrap` "
                            "(or `bash scripts/docker-engine.sh start`, which installs it).")
    tarball.parent.mkdir(parents=True, exist_ok=True)
    work = tarball.parent / f".build-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    rootfs = work / "rootfs"
    try:
        log(f"debootstrap {recipe['suite']} ({recipe['variant']}, +{','.join(recipe['include'])}) "
            f"from {mirror}")
        r = subprocess.run(["debootstrap", f"--variant={recipe['variant']}",
                            f"--include={','.join(recipe['include'])}", recipe["suite"],
                            str(rootfs), mirror],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise MLEBenchError(f"debootstrap failed: {_last_line(r.stdout + r.stderr)} "
                                f"(mirror {mirror}; set MLEBENCH_DEBIAN_MIRROR to use another)")
        _finish_rootfs(rootfs, recipe)
        partial = tarball.with_suffix(".partial")
        subprocess.run(["tar", "--numeric-owner", "--exclude=./dev/*", "--exclude=./proc/*",
                        "--exclude=./sys/*", "-C", str(rootfs), "-cf", str(partial), "."],
                       check=True, capture_output=True)
        partial.replace(tarball)  # complete or absent: never a half-written cache entry
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _finish_rootfs(rootfs: Path, recipe: dict) -> None:
    """The agent's account (tools that look up the current user find one), no package caches."""
    user, uid, gid = recipe["user"]
    with open(rootfs / "etc/passwd", "a") as f:
        f.write(f"{user}:x:{uid}:{gid}:mlebench agent:/home:/usr/sbin/nologin\n")
    with open(rootfs / "etc/group", "a") as f:
        f.write(f"{user}:x:{gid}:\n")
    for d in ("var/cache/apt/archives", "var/lib/apt/lists"):
        for p in (rootfs / d).glob("*"):
            if p.is_file():
                p.unlink()
    (rootfs / "home").chmod(0o755)


def list_images() -> list[dict]:
    """Images mlebench built: {"tag", "id", "size", "kind"} (kind: base or env:<profile>)."""
    r = _docker("images", "--filter", f"label={LABEL}.image", "--format",
                "{{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}")
    rows = []
    for line in r.stdout.splitlines():
        tag, _, rest = line.partition("\t")
        short_id, _, size = rest.partition("\t")
        info = image_info(tag) or {"id": short_id, "labels": {}}
        labels = info["labels"]
        kind = labels.get(f"{LABEL}.image", "?")
        if kind == "env":
            kind = (f"env {labels.get(f'{LABEL}.env.profile')} ({labels.get(f'{LABEL}.env.variant')}"
                    f", Python {labels.get(f'{LABEL}.env.python')})")
        rows.append({"tag": tag, "id": info["id"], "size": size, "kind": kind})
    return rows


def mount_arg(source: Path, target: str, read_only: bool) -> str:
    """One --mount value; its fields are CSV, so a path with a comma or quote is quoted."""
    fields = ["type=bind", f"source={source}", f"target={target}"]
    if read_only:
        fields.append("readonly")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()
