"""The agent's seccomp filter: a deny-list compiled to classic BPF for bubblewrap's --seccomp.

Default allow; denied are the system calls an ML agent never needs and an escape usually does:
new namespaces (so no user namespace to regain capabilities in), mounts, ptrace and cross-process
memory access, kernel keyrings, eBPF, perf, userfaultfd, io_uring, kernel modules, kexec, and the
rest of the container runtimes' default deny-list (Docker's and Flatpak's). A denied call fails
with EPERM; clone3 fails with ENOSYS so that glibc (threads, posix_spawn) falls back to clone,
whose flags the filter can check. Calls from another ABI than the native one (i386 on x86_64,
x32, big-endian arm64) kill the process: the syscall numbers would not mean what the filter
checked.

The program is written here rather than by libseccomp (whose Python bindings exist only for the
system Python): it is a short chain of comparisons, checked by tests against libseccomp's and the
kernel headers' syscall numbers and run by the kernel itself.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import platform
import struct
from dataclasses import dataclass
from typing import Literal

VERSION = "deny-list v1"

# audit arch of each supported machine (AUDIT_ARCH_* in linux/audit.h), as seccomp_data.arch
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
MACHINE_ALIASES = {"amd64": "x86_64", "arm64": "aarch64"}
X32_SYSCALL_BIT = 0x40000000  # x32 ABI calls are x86_64 calls with this bit set

# name -> (x86_64 number, aarch64 number); None where the architecture lacks the call.
SYSCALLS: dict[str, tuple[int | None, int | None]] = {
    # namespaces and mounts
    "unshare": (272, 97), "clone": (56, 220), "clone3": (435, 435), "setns": (308, 268),
    "mount": (165, 40), "umount2": (166, 39), "pivot_root": (155, 41), "chroot": (161, 51),
    "open_tree": (428, 428), "move_mount": (429, 429), "fsopen": (430, 430),
    "fsconfig": (431, 431), "fsmount": (432, 432), "fspick": (433, 433),
    "mount_setattr": (442, 442), "open_tree_attr": (467, 467),
    # other processes' memory
    "ptrace": (101, 117), "process_vm_readv": (310, 270), "process_vm_writev": (311, 271),
    "pidfd_getfd": (438, 438),
    # kernel keyrings
    "add_key": (248, 217), "request_key": (249, 218), "keyctl": (250, 219),
    # kernel attack surface unprivileged code can reach
    "bpf": (321, 280), "perf_event_open": (298, 241), "userfaultfd": (323, 282),
    "io_uring_setup": (425, 425), "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427), "modify_ldt": (154, None),
    # the machine's state (capability-gated already; denied in depth)
    "kexec_load": (246, 104), "kexec_file_load": (320, 294), "init_module": (175, 105),
    "finit_module": (313, 273), "delete_module": (176, 106), "create_module": (174, None),
    "get_kernel_syms": (177, None), "query_module": (178, None), "reboot": (169, 142),
    "swapon": (167, 224), "swapoff": (168, 225), "acct": (163, 89), "quotactl": (179, 60),
    "quotactl_fd": (443, 443), "syslog": (103, 116), "iopl": (172, None),
    "ioperm": (173, None), "open_by_handle_at": (304, 265), "name_to_handle_at": (303, 264),
    "lookup_dcookie": (212, 18), "settimeofday": (164, 170), "clock_settime": (227, 112),
    "clock_adjtime": (305, 266), "sethostname": (170, 161), "setdomainname": (171, 162),
    "vhangup": (153, 58), "nfsservctl": (180, 42), "uselib": (134, None),
    "_sysctl": (156, None), "ustat": (136, None), "sysfs": (139, None),
    # allowed with some arguments only
    "personality": (135, 92), "ioctl": (16, 29), "socket": (41, 198),
}

# Namespace flags (linux/sched.h). CLONE_NEWTIME shares its bit with clone()'s exit signal, so
# clone() cannot ask for it (only unshare and clone3 can).
CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS = 0x00020000, 0x02000000, 0x04000000
CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID = 0x08000000, 0x10000000, 0x20000000
CLONE_NEWNET, CLONE_NEWTIME = 0x40000000, 0x00000080
CLONE_NAMESPACES = (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER
                    | CLONE_NEWPID | CLONE_NEWNET)
# personality(): Linux, the 32-bit variant, UNAME26 (both), and the query (Docker's allow-list);
# anything else, e.g. ADDR_NO_RANDOMIZE, is denied.
PERSONALITIES = (0x0, 0x8, 0x20000, 0x20008, 0xFFFFFFFF)
TIOCSTI, TIOCLINUX = 0x5412, 0x541C  # push input into / control a terminal
AF_UNIX, AF_INET, AF_INET6, AF_NETLINK = 1, 2, 10, 16


@dataclass(frozen=True)
class Rule:
    """Deny `syscall` (always, or as `when` says of the low 32 bits of argument `arg`)."""

    syscall: str
    errno: int = errno.EPERM
    when: Literal["always", "any_flag", "in", "not_in"] = "always"
    arg: int = 0
    values: tuple[int, ...] = ()  # the flags mask ("any_flag") or the listed values


_ALWAYS = [name for name in SYSCALLS if name not in (
    "unshare", "clone", "clone3", "personality", "ioctl", "socket")]
RULES: tuple[Rule, ...] = (
    Rule("clone", when="any_flag", arg=0, values=(CLONE_NAMESPACES,)),
    Rule("unshare", when="any_flag", arg=0, values=(CLONE_NAMESPACES | CLONE_NEWTIME,)),
    # Its flags are in memory the filter cannot read: "not implemented" makes callers use clone.
    Rule("clone3", errno=errno.ENOSYS),
    Rule("personality", when="not_in", arg=0, values=PERSONALITIES),
    Rule("ioctl", when="in", arg=1, values=(TIOCSTI, TIOCLINUX)),
    # vsock reaches the host across network namespaces; packet/raw/alg/... are kernel surface.
    Rule("socket", errno=errno.EAFNOSUPPORT, when="not_in", arg=0,
         values=(AF_UNIX, AF_INET, AF_INET6, AF_NETLINK)),
    *(Rule(name) for name in _ALWAYS),
)

# classic BPF (linux/filter.h, linux/seccomp.h)
BPF_LD_W_ABS, BPF_JEQ_K, BPF_JGE_K, BPF_JSET_K, BPF_RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
RET_KILL_PROCESS, RET_ERRNO, RET_ALLOW = 0x80000000, 0x00050000, 0x7FFF0000
OFFSET_NR, OFFSET_ARCH, OFFSET_ARGS = 0, 4, 16  # struct seccomp_data (little-endian low words)
INSN = struct.Struct("=HBBI")  # struct sock_filter: code, jt, jf, k


def machine() -> str | None:
    """The running architecture if the filter supports it, else None."""
    m = platform.machine().lower()
    m = MACHINE_ALIASES.get(m, m)
    return m if m in AUDIT_ARCH else None


def rules_for(arch: str) -> list[tuple[Rule, int]]:
    """(rule, syscall number) for the rules that exist on `arch`."""
    index = 0 if arch == "x86_64" else 1
    return [(r, nr) for r in RULES if (nr := SYSCALLS[r.syscall][index]) is not None]


def _condition(rule: Rule) -> list[tuple[int, int, int, int]]:
    """Instructions, entered with the syscall matched, that return the rule's verdict."""
    deny, allow = (BPF_RET_K, 0, 0, RET_ERRNO | rule.errno), (BPF_RET_K, 0, 0, RET_ALLOW)
    if rule.when == "always":
        return [deny]
    load = (BPF_LD_W_ABS, 0, 0, OFFSET_ARGS + 8 * rule.arg)
    if rule.when == "any_flag":
        return [load, (BPF_JSET_K, 0, 1, rule.values[0]), deny, allow]
    n = len(rule.values)
    if rule.when == "in":  # jump to deny (after the n tests and the allow) on a match
        return [load, *((BPF_JEQ_K, n - i, 0, v) for i, v in enumerate(rule.values)), allow, deny]
    # "not_in": jump to allow (after the n tests and the deny) on a match
    return [load, *((BPF_JEQ_K, n - i, 0, v) for i, v in enumerate(rule.values)), deny, allow]


def compile_filter(arch: str) -> bytes:
    """The BPF program (an array of struct sock_filter) for `arch`, as bubblewrap reads it."""
    if arch not in AUDIT_ARCH:
        raise ValueError(f"no seccomp filter for architecture {arch!r}")
    kill = (BPF_RET_K, 0, 0, RET_KILL_PROCESS)
    prog = [(BPF_LD_W_ABS, 0, 0, OFFSET_ARCH), (BPF_JEQ_K, 1, 0, AUDIT_ARCH[arch]), kill,
            (BPF_LD_W_ABS, 0, 0, OFFSET_NR)]
    if arch == "x86_64":
        prog += [(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT), kill]
    for rule, nr in rules_for(arch):
        body = _condition(rule)
        prog += [(BPF_JEQ_K, 0, len(body), nr), *body]
    prog.append((BPF_RET_K, 0, 0, RET_ALLOW))
    assert len(prog) < 4096  # BPF_MAXINSNS
    return b"".join(INSN.pack(*insn) for insn in prog)


def describe(arch: str) -> str:
    """What the run's enforcement record says of the filter."""
    return f"{VERSION}: {len(rules_for(arch))} syscalls ({arch}; EPERM, clone3 ENOSYS)"


@functools.cache
def kernel_has_filters() -> bool:
    """PR_SET_SECCOMP with no program: EFAULT where the kernel has seccomp filters, EINVAL where
    it has not. Installs nothing."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_seccomp, seccomp_mode_filter = 22, 2
    rc = libc.prctl(pr_set_seccomp, seccomp_mode_filter, None, 0, 0)
    return rc == -1 and ctypes.get_errno() == errno.EFAULT


def program() -> tuple[bytes | None, str]:
    """(the filter for this machine, or None where there is none, and what to record)."""
    arch = machine()
    if arch is None:
        return None, f"none (no filter for the {platform.machine()} architecture)"
    if not kernel_has_filters():
        return None, "none (the kernel has no seccomp filters)"
    return compile_filter(arch), describe(arch)
