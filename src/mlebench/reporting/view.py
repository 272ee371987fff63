"""`mlebench view`: serve a run group's report and its runs' logs on localhost."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPORT_DIR = "_report"


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".log": "text/plain; charset=utf-8",
                      ".jsonl": "text/plain; charset=utf-8", ".json": "application/json"}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path in ("/", "/index.html"):
            self.send_response(302)
            self.send_header("Location", f"/{REPORT_DIR}/report.html")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


def serve(group: Path, port: int = 8765, host: str = "127.0.0.1",
          bundles: list[Path] | None = None, data_dir: Path | None = None,
          pubkey: Path | None = None) -> ThreadingHTTPServer:
    """Write the report into `<group>/_report/` (with the bundle's verification status: see
    `report.bundle_statuses`) and serve the group folder (read-only)."""
    from mlebench.reporting.report import write_report

    write_report([group], group / REPORT_DIR, bundles=bundles, data_dir=data_dir, pubkey=pubkey)
    handler = functools.partial(_Handler, directory=str(group))
    return ThreadingHTTPServer((host, port), handler)


def serve_in_thread(group: Path, port: int = 0, bundles: list[Path] | None = None,
                    ) -> tuple[ThreadingHTTPServer, str]:
    server = serve(group, port, bundles=bundles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
