"""The harness's end of the command-server connection against a hostile server: whatever the
sandbox sends back is bounded before it is buffered, and answers reach the call that asked.
The server side here is a real peer on a real Unix socket pair, speaking the wire format."""

import json
import socket
import struct

import pytest

from .conftest import SKIP_REASON

pytest.importorskip("inspect_ai", reason=SKIP_REASON)

import anyio  # noqa: E402
import anyio.abc  # noqa: E402

from mlebench.inspect.channel import Channel, ChannelClosed  # noqa: E402

HEADER = struct.Struct(">I")


def frame(header: dict, payload: bytes = b"") -> bytes:
    data = json.dumps({**header, "size": len(payload)}).encode()
    return HEADER.pack(len(data)) + data + payload


def read_request(sock: socket.socket) -> dict:
    (n,) = HEADER.unpack(sock.recv(4, socket.MSG_WAITALL))
    req = json.loads(sock.recv(n, socket.MSG_WAITALL))
    if req.get("size"):
        sock.recv(req["size"], socket.MSG_WAITALL)
    return req


async def with_server(serve, client):
    """Run `serve(peer_socket)` in a thread against a Channel given to `client`."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    stream = await anyio.abc.SocketStream.from_socket(ours)
    channel = Channel(stream)
    async with anyio.create_task_group() as tg:
        tg.start_soon(anyio.to_thread.run_sync, serve, theirs)
        try:
            return await client(channel)
        finally:
            await stream.aclose()


def test_concurrent_answers_in_any_order_reach_their_callers():
    def serve(sock):
        a, b = read_request(sock), read_request(sock)
        for req in (b, a):  # the second request is answered first
            sock.sendall(frame({"id": req["id"], "echo": req["op"]}, req["op"].encode() * 3))
        sock.close()

    async def client(channel):
        results = {}

        async def ask(op):
            results[op] = await channel.request({"op": op}, max_answer=100)

        async with anyio.create_task_group() as tg:
            tg.start_soon(ask, "exec")
            await anyio.sleep(0.05)
            tg.start_soon(ask, "read")
        return results

    results = anyio.run(with_server, serve, client)
    assert results["exec"] == ({"id": 1, "echo": "exec", "size": 12}, b"execexecexec")
    assert results["read"] == ({"id": 2, "echo": "read", "size": 12}, b"readreadread")


@pytest.mark.parametrize("answer", [
    HEADER.pack(2**31) + b"{",                                   # a 2 GiB header
    frame({"id": 1}, b"x" * 10_000),                             # more payload than allowed
    frame({"id": 99}),                                           # an answer to no request
    HEADER.pack(5) + b"nope!",                                   # not JSON
    HEADER.pack(21) + b'{"id": 1, "size": -1}',                # a negative size
], ids=["huge-header", "oversized-payload", "unknown-id", "garbage", "negative-size"])
def test_a_hostile_answer_closes_the_channel_without_buffering_it(answer):
    def serve(sock):
        read_request(sock)
        sock.sendall(answer)
        if answer.startswith(HEADER.pack(2**31)):
            try:  # keep streaming: the harness must stop reading, not wait for 2 GiB
                sock.sendall(b"x" * (8 << 20))
            except OSError:
                pass
        sock.recv(1)  # until the harness hangs up

    async def client(channel):
        with anyio.fail_after(10), pytest.raises(ChannelClosed):
            await channel.request({"op": "read"}, max_answer=1000)
        assert len(channel._buffer) < (1 << 20) + 100
        with pytest.raises(ChannelClosed):  # and stays closed for every later call
            await channel.request({"op": "read"}, max_answer=1000)

    anyio.run(with_server, serve, client)


def test_a_server_that_hangs_up_fails_the_waiting_call():
    def serve(sock):
        read_request(sock)
        sock.close()

    async def client(channel):
        with anyio.fail_after(10), pytest.raises(ChannelClosed, match="closed"):
            await channel.request({"op": "exec"}, max_answer=10)

    anyio.run(with_server, serve, client)
