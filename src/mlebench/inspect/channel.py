"""The harness's end of the connection to the in-sandbox command server (runtime/inside/
exec_server.py): framed requests out, framed answers in, many requests in flight at once.

Everything that comes back is the sandbox's word, so it is bounded before it is buffered: a
header is at most 1 MiB of JSON, and a payload at most what the request allowed (the output or
file limit it sent). A frame beyond that, an answer to no request, or bytes that are not a frame
end the connection: every waiting call then fails with SandboxUnavailableError.

No background task is needed: one waiting call at a time reads frames and files each answer
under its request id, then wakes the others, which find theirs or take over the reading.
Reading a chunk is cancellation-safe (a chunk is either buffered or never taken), and sends are
shielded so that a cancelled call never leaves half a frame on the wire.
"""

from __future__ import annotations

import itertools
import json
import struct
from typing import Any

import anyio
import anyio.abc

HEADER = struct.Struct(">I")
MAX_HEADER = 1 << 20
FRAME_SLACK = 4096


class ChannelClosed(Exception):
    """The server is gone or broke the protocol."""


class Channel:
    def __init__(self, stream: anyio.abc.ByteStream):
        self._stream = stream
        self._ids = itertools.count(1)
        self._send_lock = anyio.Lock()
        self._reading = False  # whether a waiting call is reading frames now
        self._wakeup = anyio.Event()  # set (and replaced) when that call files frames or leaves
        self._buffer = bytearray()
        self._pending: dict[int, int] = {}  # request id -> largest payload allowed in its answer
        self._answers: dict[int, tuple[dict[str, Any], bytes]] = {}
        self.closed: str | None = None  # why, once closed

    async def hello(self) -> dict[str, Any]:
        """The server's first frame: it is up (id 0)."""
        self._pending[0] = 0
        return (await self._wait(0))[0]

    async def request(self, header: dict[str, Any], payload: bytes = b"",
                      max_answer: int = 0) -> tuple[dict[str, Any], bytes]:
        rid = next(self._ids)
        self._pending[rid] = max_answer + FRAME_SLACK
        try:
            await self.send({**header, "id": rid}, payload)
            return await self._wait(rid)
        except BaseException:
            self._pending.pop(rid, None)
            self._answers.pop(rid, None)
            if self.closed is None and header.get("op") == "exec":
                with anyio.CancelScope(shield=True), anyio.move_on_after(5):
                    await self.send({"op": "kill", "target": rid})  # cancelled: stop it
            raise

    async def send(self, header: dict[str, Any], payload: bytes = b"") -> None:
        if self.closed is not None:
            raise ChannelClosed(self.closed)
        data = json.dumps({**header, "size": len(payload)}).encode()
        with anyio.CancelScope(shield=True):
            async with self._send_lock:
                try:
                    await self._stream.send(HEADER.pack(len(data)) + data)
                    if payload:
                        await self._stream.send(payload)
                except (OSError, anyio.BrokenResourceError, anyio.ClosedResourceError) as e:
                    self._close(f"the command server's connection broke: {e}")
                    raise ChannelClosed(self.closed) from e

    async def _wait(self, rid: int) -> tuple[dict[str, Any], bytes]:
        while rid not in self._answers:
            if self.closed is not None:
                raise ChannelClosed(self.closed)
            if self._reading:  # another call reads: wait until it files something or leaves
                await self._wakeup.wait()
                continue
            self._reading = True
            try:
                while not self._take_frames() and self.closed is None:
                    await self._receive()
            finally:
                self._reading = False
                self._wake()
        self._pending.pop(rid, None)
        return self._answers.pop(rid)

    def _wake(self) -> None:
        event, self._wakeup = self._wakeup, anyio.Event()
        event.set()

    async def _receive(self) -> None:
        try:
            chunk = await self._stream.receive()
        except (anyio.EndOfStream, anyio.BrokenResourceError, anyio.ClosedResourceError,
                OSError) as e:
            self._close(f"the command server closed the connection ({type(e).__name__})")
            return
        self._buffer += chunk

    def _take_frames(self) -> bool:
        """File every complete frame in the buffer; False when more bytes are needed."""
        took = False
        while len(self._buffer) >= HEADER.size:
            (n,) = HEADER.unpack_from(self._buffer)
            if n > MAX_HEADER:
                self._close(f"the command server sent a {n}-byte header")
                return True
            if len(self._buffer) < HEADER.size + n:
                return took
            try:
                header = json.loads(bytes(self._buffer[HEADER.size:HEADER.size + n]))
                rid, size = header["id"], header.get("size", 0)
                if not isinstance(size, int) or size < 0:
                    raise ValueError("bad size")
            except (ValueError, KeyError, TypeError):
                self._close("the command server sent a malformed header")
                return True
            allowed = self._pending.get(rid) if isinstance(rid, int) else None
            if allowed is None or size > allowed:
                self._close(f"the command server sent an unexpected answer (id {rid!r}, "
                            f"{size} bytes)")
                return True
            if len(self._buffer) < HEADER.size + n + size:
                return took
            start = HEADER.size + n
            payload = bytes(self._buffer[start:start + size])
            del self._buffer[:start + size]
            self._answers[rid] = (header, payload)
            took = True
        return took

    def _close(self, why: str) -> None:
        if self.closed is None:
            self.closed = why

    async def aclose(self) -> None:
        """Ask the server to stop, then close the connection."""
        if self.closed is None:
            with anyio.move_on_after(5):
                try:
                    await self.send({"op": "stop"})
                except ChannelClosed:
                    pass
            self._close("closed by the harness")
        with anyio.CancelScope(shield=True), anyio.move_on_after(5):
            await self._stream.aclose()
