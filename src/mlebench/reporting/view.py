"""`mlebench view`: serve a run group's report and its runs' logs on localhost.

Everything under a run folder was written by an agent, so files are served through the intake
(`mlebench.intake`: no link followed, regular files only, bounded size) and always as plain text
with a sandboxing content policy: a log named `x.html` is shown, never rendered or run. Only the
report the harness wrote (`_report/`) is served with its own content type.
"""

from __future__ import annotations

import html
import os
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from mlebench.intake import IntakeRefused, open_regular, safe_name, walk
from mlebench.reporting.report import write_report

REPORT_DIR = "_report"
MAX_VIEW_BYTES = 256 * 2**20
REPORT_TYPES = {".html": "text/html; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
                ".json": "application/json", ".css": "text/css", ".md": "text/plain; charset=utf-8"}
UNTRUSTED_HEADERS = {"Content-Type": "text/plain; charset=utf-8",
                     "X-Content-Type-Options": "nosniff",
                     "Content-Security-Policy": "sandbox; default-src 'none'"}


def _parts(url_path: str) -> list[str] | None:
    """The request path as names below the group; '..' never leaves it; None if malformed."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url_path).path)
    if "\0" in path:
        return None
    out: list[str] = []
    for name in path.split("/"):
        if name in ("", "."):
            continue
        if name == "..":
            if out:
                out.pop()
            continue
        out.append(name)
    return out


class _Handler(BaseHTTPRequestHandler):
    group: Path

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parts = _parts(self.path)
        if parts is None:
            self._send(400, b"bad path", UNTRUSTED_HEADERS)
            return
        if not parts:
            self.send_response(302)
            self.send_header("Location", f"/{REPORT_DIR}/report.html")
            self.end_headers()
            return
        rel = "/".join(parts)
        try:
            with open_regular(self.group, rel, MAX_VIEW_BYTES) as fd:
                size = os.fstat(fd).st_size
                trusted = parts[0] == REPORT_DIR
                suffix = Path(parts[-1]).suffix.lower()
                headers = ({"Content-Type": REPORT_TYPES.get(suffix, "text/plain; charset=utf-8"),
                            "X-Content-Type-Options": "nosniff"} if trusted
                           else UNTRUSTED_HEADERS)
                self.send_response(200)
                for key, value in {**headers, "Content-Length": str(size)}.items():
                    self.send_header(key, value)
                self.end_headers()
                left = size
                while left > 0 and (chunk := os.read(fd, min(1 << 20, left))):
                    self.wfile.write(chunk)
                    left -= len(chunk)
        except IntakeRefused as e:
            if e.kind == "dir":
                self._listing(rel)
            else:
                status = 404 if e.kind == "missing" else 403
                self._send(status, f"{e.path}: {e.reason}\n".encode(), UNTRUSTED_HEADERS)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _listing(self, rel: str) -> None:
        entries, notes = walk(self.group, rel, max_entries=10_000, max_depth=1)
        rows = []
        for e in entries:
            name = safe_name(e.path.rsplit("/", 1)[-1])
            if e.kind in ("file", "dir"):
                href = urllib.parse.quote("/" + e.path + ("/" if e.kind == "dir" else ""))
                rows.append(f"<li><a href='{href}'>{html.escape(name)}</a></li>")
            else:  # shown, never linked: the harness does not follow links
                rows.append(f"<li>{html.escape(name)} ({html.escape(e.kind)}, not served)</li>")
        body = (f"<!doctype html><title>{html.escape(safe_name(rel))}</title>"
                f"<h1>{html.escape(safe_name(rel))}</h1><ul>{''.join(rows)}</ul>").encode()
        self._send(200, body, {"Content-Type": "text/html; charset=utf-8",
                               "X-Content-Type-Options": "nosniff",
                               "Content-Security-Policy": "default-src 'none'"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve(group: Path, port: int = 8765, host: str = "127.0.0.1",
          bundle_statuses: list[dict] | None = None) -> ThreadingHTTPServer:
    """Write the report into `<group>/_report/` (with the bundles' verification statuses, from
    `mlebench.bundles.status.bundle_statuses`) and serve the group folder (read-only)."""
    write_report([group], group / REPORT_DIR, bundle_statuses=bundle_statuses)
    handler = type("GroupHandler", (_Handler,), {"group": Path(group).resolve()})
    return ThreadingHTTPServer((host, port), handler)


def serve_in_thread(group: Path, port: int = 0, bundle_statuses: list[dict] | None = None,
                    ) -> tuple[ThreadingHTTPServer, str]:
    server = serve(group, port, bundle_statuses=bundle_statuses)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
