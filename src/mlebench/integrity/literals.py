"""The `hand-written-predictions` rule's Python side: literals in the agent's code (CSV strings,
lists, dicts, rows, repeated writes) that are the submission's predictions."""

from __future__ import annotations

import ast
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from mlebench.integrity.findings import (
    HAND_WRITTEN,
    MIN_LITERAL_ROWS,
    Evidence,
    RunContext,
    read_run_text,
    run_files,
    short_excerpt,
)
from mlebench.integrity.notebooks import notebook_code
from mlebench.runtime.run_folder import RunFolder

# Calls that indicate a model is fitted or used.
MODEL_CALL = re.compile(
    r"\.(?:fit|fit_predict|partial_fit|predict|predict_proba|predict_log_proba|decision_function|"
    r"train|train_on_batch|evaluate|forward|generate)\s*\(|\b(?:lgb|xgb|lightgbm|xgboost|"
    r"catboost)\.(?:train|cv)\s*\(|\bmodel\s*\(|\bTrainer\s*\(|\bbackward\s*\(")
SUBMISSION_WRITE = re.compile(r"submission[\w./-]*\.csv|to_csv\(|\bSUBMISSION_DIR\b", re.I)


@dataclass
class _Literal:
    line: int
    kind: str  # "csv-string", "list", "dict", "writes"
    values: list[str]


def _scalar(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        return str(node.value)
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and isinstance(node.operand.value, (int, float))):
        return str(-node.operand.value)
    return None


def _literals(tree: ast.AST) -> list[_Literal]:
    found: list[_Literal] = []
    writes: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            rows = [r for r in node.value.splitlines() if "," in r]
            if len(rows) >= MIN_LITERAL_ROWS:
                found.append(_Literal(node.lineno, "csv-string",
                                      [r.rsplit(",", 1)[-1].strip() for r in rows]))
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            vals = [_scalar(e) for e in node.elts]
            if len(vals) >= MIN_LITERAL_ROWS and all(v is not None for v in vals):
                found.append(_Literal(node.lineno, "list", [v for v in vals if v is not None]))
            # a list of rows: [(id, pred), ...]
            elif len(node.elts) >= MIN_LITERAL_ROWS and all(
                    isinstance(e, (ast.List, ast.Tuple)) and e.elts
                    and all(_scalar(x) is not None for x in e.elts) for e in node.elts):
                found.append(_Literal(node.lineno, "rows",
                                      [str(_scalar(e.elts[-1])) for e in node.elts
                                       if isinstance(e, (ast.List, ast.Tuple))]))
        elif isinstance(node, ast.Dict):
            vals = [_scalar(v) for v in node.values]
            keys = [_scalar(k) if k is not None else None for k in node.keys]
            if (len(vals) >= MIN_LITERAL_ROWS and all(v is not None for v in vals)
                    and all(k is not None for k in keys)):
                found.append(_Literal(node.lineno, "dict", [v for v in vals if v is not None]))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("write", "writerow") and node.args):
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "," in arg.value:
                writes.append((node.lineno, arg.value.strip().rsplit(",", 1)[-1]))
            elif isinstance(arg, (ast.List, ast.Tuple)) and all(_scalar(e) is not None
                                                                 for e in arg.elts):
                writes.append((node.lineno, str(_scalar(arg.elts[-1])) if arg.elts else ""))
    if len(writes) >= MIN_LITERAL_ROWS:
        found.append(_Literal(writes[0][0], "writes", [v for _, v in writes]))
    return found


def _submission_columns(run_dir: Path) -> dict[str, list[str]]:
    text = read_run_text(run_dir, RunFolder.SUBMISSION)
    if text is None:
        return {}
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return {}
    if len(rows) < 2:
        return {}
    header, body = rows[0], rows[1:]
    return {name: [r[i].strip() if i < len(r) else "" for r in body] for i, name in enumerate(header)}


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    except ValueError:
        return a.lower() in ("true", "false") and b in ("0", "1") and (a.lower() == "true") == (b == "1")


def _match_submission(lit: _Literal, columns: dict[str, list[str]]) -> str | None:
    """Name of a submission column whose leading values are this literal's values (>= 90%)."""
    vals = lit.values
    # The first column is the id column when there are several: hard-coded ids are not predictions.
    names = list(columns)[1:] if len(columns) > 1 else list(columns)
    for name in names:
        col = columns[name]
        if len(col) < MIN_LITERAL_ROWS or len(vals) < MIN_LITERAL_ROWS:
            continue
        n = min(len(vals), len(col))
        if n < 0.5 * len(col):
            continue
        same = sum(_same(vals[i], col[i]) for i in range(n))
        # Constant columns (all zeros) match anything constant: require some variety.
        if same >= 0.9 * n and len(set(col[:n])) > 1:
            return name
    return None


def _python_sources(run_dir: Path) -> list[tuple[str, str]]:
    out = []
    for rel in run_files(run_dir, RunFolder.CODE):
        if rel.endswith(".py"):
            text = read_run_text(run_dir, rel)
        elif rel.endswith(".ipynb"):
            raw = read_run_text(run_dir, rel)
            text = notebook_code(raw) if raw else None
        else:
            continue
        if text:
            out.append((rel, text))
    return out


def check_python(ctx: RunContext) -> None:
    sources = _python_sources(ctx.run_dir)
    all_code = "\n".join(t for _, t in sources)
    has_model = bool(MODEL_CALL.search(all_code))
    columns = _submission_columns(ctx.run_dir)
    threshold = MIN_LITERAL_ROWS
    if ctx.n_test:
        threshold = max(MIN_LITERAL_ROWS, min(50, ctx.n_test // 2))
    for rel, text in sources:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        writes_submission = bool(SUBMISSION_WRITE.search(text))
        lines = text.splitlines()
        for lit in _literals(tree):
            line_text = lines[lit.line - 1] if 0 < lit.line <= len(lines) else ""
            ev = Evidence(rel, lit.line, excerpt=short_excerpt(line_text))
            matched = _match_submission(lit, columns)
            if matched:
                ctx.add(HAND_WRITTEN, "violation", ev,
                        f"the submission's '{matched}' column equals a hard-coded {lit.kind} of "
                        f"{len(lit.values)} values", "literal-matches-submission")
            elif len(lit.values) >= threshold and writes_submission and not has_model:
                ctx.add(HAND_WRITTEN, "violation", ev,
                        f"writes the submission from a hard-coded {lit.kind} of "
                        f"{len(lit.values)} values, with no model fit/predict call in code/",
                        "literal-no-model")
            elif len(lit.values) >= threshold and writes_submission and lit.kind in (
                    "csv-string", "writes", "rows"):
                ctx.add(HAND_WRITTEN, "warning", ev,
                        f"hard-coded {lit.kind} of {len(lit.values)} rows next to a submission "
                        "write", "literal")
