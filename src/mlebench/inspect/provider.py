"""`sandbox="mlebench"`: mlebench's bubblewrap sandbox as an inspect_ai sandbox provider.

Each sample gets the sandbox `mlebench run` gives an agent (see session.py); `exec`, `read_file`
and `write_file` are carried out inside it by its command server, as the sandbox's own user
(`agent`, the only user there: another `user` raises SandboxUserUnsupportedError). Files are read
inside the sandbox, where a link can only lead to what the agent may see anyway; the host never
opens a path the agent chose: the submission reaches the grader through the intake after the
sandbox is gone (scorer.py). Output beyond inspect's limit keeps its last bytes, as inspect's
local and docker providers do; `read_file` beyond its limit raises OutputLimitExceededError.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any, Literal, overload

import anyio
import anyio.abc
from inspect_ai.util import (
    ExecResult,
    OutputLimitExceededError,
    SandboxEnvironment,
    SandboxEnvironmentConfigType,
    SandboxEnvironmentLimits,
    sandboxenv,
)
from inspect_ai.util._sandbox.environment import (
    SandboxUnavailableError,
    SandboxUserUnsupportedError,
)
from typing_extensions import override

from mlebench.inspect.channel import Channel, ChannelClosed
from mlebench.inspect.config import MLEBenchSandboxConfig, default_concurrency
from mlebench.inspect.session import WORKDIR, SampleSession
from mlebench.inspect.setup import open_session
from mlebench.runtime.sandbox import SANDBOX_UID, SANDBOX_USER
from mlebench.utils import safe_load_yaml

PROVIDER = "mlebench"
SLACK_S = 30  # beyond an exec's own timeout, which the server enforces, before the host gives up


@sandboxenv(name=PROVIDER)
class MLEBenchSandbox(SandboxEnvironment):
    def __init__(self, session: SampleSession, channel: Channel):
        super().__init__()
        self.session = session
        self.channel = channel
        self._ended = False

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def config_deserialize(cls, config: dict[str, Any]) -> MLEBenchSandboxConfig:
        return MLEBenchSandboxConfig(**config)

    @override
    @classmethod
    async def sample_init(cls, task_name: str, config: SandboxEnvironmentConfigType | None,
                          metadata: dict[str, str]) -> dict[str, SandboxEnvironment]:
        cfg = _config(config)
        competition_id = metadata.get("competition_id")
        if not competition_id:
            raise ValueError("An mlebench sample needs metadata['competition_id'].")
        session = await anyio.to_thread.run_sync(open_session, cfg, competition_id, task_name)
        try:
            conn = await anyio.to_thread.run_sync(session.accept)
            stream = await anyio.abc.SocketStream.from_socket(conn)
            channel = Channel(stream)
            with anyio.fail_after(60):
                hello = await channel.hello()
            if hello.get("uid") != SANDBOX_UID:
                raise RuntimeError(f"the command server runs as uid {hello.get('uid')!r}")
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(session.close)
            raise
        return {"default": cls(session, channel)}

    @override
    @classmethod
    async def sample_cleanup(cls, task_name: str, config: SandboxEnvironmentConfigType | None,
                             environments: dict[str, SandboxEnvironment],
                             interrupted: bool) -> None:
        for env in environments.values():
            if isinstance(env, MLEBenchSandbox):
                with anyio.CancelScope(shield=True):
                    await env.end()
                    await anyio.to_thread.run_sync(env.session.close)

    @classmethod
    def default_concurrency(cls) -> int | None:
        return default_concurrency()

    async def end(self) -> None:
        """Stop the sandbox (every process in it) and take in the agent's folders."""
        if not self._ended:
            self._ended = True
            await self.channel.aclose()
        await anyio.to_thread.run_sync(self.session.finish)

    # ------------------------------------------------------------------ operations

    @override
    async def exec(self, cmd: list[str], input: str | bytes | None = None, cwd: str | None = None,
                   env: dict[str, str] | None = None, user: str | None = None,
                   timeout: int | None = None, timeout_retry: bool = True,
                   concurrency: bool = True) -> ExecResult[str]:
        if user is not None and user not in (SANDBOX_USER, str(SANDBOX_UID)):
            raise SandboxUserUnsupportedError(
                f"The mlebench sandbox runs everything as its one user '{SANDBOX_USER}' "
                f"(uid {SANDBOX_UID}); it cannot execute as {user!r}.")
        limit = SandboxEnvironmentLimits.MAX_EXEC_OUTPUT_SIZE
        data = input.encode() if isinstance(input, str) else bytes(input or b"")
        header = {"op": "exec", "argv": list(cmd), "cwd": cwd, "env": dict(env or {}),
                  "timeout": timeout, "limit": limit, "has_input": input is not None}
        with anyio.fail_after(timeout + SLACK_S if timeout is not None else None):
            answer, payload = await self._request(header, data, 2 * limit)
        if "error" in answer:
            raise _error(answer, cmd[0] if cmd else "")
        split = min(int(answer.get("stdout_size") or 0), len(payload))
        stdout = payload[:split].decode(errors="replace")
        stderr = payload[split:].decode(errors="replace")
        if answer.get("timed_out"):
            e = TimeoutError(f"Command timed out after {timeout} seconds")
            if stdout or stderr:
                e.truncated_output = stdout + stderr  # type: ignore[attr-defined]
            raise e
        code = int(answer.get("returncode", 1))
        return ExecResult(success=code == 0, returncode=code, stdout=stdout, stderr=stderr)

    @override
    async def write_file(self, file: str, contents: str | bytes) -> None:
        data = contents.encode("utf-8") if isinstance(contents, str) else bytes(contents)
        answer, _ = await self._request({"op": "write", "path": file}, data, 0)
        if "error" in answer:
            raise _error(answer, file)

    @overload
    async def read_file(self, file: str, text: Literal[True] = True) -> str: ...

    @overload
    async def read_file(self, file: str, text: Literal[False]) -> bytes: ...

    @override
    async def read_file(self, file: str, text: bool = True) -> str | bytes:
        limit = SandboxEnvironmentLimits.MAX_READ_FILE_SIZE
        answer, payload = await self._request({"op": "read", "path": file, "limit": limit},
                                              b"", limit)
        if "error" in answer:
            raise _error(answer, file)
        return payload.decode("utf-8") if text else payload

    def default_polling_interval(self) -> float:
        return 0.2

    async def _request(self, header: dict[str, Any], payload: bytes,
                       max_answer: int) -> tuple[dict[str, Any], bytes]:
        try:
            return await self.channel.request(header, payload, max_answer)
        except ChannelClosed as e:
            raise SandboxUnavailableError(
                f"The mlebench sandbox for {self.session.run_dir.name} is not running: {e}."
            ) from None

    @property
    def working_dir(self) -> str:
        return WORKDIR


def _config(config: SandboxEnvironmentConfigType | None) -> MLEBenchSandboxConfig:
    if config is None:
        return MLEBenchSandboxConfig()
    if isinstance(config, MLEBenchSandboxConfig):
        return config
    if isinstance(config, str):  # a YAML or JSON file of the same fields

        data = safe_load_yaml(Path(config).read_text()) or {}
        return MLEBenchSandboxConfig(**data)
    return MLEBenchSandboxConfig(**config.model_dump())


def _error(answer: dict[str, Any], name: str) -> Exception:
    kind, message = answer.get("error"), str(answer.get("message") or "")
    path = answer.get("path") or name
    if kind == "OutputLimit":
        return OutputLimitExceededError(SandboxEnvironmentLimits.MAX_READ_FILE_SIZE_STR, None)
    if kind == "FileNotFoundError":
        return FileNotFoundError(errno.ENOENT, message or "No such file or directory", path)
    if kind == "PermissionError":
        return PermissionError(errno.EACCES, message or "Permission denied", path)
    if kind == "IsADirectoryError":
        return IsADirectoryError(errno.EISDIR, "Is a directory", path)
    if kind == "NotADirectoryError":
        return NotADirectoryError(errno.ENOTDIR, message or "Not a directory", path)
    return OSError(answer.get("errno") or errno.EIO, message[:500] or "sandbox error", path)
