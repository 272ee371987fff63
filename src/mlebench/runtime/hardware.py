"""What the run was actually given: CPU model, RAM, GPUs, package versions."""

from __future__ import annotations

import platform
import shutil
import subprocess
from importlib import metadata

import psutil

PACKAGES = ("mlebench", "numpy", "pandas", "scikit-learn", "scipy", "pillow")


def cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def gpus() -> list[dict]:
    """GPUs visible to the host (nvidia-smi), [] when none."""
    if not shutil.which("nvidia-smi"):
        return []
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=index,name,memory.total", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return []
    result = []
    for line in out.strip().splitlines():
        idx, name, mem = (x.strip() for x in line.split(",", 2))
        result.append({"index": int(idx), "name": name, "memory": mem})
    return result


def host_summary() -> dict:
    return {
        "cpu_model": cpu_model(),
        "cpu_count": psutil.cpu_count(logical=True),
        "memory_bytes": psutil.virtual_memory().total,
        "gpus": gpus(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def gpu_stack() -> dict | None:
    """The host's NVIDIA driver and the CUDA version it supports (nvidia-smi), None without
    GPUs. The CUDA runtime the agent uses is the environment's (its lock's nvidia-* wheels)."""
    if not shutil.which("nvidia-smi"):
        return None
    try:
        out = subprocess.run(["nvidia-smi"], capture_output=True, text=True, timeout=10,
                             check=True).stdout
        driver = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=10, check=True).stdout.split()
    except (subprocess.SubprocessError, OSError):
        return None
    cuda = next((line.split("CUDA Version:", 1)[1].split()[0] for line in out.splitlines()
                 if "CUDA Version:" in line), None)
    return {"driver": driver[0] if driver else None, "cuda_driver_api": cuda,
            "gpus": [g["name"] for g in gpus()]}
