"""The sandbox's layout and bubblewrap's command line: a fresh root of read-only system binds, a
minimal /etc, the spec's mounts with traversable parents, GPU device nodes, masked folders; and the
checks and ownership changes a spec needs before it runs (shared with the Docker backend)."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from mlebench.errors import MLEBenchError
from mlebench.runtime import netns
from mlebench.runtime.sandbox_spec import (
    SANDBOX_GID,
    SANDBOX_UID,
    SANDBOX_USER,
    Mount,
    SandboxSpec,
)

# /etc files programs commonly read; the host's users, hosts and secrets are not among them.
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone",
             "nsswitch.conf", "protocols", "services", "mime.types", "ssl", "ca-certificates",
             "ca-certificates.conf", "alternatives", "debian_version", "os-release",
             "fonts", "gai.conf", "host.conf", "xattr.conf")


def system_binds() -> list[str]:
    """/usr read-only, and the top-level /bin, /lib... as they are on the host (merged-/usr
    symlinks or directories)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        p = Path("/") / name
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            args += ["--ro-bind", str(p), str(p)]
    return args


def host_python_mounts() -> list[Mount]:
    """Read-only mounts that let `sys.executable` (the harness's own Python) run inside: its
    environment and its base interpreter's prefix (a venv's python links into it). For tests and
    benchmarks of the sandbox itself; runs get their agent environment instead (mlebench.envs)."""
    out: list[Mount] = [Mount(Path(sys.prefix), sys.prefix)]
    for p in {Path(sys.base_prefix).resolve(), Path(sys.base_exec_prefix).resolve()}:
        if p != Path("/usr") and not p.is_relative_to("/usr") and p != Path("/"):
            out.append(Mount(p, str(p)))
    return out


def _etc_files(tmp: Path, network: str, slirp: bool = False) -> list[list[str]]:
    """A minimal /etc: system files programs read, plus generated users/hosts files."""
    args: list[list[str]] = []
    for name in ETC_FILES:
        p = Path("/etc") / name
        if p.exists():
            args.append(["--ro-bind", str(p), str(p)])
    # Our own users: some libraries (getpass.getuser, torch) fail for a uid without an entry.
    (tmp / "passwd").write_text(f"root:x:0:0:root:/root:/usr/sbin/nologin\n"
                                f"{SANDBOX_USER}:x:{SANDBOX_UID}:{SANDBOX_GID}::/home:/bin/sh\n"
                                "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
    (tmp / "group").write_text(f"root:x:0:\n{SANDBOX_USER}:x:{SANDBOX_GID}:\nnogroup:x:65534:\n")
    (tmp / "hosts").write_text("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"
                               "127.0.1.1\tsandbox\n")
    for name in ("passwd", "group"):
        args.append(["--ro-bind", str(tmp / name), f"/etc/{name}"])
    if network == "open" and not slirp:  # the host's own network namespace
        args += [["--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf"],
                 ["--ro-bind-try", "/etc/hosts", "/etc/hosts"]]
    else:
        args.append(["--ro-bind", str(tmp / "hosts"), "/etc/hosts"])
    if slirp:
        (tmp / "resolv.conf").write_text(f"nameserver {netns.SLIRP_DNS}\n")
        args.append(["--ro-bind", str(tmp / "resolv.conf"), "/etc/resolv.conf"])
    return args


def _parents(targets: list[str], bound: set[str], fresh: frozenset[str] = frozenset()) -> list[str]:
    """Ancestor folders of the targets, outermost first, except those inside a bound folder.

    `fresh` folders (the sandbox's own empty tmpfs, e.g. /tmp) exist but their sub-folders do
    not: those are listed, so a harness living under /tmp still gets traversable parents."""
    out: list[str] = []
    for t in targets:
        for p in reversed(Path(os.path.normpath(t)).parents[:-1]):
            s = str(p)
            inside = any(s == b or s.startswith(b + "/") for b in bound - fresh)
            if s not in out and s not in fresh and not inside:
                out.append(s)
    return sorted(out, key=lambda s: s.count("/"))


def _gpu_devices(gpus: list[int]) -> list[list[str]]:
    """NVIDIA device nodes when GPUs are requested. All GPU nodes are bound and
    CUDA_VISIBLE_DEVICES (set by the caller) selects: CUDA's numbering needs them all."""
    if not gpus:
        return []
    if not Path("/dev/nvidia-uvm").exists() and shutil.which("nvidia-modprobe"):
        # CUDA creates this node on first use, which the unprivileged agent cannot do.
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["nvidia-modprobe", "-u", "-c=0"], capture_output=True, timeout=30)
    return [["--dev-bind", str(p), str(p)] for p in sorted(Path("/dev").glob("nvidia*"))
            if not p.is_dir()]


def uses_slirp(spec: SandboxSpec) -> bool:
    return spec.network == "open" and netns.slirp4netns() is not None


def bwrap_args(spec: SandboxSpec, tmp: Path, info_fd: int,
                block_fd: int = -1) -> tuple[list[str], list[str]]:
    """(bubblewrap's options, the command it runs). The options go through --args so that the
    sandbox's /proc/1/cmdline shows no host path and no environment value. With block_fd,
    bubblewrap sets the sandbox up, then waits for a byte on it (which it consumes and closes)
    before it starts the command."""
    root = os.geteuid() == 0
    args = ["--die-with-parent", "--new-session", "--info-fd", str(info_fd),
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--hostname", "sandbox"]
    if spec.network != "open" or uses_slirp(spec):
        # Loopback of its own; llm-only leaves via the bound proxy socket, open via slirp4netns.
        args.append("--unshare-net")
    if block_fd >= 0:
        args += ["--block-fd", str(block_fd)]
    if not root:
        args += ["--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_GID),
                 "--disable-userns", "--cap-drop", "ALL"]
    binds: list[list[str]] = []  # [flag, source, target], applied after their parents exist
    binds += _etc_files(tmp, spec.network, uses_slirp(spec))
    binds += [["--ro-bind-try", p, p] for p in ("/sys/devices/system/cpu",
                                                "/sys/devices/system/node")]
    binds += _gpu_devices(spec.gpus)
    for m in spec.mounts:
        binds.append(["--ro-bind" if m.read_only else "--bind", str(m.source), m.target])
    for m in [*spec.writable_dirs, *spec.extra_sockets]:  # connect() needs write access
        binds.append(["--bind", str(m.source), m.target])
    args += system_binds()
    # tmpfs is memory: capped at the memory limit even where no cgroup would count it.
    size = ["--size", str(spec.limits.memory_bytes)] if spec.limits.memory_bytes else []
    args += ["--proc", "/proc", "--dev", "/dev",
             "--perms", "1777", *size, "--tmpfs", "/tmp",
             "--perms", "1777", *size, "--tmpfs", "/dev/shm",
             # As in any Linux image (inspect_ai, for one, installs its tools there).
             "--perms", "1777", *size, "--tmpfs", "/var/tmp"]
    # bubblewrap would create missing parents as 0700 root folders the agent cannot traverse.
    for d in _parents([b[2] for b in binds] + [os.path.join(spec.workdir, "_")],
                      {b[2] for b in binds} | {"/usr", "/proc", "/dev", "/tmp"},
                      frozenset({"/tmp"})):
        args += ["--perms", "0755", "--dir", d]
    for b in binds:
        args += b
    if spec.masked:
        (tmp / "empty").mkdir(mode=0o755, exist_ok=True)
        for path in spec.masked:
            args += ["--ro-bind", str(tmp / "empty"), path]
    args += ["--chdir", spec.workdir, "--clearenv"]
    for key, value in spec.env.items():
        args += ["--setenv", key, value]
    command = ["--"]
    if root:
        # Become an unprivileged host uid: no capabilities (so mounts cannot be undone), an empty
        # bounding set and no_new_privs (so no setuid binary gives them back).
        command += ["/usr/bin/setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_GID}",
                    "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
                    "--"]
    return args, [*command, *spec.command]


def check_spec(spec: SandboxSpec) -> None:
    for m in [*spec.mounts, *spec.writable_dirs, *spec.extra_sockets]:
        if not m.target.startswith("/"):
            raise MLEBenchError(f"Sandbox mount target must be absolute: {m.target}")
        if not Path(m.source).exists():
            raise MLEBenchError(f"Sandbox mount source does not exist: {m.source}")
    for m in spec.writable_dirs:
        if not Path(m.source).is_dir():
            raise MLEBenchError(f"Writable sandbox folder is not a folder: {m.source}")


def unreadable_mounts(spec: SandboxSpec) -> list[str]:
    """Read-only sources the agent's uid cannot read (e.g. a 0700 folder made by mkdtemp)."""
    if os.geteuid() != 0:
        return []
    bad = []
    for m in spec.mounts:
        mode = os.stat(m.source).st_mode
        need = 0o005 if stat.S_ISDIR(mode) else 0o004
        if mode & need != need:
            bad.append(f"{m.source} is not readable by the sandbox user (mode {mode & 0o777:o})")
    return bad


def give_to_sandbox_user(spec: SandboxSpec) -> None:
    """As root the agent is uid 1000: hand it its writable folders and the sockets it talks to."""
    if os.geteuid() != 0:
        return
    for m in spec.writable_dirs:
        for dirpath, dirnames, filenames in os.walk(m.source):
            for name in [".", *dirnames, *filenames]:
                with contextlib.suppress(OSError):
                    os.chown(os.path.join(dirpath, name), SANDBOX_UID, SANDBOX_GID,
                             follow_symlinks=False)
    for m in spec.extra_sockets:
        with contextlib.suppress(OSError):
            os.chown(m.source, SANDBOX_UID, SANDBOX_GID)

