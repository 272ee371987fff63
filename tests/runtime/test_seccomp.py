"""The seccomp program: its syscall numbers against libseccomp and the kernel headers, its logic
through a small BPF interpreter written here, and the real kernel running it in a real process."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import re
import signal
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mlebench.runtime import seccomp

ARCHES = ("x86_64", "aarch64")
ALLOW, KILL = 0x7FFF0000, 0x80000000
SIGCHLD = 17
GLIBC_THREAD_FLAGS = 0x3D0F00  # CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID
NS_FLAGS = {"NEWNS": 0x20000, "NEWCGROUP": 0x2000000, "NEWUTS": 0x4000000, "NEWIPC": 0x8000000,
            "NEWUSER": 0x10000000, "NEWPID": 0x20000000, "NEWNET": 0x40000000}


def errno_of(e: int) -> int:
    return 0x00050000 | e


def run_bpf(prog: bytes, arch: int, nr: int, args: tuple[int, ...] = ()) -> int:
    """Run a classic-BPF seccomp program on one struct seccomp_data; returns its verdict. Only
    the instructions a seccomp filter of ours may use are understood; anything else fails."""
    args = tuple(args) + (0,) * (6 - len(args))
    data = struct.pack("<iIQ6Q", nr, arch, 0, *args)
    insns = [struct.unpack_from("=HBBI", prog, i) for i in range(0, len(prog), 8)]
    pc, acc = 0, 0
    for _ in range(len(insns)):  # no backward jumps: each instruction runs at most once
        code, jt, jf, k = insns[pc]
        if code == 0x20:  # ld [k]
            assert k % 4 == 0 and k + 4 <= len(data)
            acc, pc = struct.unpack_from("<I", data, k)[0], pc + 1
        elif code in (0x15, 0x35, 0x45):  # jeq, jge, jset
            taken = acc == k if code == 0x15 else acc >= k if code == 0x35 else bool(acc & k)
            pc += 1 + (jt if taken else jf)
        elif code == 0x06:  # ret k
            return k
        else:
            raise AssertionError(f"unexpected BPF opcode {code:#x} at {pc}")
        assert pc < len(insns), "jump past the end of the program"
    raise AssertionError("program did not return")


def nr(name: str, arch: str) -> int:
    value = seccomp.SYSCALLS[name][ARCHES.index(arch)]
    assert value is not None
    return value


@pytest.mark.parametrize("arch", ARCHES)
def test_every_denied_syscall_is_refused_and_nothing_else(arch: str):
    prog, audit = seccomp.compile_filter(arch), seccomp.AUDIT_ARCH[arch]
    denied: dict[int, int] = {}
    for rule, number in seccomp.rules_for(arch):
        if rule.when == "always":
            denied[number] = errno_of(rule.errno)
    assert run_bpf(prog, audit, nr("clone3", arch)) == errno_of(errno.ENOSYS)
    for name in ("mount", "umount2", "pivot_root", "setns", "ptrace", "process_vm_readv",
                 "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
                 "kexec_load", "finit_module", "init_module", "delete_module", "open_tree",
                 "move_mount", "fsopen", "fsmount", "fsconfig", "fspick", "mount_setattr",
                 "open_by_handle_at", "name_to_handle_at", "io_uring_setup", "reboot",
                 "swapon", "acct", "quotactl", "syslog"):
        assert run_bpf(prog, audit, nr(name, arch)) == errno_of(errno.EPERM), name
    # Every other number, up to past the newest syscalls, runs (argument rules aside).
    conditional = {nr(n, arch) for n in ("clone", "unshare", "personality", "ioctl", "socket")}
    for number in range(0, 600):
        if number in conditional:
            continue
        assert run_bpf(prog, audit, number) == denied.get(number, ALLOW), number


@pytest.mark.parametrize("arch", ARCHES)
def test_clone_and_unshare_refuse_namespaces_only(arch: str):
    prog, audit = seccomp.compile_filter(arch), seccomp.AUDIT_ARCH[arch]
    clone, unshare = nr("clone", arch), nr("unshare", arch)
    assert run_bpf(prog, audit, clone, (SIGCHLD,)) == ALLOW  # fork
    assert run_bpf(prog, audit, clone, (GLIBC_THREAD_FLAGS,)) == ALLOW  # a thread
    assert run_bpf(prog, audit, clone, (0x4111,)) == ALLOW  # vfork (posix_spawn)
    for name, flag in NS_FLAGS.items():
        assert run_bpf(prog, audit, clone, (flag | SIGCHLD,)) == errno_of(errno.EPERM), name
        # The kernel reads only the low 32 bits of clone's flags: high bits change nothing.
        assert run_bpf(prog, audit, clone, ((0xFFFF << 32) | flag,)) == errno_of(errno.EPERM)
        assert run_bpf(prog, audit, unshare, (flag,)) == errno_of(errno.EPERM), name
    assert run_bpf(prog, audit, unshare, (0x80,)) == errno_of(errno.EPERM)  # CLONE_NEWTIME
    assert run_bpf(prog, audit, unshare, (0x400,)) == ALLOW  # CLONE_FILES
    assert run_bpf(prog, audit, clone, (0x80 | SIGCHLD,)) == ALLOW  # bit 7 is the exit signal


@pytest.mark.parametrize("arch", ARCHES)
def test_argument_rules(arch: str):
    prog, audit = seccomp.compile_filter(arch), seccomp.AUDIT_ARCH[arch]
    personality, ioctl, socket = (nr(n, arch) for n in ("personality", "ioctl", "socket"))
    for value in (0, 8, 0x20000, 0x20008, 0xFFFFFFFF):
        assert run_bpf(prog, audit, personality, (value,)) == ALLOW
    for value in (0x0040000, 0x0400000, 0x1):  # ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC, ...
        assert run_bpf(prog, audit, personality, (value,)) == errno_of(errno.EPERM)
    for cmd in (0x5412, 0x541C, (1 << 32) | 0x5412):  # TIOCSTI, TIOCLINUX, high bits ignored
        assert run_bpf(prog, audit, ioctl, (0, cmd)) == errno_of(errno.EPERM)
    for cmd in (0x541B, 0x5401, 0x5412 << 1):  # FIONREAD, TCGETS, ...
        assert run_bpf(prog, audit, ioctl, (0, cmd)) == ALLOW
    for family in (1, 2, 10, 16):  # unix, inet, inet6, netlink
        assert run_bpf(prog, audit, socket, (family, 1)) == ALLOW
    for family in (40, 17, 38, 0, 3):  # vsock, packet, alg, unspec, ax25
        assert run_bpf(prog, audit, socket, (family, 1)) == errno_of(errno.EAFNOSUPPORT)


@pytest.mark.parametrize("arch", ARCHES)
def test_other_abis_are_killed(arch: str):
    prog = seccomp.compile_filter(arch)
    getpid = 39 if arch == "x86_64" else 172
    assert run_bpf(prog, seccomp.AUDIT_ARCH[arch], getpid) == ALLOW
    for other in (0x40000003,  # i386
                  0x40000028,  # arm
                  0x000000B7,  # aarch64 big-endian
                  seccomp.AUDIT_ARCH["aarch64" if arch == "x86_64" else "x86_64"]):
        assert run_bpf(prog, other, getpid) == KILL
    if arch == "x86_64":  # x32 calls are native-arch calls with bit 30 set
        assert run_bpf(prog, seccomp.AUDIT_ARCH[arch], 0x40000000 | getpid) == KILL
        assert run_bpf(prog, seccomp.AUDIT_ARCH[arch], 0x40000000 | nr("mount", arch)) == KILL


def _libseccomp() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("seccomp")
    try:
        lib = ctypes.CDLL(name or "libseccomp.so.2")
    except OSError:
        return None
    lib.seccomp_syscall_resolve_name_arch.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    return lib


def test_syscall_numbers_match_libseccomp():
    lib = _libseccomp()
    if lib is None:
        pytest.skip("libseccomp is not installed (apt-get install libseccomp2)")
    checked = 0
    for name, numbers in seccomp.SYSCALLS.items():
        for arch, ours in zip(ARCHES, numbers, strict=True):
            theirs = lib.seccomp_syscall_resolve_name_arch(seccomp.AUDIT_ARCH[arch], name.encode())
            if theirs == -1:  # newer than this libseccomp (open_tree_attr): headers check it
                continue
            assert ours == (theirs if theirs >= 0 else None), (name, arch, theirs)
            checked += 1
    assert checked >= 2 * len(seccomp.SYSCALLS) - 4


def _header_numbers(path: Path) -> dict[str, int]:
    return {m[1]: int(m[2]) for m in re.finditer(r"#define __NR_(\w+)\s+(\d+)\b", path.read_text())}


@pytest.mark.parametrize("arch, headers", [
    ("x86_64", ("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "/usr/include/asm/unistd_64.h")),
    ("aarch64", ("/usr/include/asm-generic/unistd.h",)),  # arm64 uses the generic table
])
def test_syscall_numbers_match_kernel_headers(arch: str, headers: tuple[str, ...]):
    header = next((Path(h) for h in headers if Path(h).is_file()), None)
    if header is None:
        pytest.skip(f"{headers[0]} not installed (apt-get install linux-libc-dev)")
    table = _header_numbers(header)
    index = ARCHES.index(arch)
    for name, numbers in seccomp.SYSCALLS.items():
        if name in table:
            assert numbers[index] == table[name], (name, arch)
        elif numbers[index] is not None:
            # Only calls newer than these headers may be missing from them.
            assert numbers[index] > max(table.values()), (name, arch)


# ------------------------------------------------------------------ the real kernel runs it

MARK = 3000  # every errno the program returns is shifted by this, so it cannot come from the kernel

PROBE = textwrap.dedent(r'''
    import ctypes, json, os, sys
    prog, calls = bytes.fromhex(sys.argv[1]), json.loads(sys.argv[2])
    libc = ctypes.CDLL(None, use_errno=True)
    if os.geteuid() == 0:  # a buggy filter must not let the probes change the machine
        os.setgroups([]); os.setgid(65534); os.setuid(65534)
    class Fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]
    assert libc.prctl(38, 1, 0, 0, 0) == 0  # PR_SET_NO_NEW_PRIVS
    fprog = Fprog(len(prog) // 8, prog)
    if libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:  # PR_SET_SECCOMP, MODE_FILTER
        print(json.dumps({"load_error": ctypes.get_errno()})); sys.exit(0)
    libc.syscall.restype = ctypes.c_long
    out = {}
    for label, number, args in calls:
        ctypes.set_errno(0)
        rc = libc.syscall(ctypes.c_long(number), *(ctypes.c_long(a) for a in args))
        out[label] = -ctypes.get_errno() if rc == -1 else "ok"
    print(json.dumps(out))
''')


def _marked(prog: bytes) -> bytes:
    """The program with each errno verdict e replaced by MARK + e (the logic untouched)."""
    out = bytearray(prog)
    for i in range(0, len(prog), 8):
        code, jt, jf, k = struct.unpack_from("=HBBI", prog, i)
        if code == 0x06 and k & 0xFFFF0000 == 0x00050000:
            struct.pack_into("=HBBI", out, i, code, jt, jf, 0x00050000 | (MARK + (k & 0xFFFF)))
    return bytes(out)


def _probe(prog: bytes, calls: list) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROBE, prog.hex(), json.dumps(calls)],
                          capture_output=True, text=True, timeout=60)


def _native() -> str:
    arch = seccomp.machine()
    if arch is None:
        pytest.skip(f"no filter for this machine ({os.uname().machine})")
    if not seccomp.kernel_has_filters():
        pytest.skip("this kernel has no seccomp filters (CONFIG_SECCOMP_FILTER)")
    return arch


def test_real_kernel_refuses_each_denied_call():
    arch = _native()
    thread = 0x10000  # CLONE_THREAD without CLONE_SIGHAND: EINVAL if the filter let it through
    always = {r.syscall: r.errno for r, _ in seccomp.rules_for(arch) if r.when == "always"}
    calls = [[f"deny {name}", nr(name, arch), [0] * 6] for name in always]
    calls += [[f"clone {n}", nr("clone", arch), [f | thread, 0, 0, 0, 0, 0]]
              for n, f in NS_FLAGS.items()]
    calls += [[f"unshare {n}", nr("unshare", arch), [f, 0, 0, 0, 0, 0]]
              for n, f in {**NS_FLAGS, "NEWTIME": 0x80}.items()]
    calls += [["clone3", nr("clone3", arch), [0] * 6],
              ["socket vsock", nr("socket", arch), [40, 1, 0, 0, 0, 0]],
              ["personality no-aslr", nr("personality", arch), [0x0040000, 0, 0, 0, 0, 0]],
              ["ioctl TIOCSTI", nr("ioctl", arch), [0, 0x5412, 0, 0, 0, 0]],
              # allowed: they must reach the kernel
              ["unshare files", nr("unshare", arch), [0x400, 0, 0, 0, 0, 0]],
              ["personality query", nr("personality", arch), [0xFFFFFFFF, 0, 0, 0, 0, 0]],
              ["socket inet", nr("socket", arch), [2, 1, 0, 0, 0, 0]],
              ["clone thread without sighand", nr("clone", arch), [thread, 0, 0, 0, 0, 0]]]
    r = _probe(_marked(seccomp.compile_filter(arch)), calls)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert "load_error" not in got, f"the kernel refused the program: errno {got}"
    for label, *_ in calls:
        if label.startswith("deny"):
            assert got[label] == -(MARK + always[label[5:]]), (label, got[label])
        elif label.startswith(("clone NEW", "unshare NEW", "personality no", "ioctl")):
            assert got[label] == -(MARK + errno.EPERM), (label, got[label])
    assert got["clone3"] == got["deny clone3"] == -(MARK + errno.ENOSYS)
    assert got["socket vsock"] == -(MARK + errno.EAFNOSUPPORT)
    assert got["unshare files"] == "ok" and got["personality query"] == "ok"
    assert got["socket inet"] == "ok"
    assert got["clone thread without sighand"] == -errno.EINVAL  # the kernel's own answer


def test_real_kernel_kills_an_x32_call():
    arch = _native()
    if arch != "x86_64":
        pytest.skip("x32 exists on x86_64 only")
    r = _probe(seccomp.compile_filter(arch), [["x32 getpid", 0x40000000 | 39, [0] * 6]])
    assert r.returncode == -signal.SIGSYS, (r.returncode, r.stdout, r.stderr)


def test_program_reports_what_it_denies():
    arch = _native()
    prog, record = seccomp.program()
    assert prog == seccomp.compile_filter(arch)
    assert record == f"deny-list v1: {len(seccomp.rules_for(arch))} syscalls ({arch}; EPERM, clone3 ENOSYS)"
    with pytest.raises(ValueError):
        seccomp.compile_filter("riscv64")
