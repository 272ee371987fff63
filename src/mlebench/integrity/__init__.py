"""Integrity checks of a run group: deterministic rule checks (`rules`), the LLM judge (`judge`)
and plagiarism against public notebooks (`plagiarism`). Signed bundles live in `mlebench.bundles`."""
