"""Runs inside the sandbox: exposes host services that are bound in as Unix sockets on loopback
TCP ports (the validation service at 127.0.0.1:5000, the LLM proxy at 127.0.0.1:3128), then runs
the agent's command and exits with its status. Standard library only.

usage: forward.py --map SOCKET:PORT [--map SOCKET:PORT ...] -- command...
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading


async def _pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except OSError:
            pass


def _serve(mappings, ready):
    async def main():
        servers = []
        for socket_path, port in mappings:
            async def handle(client_reader, client_writer, socket_path=socket_path):
                try:
                    up_reader, up_writer = await asyncio.open_unix_connection(socket_path)
                except OSError:
                    client_writer.close()
                    return
                await asyncio.gather(_pipe(client_reader, up_writer), _pipe(up_reader, client_writer))

            try:
                servers.append(await asyncio.start_server(handle, "127.0.0.1", port))
            except OSError as e:
                print(f"[mlebench] cannot expose {socket_path} on port {port}: {e}", file=sys.stderr)
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    try:
        asyncio.run(main())
    except Exception as e:  # never stop the agent because a helper service failed
        print(f"[mlebench] forwarder stopped: {e}", file=sys.stderr)
        ready.set()


def main():
    args = sys.argv[1:]
    split = args.index("--") if "--" in args else len(args)
    opts, command = args[:split], args[split + 1:]
    mappings = []
    for i, opt in enumerate(opts):
        if opt == "--map" and i + 1 < len(opts):
            socket_path, port = opts[i + 1].rsplit(":", 1)
            if os.path.exists(socket_path):
                mappings.append((socket_path, int(port)))
    if mappings:
        ready = threading.Event()
        threading.Thread(target=_serve, args=(mappings, ready), daemon=True).start()
        ready.wait(5)
    if not command:
        return 0
    # At the time limit the harness sends SIGTERM to every process of the run: this one outlives
    # it so that the agent gets its grace period (the run ends when this process exits).
    signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        return subprocess.call(command)
    except FileNotFoundError:
        print(f"[mlebench] agent command not found: {command[0]}", file=sys.stderr)
        return 127


if __name__ == "__main__":
    sys.exit(main())
