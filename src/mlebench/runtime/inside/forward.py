"""Runs inside the sandbox: exposes host services that are bound in as Unix sockets on loopback
TCP ports (the validation service at 127.0.0.1:5000, the LLM proxy at 127.0.0.1:3128), then runs
the agent's command and exits with its status. Standard library only.

usage: forward.py --map SOCKET:PORT [--map ...] [--env NAME=TEMPLATE ...] -- command...

PORT 0 lets the kernel choose a free port (where the sandbox shares the host's loopback, so no two
runs share an endpoint); each --env value is formatted with the ports actually bound, in --map
order ({0}, {1}, ...), and set in the agent's environment.

At the time limit the harness sends SIGTERM to this process's group. The forwarder passes it on
to the agent's process group and keeps serving, so the agent can still validate and save its
submission during the grace period; the harness kills everything when the grace period ends.
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


def _serve(mappings, ports, ready):
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
                server = await asyncio.start_server(handle, "127.0.0.1", port)
                servers.append(server)
                ports.append(server.sockets[0].getsockname()[1])
            except OSError as e:
                ports.append(None)
                print(f"[mlebench] cannot expose {socket_path} on port {port}: {e}", file=sys.stderr)
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    try:
        asyncio.run(main())
    except Exception as e:  # never stop the agent because a helper service failed
        print(f"[mlebench] forwarder stopped: {e}", file=sys.stderr)
        ready.set()


def _parse(args):
    split = args.index("--") if "--" in args else len(args)
    opts, command = args[:split], args[split + 1:]
    mappings, templates = [], []
    for i in range(len(opts) - 1):
        flag, value = opts[i], opts[i + 1]
        if flag == "--map":
            socket_path, port = value.rsplit(":", 1)
            if os.path.exists(socket_path):
                mappings.append((socket_path, int(port)))
        elif flag == "--env":
            templates.append(value.split("=", 1))
    return mappings, templates, command


def main():
    mappings, templates, command = _parse(sys.argv[1:])
    ports = []
    if mappings:
        ready = threading.Event()
        threading.Thread(target=_serve, args=(mappings, ports, ready), daemon=True).start()
        ready.wait(5)
    if not command:
        return 0
    env = dict(os.environ)
    for name, template in templates:
        if len(ports) == len(mappings) and None not in ports:
            env[name] = template.format(*ports)
    agent = None
    pending = []

    def on_signal(signum, frame):
        # Passed on, never obeyed: the validation endpoint must outlive the agent's grace period.
        if agent is None:
            pending.append(signum)
            return
        try:
            os.killpg(agent.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        # Its own process group, so that a signal passed on never comes back to us.
        agent = subprocess.Popen(command, env=env, start_new_session=True)
    except FileNotFoundError:
        print(f"[mlebench] agent command not found: {command[0]}", file=sys.stderr)
        return 127
    for sig in pending:
        on_signal(sig, None)
    code = agent.wait()
    return 128 - code if code < 0 else code  # killed by signal N: 128 + N, as a shell says


if __name__ == "__main__":
    sys.exit(main())
