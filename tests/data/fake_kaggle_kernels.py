"""The fake Kaggle (fake_kaggle.py) plus the notebook endpoint `KaggleApi.kernels_pull` uses.

`POST /api/v1/kernels.KernelsApiService/GetKernel` with `{"userName", "kernelSlug"}` answers, as
Kaggle does, `{"metadata": {...}, "blob": {"source", "language", "kernelType", "slug"}}` for a
notebook the fake holds, 404 for an unknown one, 403 for one marked private, and 401 without valid
credentials. Every other request is served by FakeKaggle unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.data.fake_kaggle import FakeKaggle, _Handler


@dataclass
class Kernel:
    source: str
    language: str = "python"
    kernel_type: str = "notebook"  # or "script"
    private: bool = False


class FakeKaggleKernels(FakeKaggle):
    def __init__(self) -> None:
        super().__init__()
        self.kernels: dict[str, Kernel] = {}  # "owner/slug" -> notebook

    def _handler_class(self) -> type:
        return _KernelsHandler

    def kernel_pulls(self) -> list[dict]:
        return [r for r in self.requests if r["path"].endswith("/GetKernel")]


class _KernelsHandler(_Handler):
    server_state: FakeKaggleKernels

    def do_POST(self) -> None:
        if not self._target()[1].endswith("/kernels.KernelsApiService/GetKernel"):
            return super().do_POST()
        if self._record("POST") is None:
            return None
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self._user() is None:
            return self._json(401, {"code": 401, "message": "Unauthenticated"})
        ref = f"{body.get('userName', '')}/{body.get('kernelSlug', '')}"
        kernel = self.server_state.kernels.get(ref)
        if kernel is None:
            return self._json(404, {"code": 404, "message": f"Kernel {ref} not found"})
        if kernel.private:
            return self._json(403, {"code": 403, "message": "Permission denied"})
        slug = ref.split("/", 1)[1]
        meta = {"id": abs(hash(ref)) % 10**6, "ref": ref, "title": slug, "author": ref.split("/")[0],
                "slug": slug, "language": kernel.language, "kernelType": kernel.kernel_type}
        blob = {"source": kernel.source, "language": kernel.language,
                "kernelType": kernel.kernel_type, "slug": slug}
        return self._json(200, {"metadata": meta, "blob": blob})
