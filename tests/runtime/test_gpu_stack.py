"""The GPU stack recorded with each run, read from `nvidia-smi` (no GPU here: a stand-in
`nvidia-smi` on PATH prints what the real one prints on an H100 host)."""

from __future__ import annotations

import stat

from mlebench.runtime import hardware

SMI = r'''#!/bin/sh
case "$*" in
  *driver_version*) echo "550.54.15" ;;
  *index,name,memory.total*) echo "0, NVIDIA H100 80GB HBM3, 81559 MiB" ;;
  *) echo "| NVIDIA-SMI 550.54.15     Driver Version: 550.54.15     CUDA Version: 12.4     |" ;;
esac
'''


def test_gpu_stack_from_nvidia_smi(tmp_path, monkeypatch):
    smi = tmp_path / "nvidia-smi"
    smi.write_text(SMI)
    smi.chmod(smi.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert hardware.gpu_stack() == {"driver": "550.54.15", "cuda_driver_api": "12.4",
                                    "gpus": ["NVIDIA H100 80GB HBM3"]}
    monkeypatch.setenv("PATH", "/nonexistent")
    assert hardware.gpu_stack() is None
