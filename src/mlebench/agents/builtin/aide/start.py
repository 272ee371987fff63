"""Run WecoAI's AIDE (the `aideml` package, installed by this agent's requirements.txt) inside the
sandbox, set up as MLE-bench's reference runs it (openai/mle-bench, agents/aide):

- the task text is the harness's instructions, then this folder's additional notes, then the
  competition's description; paths are rewritten to AIDE's workspace (./input, ./working);
- `--key=value` arguments are AIDE's own config keys (agent.steps, agent.code.model,
  agent.search.debug_prob, exec.timeout, copy_data, ...), plus `base_url` (an OpenAI-compatible
  endpoint) and `agent.time_limit` (seconds; the run's own limit by default);
- after every step the best node's submission and code are copied, as regular files, to
  $SUBMISSION_DIR and $CODE_DIR; AIDE's journal, config and logs are written to $LOGS_DIR.

The reference uses a fork of AIDE; what it added for MLE-bench is done here around the PyPI package:
the remaining time and steps in every prompt, each step's run capped by the time left, a node that
writes no submission counts as buggy, and the best submission kept. The API key is read from the
environment once, then removed from it, so the code AIDE runs never inherits it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

START = time.monotonic()
DATA = Path(os.environ.get("DATA_DIR", "/home/data"))
SUBMISSION = Path(os.environ.get("SUBMISSION_DIR", "/home/submission"))
LOGS = Path(os.environ.get("LOGS_DIR", "/home/logs"))
CODE = Path(os.environ.get("CODE_DIR", "/home/code"))
AGENT = Path(os.environ.get("AGENT_DIR", "/home/agent"))
HERE = Path(__file__).resolve().parent

# Ours, not AIDE's: the rest of the `--key=value` arguments go to AIDE's config.
LAUNCHER_KEYS = ("base_url", "agent.time_limit", "price_in_per_mtok", "price_out_per_mtok")
# Where things live: set here, never by an argument.
LAYOUT_KEYS = ("data_dir", "desc_file", "goal", "eval", "log_dir", "workspace_dir", "exp_name")
# Options of the reference's fork that the PyPI package does not have.
FORK_ONLY_KEYS = ("agent.convert_system_to_user", "agent.obfuscate")
MIN_STEP_S = 30  # no new step starts with less time than this left

log = logging.getLogger("aide")


class UsageError(Exception):
    pass


def parse_args(argv: list[str]) -> dict[str, str]:
    out = {}
    for arg in argv:
        key, eq, value = arg.removeprefix("--").partition("=")
        if not arg.startswith("--") or not eq or not key:
            raise UsageError(f"argument {arg!r}: expected --key=value")
        out[key] = value
    for key in out:
        if key in LAYOUT_KEYS:
            raise UsageError(f"{key} is set by the launcher (the sandbox's layout)")
        if key in FORK_ONLY_KEYS:
            raise UsageError(f"{key} is an option of the reference's AIDE fork, not of aideml "
                             "from PyPI")
    return out


def format_duration(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600}hrs {s % 3600 // 60}mins {s % 60}secs"


def hardware() -> str:
    """As the reference describes it: '2 NVIDIA H100 80GB HBM3', else 'a CPU'."""
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return "a CPU"
    names = [n.strip() for n in out.splitlines() if n.strip()]
    counts = {n: names.count(n) for n in sorted(set(names))}
    return ", ".join(f"{c} {n}" for n, c in counts.items()) or "a CPU"


def task_text(time_limit_s: float, steps: int) -> str:
    """Instructions + additional notes + the competition's description, as the reference's
    start.sh builds them; /home paths point at AIDE's workspace, where the code runs."""
    instructions = Path(os.environ.get("MLEBENCH_INSTRUCTIONS", "/home/instructions.txt")
                        ).read_text(errors="replace")
    # The harness's instructions name the sandbox's paths (even where the run has no sandbox).
    instructions = (instructions.replace("/home/data/", "./input/")
                    .replace("/home/submission/", "./working/"))
    notes = (HERE / "additional_notes.txt").read_text()
    for var, value in (("HARDWARE", hardware()), ("TIME_LIMIT", format_duration(time_limit_s)),
                       ("STEP_LIMIT", str(steps))):
        notes = notes.replace("${" + var + "}", value)
    description = (DATA / "description.md").read_text(errors="replace")
    return (f"{instructions.rstrip()}\n\n{notes.rstrip()}\n\nCOMPETITION INSTRUCTIONS\n------\n\n"
            f"{description}")


def build_config(overrides: dict[str, str], desc_file: Path):
    # aideml is in the agent's environment layer; import it only when the agent runs
    from aide.utils.config import _load_cfg, prep_cfg
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    cfg = _load_cfg(use_cli_args=False)
    # The reference's start.sh gives none of these: no end-of-run report (a further LLM call).
    cfg.generate_report = False
    try:
        cfg = OmegaConf.merge(cfg, OmegaConf.from_dotlist([f"{k}={v}" for k, v in overrides.items()]))
        cfg.data_dir, cfg.desc_file, cfg.exp_name = str(DATA), str(desc_file), "exp"
        cfg.log_dir, cfg.workspace_dir = str(LOGS), str(AGENT / "workspaces")
        cfg = prep_cfg(cfg)
    except OmegaConfBaseException as e:
        raise UsageError(f"AIDE config: {str(e).splitlines()[0]}") from None
    cfg.log_dir = LOGS  # flat, as the reference's symlink LOGS_DIR <- logs/exp makes it
    return cfg


def check_review_model(model: str) -> None:
    """aideml 0.2.0 reviews each run through OpenAI function calling, which it only asks of the
    models it knows; with any other model its review crashes mid-run, so refuse at the start."""
    # aideml is in the agent's environment layer; import it only when the agent runs
    from aide.backend import backend_openai

    known = backend_openai.SUPPORTED_FUNCTION_CALL_MODELS
    if model not in known and "claude-" not in model:  # aideml sends claude-* to Anthropic
        raise UsageError(f"agent.feedback.model={model}: aideml reviews with function calling only "
                         f"for {', '.join(sorted(known))} (a local server can serve its model "
                         "under one of these names)")


def setup_llm_clients(tokens_path: Path, prices: tuple[float, float]) -> None:
    """Create aideml's API clients now, while their keys are in the environment (the OpenAI one
    with a hook logging each call's tokens to tokens.jsonl), then drop the keys from the
    environment, which the code AIDE runs inherits. (aideml 0.2.0's private names: pinned.)"""
    # aideml is in the agent's environment layer; import it only when the agent runs
    import openai
    from aide.backend import backend_anthropic, backend_openai

    def log_usage(response) -> None:
        if not response.request.url.path.endswith("/chat/completions"):
            return
        response.read()
        try:
            body = response.json()
            usage = body.get("usage") or {}
            p, c = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
        except (ValueError, TypeError, AttributeError):
            return
        record = {"time": time.time(), "model": body.get("model"), "prompt_tokens": p,
                  "completion_tokens": c, "cost_usd": (p * prices[0] + c * prices[1]) / 1e6}
        with tokens_path.open("a") as f:
            f.write(json.dumps(record) + "\n")

    if os.environ.get("OPENAI_API_KEY"):
        backend_openai._setup_openai_client()  # reads the key and OPENAI_BASE_URL
        backend_openai._client = backend_openai._client.with_options(
            http_client=openai.DefaultHttpxClient(event_hooks={"response": [log_usage]}))
        del os.environ["OPENAI_API_KEY"]
    if os.environ.get("ANTHROPIC_API_KEY"):
        backend_anthropic._setup_anthropic_client()
        del os.environ["ANTHROPIC_API_KEY"]


def make_agent_class():
    # aideml is in the agent's environment layer; import it only when the agent runs
    from aide.agent import Agent

    class TimedAgent(Agent):
        """AIDE's agent, told the time and steps left in each prompt (as the reference's fork)."""

        deadline: float = 0.0

        @property
        def _prompt_impl_guideline(self):
            prompt = super()._prompt_impl_guideline
            prompt["Implementation guideline"][:0] = [
                f"Time left for the whole task: {format_duration(self.deadline - time.monotonic())}.",
                f"Steps left: {self.acfg.steps - len(self.journal)}.",
            ]
            return prompt

    return TimedAgent


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def export_best(node, submission: Path) -> None:
    """The best node's submission and code, as regular files (written then renamed: a run stopped
    mid-copy still leaves the previous best whole)."""
    for src_text, dest in ((None, SUBMISSION / "submission.csv"), (node.code, CODE / "solution.py"),
                           (str(node.id), CODE / "node_id.txt")):
        tmp = dest.with_name(f".{dest.name}.tmp")
        if src_text is None:
            shutil.copyfile(submission, tmp)
        else:
            tmp.write_text(src_text)
        os.replace(tmp, dest)


def setup_logging() -> None:
    fmt = logging.Formatter("[%(asctime)s] %(levelname)s: %(message)s")
    handlers = [logging.FileHandler(LOGS / "aide.log"), logging.StreamHandler(sys.stdout)]
    for handler in handlers:
        handler.setFormatter(fmt)
    log.handlers, log.propagate = handlers, False
    logging.root.handlers = handlers[1:]  # plain lines, not aideml's rich panels
    log.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def run(argv: list[str]) -> int:
    opts = parse_args(argv)
    if opts.get("base_url"):
        os.environ["OPENAI_BASE_URL"] = opts["base_url"]
    try:
        time_limit = float(opts.get("agent.time_limit")
                           or os.environ.get("MLEBENCH_TIME_LIMIT_SECS", 86400))
        prices = (float(opts.get("price_in_per_mtok", 0)), float(opts.get("price_out_per_mtok", 0)))
    except ValueError as e:
        raise UsageError(f"not a number: {e}") from None
    # Stop a little before the harness does, so the last step's results are saved.
    deadline = START + time_limit - min(60.0, 0.02 * time_limit)

    # aideml is in the agent's environment layer; import it only when the agent runs
    from aide.interpreter import Interpreter
    from aide.journal import Journal
    from aide.utils.config import load_task_desc, prep_agent_workspace, save_run
    from aide.utils.metric import WorstMetricValue
    from omegaconf import OmegaConf

    aide_opts = {k: v for k, v in opts.items() if k not in LAUNCHER_KEYS}
    desc_file = AGENT / "full_instructions.txt"
    cfg = build_config(aide_opts, desc_file)  # AIDE reads desc_file later, in load_task_desc
    desc_file.write_text(task_text(time_limit, cfg.agent.steps))
    check_review_model(cfg.agent.feedback.model)
    setup_logging()
    setup_llm_clients(LOGS / "tokens.jsonl", prices)
    log.info("AIDE: %s steps, code model %s, feedback model %s, %s per run, %s in all",
             cfg.agent.steps, cfg.agent.code.model, cfg.agent.feedback.model,
             format_duration(cfg.exec.timeout), format_duration(time_limit))

    prep_agent_workspace(cfg)  # ./input: links to the data (copy_data False), archives unpacked
    journal = Journal()
    agent = make_agent_class()(task_desc=load_task_desc(cfg), cfg=cfg, journal=journal)
    agent.deadline = deadline
    interpreter = Interpreter(cfg.workspace_dir, **OmegaConf.to_container(cfg.exec))
    per_run_timeout = cfg.exec.timeout
    submission = cfg.workspace_dir / "working" / "submission.csv"
    try:
        while len(journal) < cfg.agent.steps:
            left = deadline - time.monotonic()
            if left < MIN_STEP_S:
                log.info("Time is up: %s left", format_duration(left))
                break
            cfg.exec.timeout = interpreter.timeout = int(min(per_run_timeout, left))
            remove(submission)  # a node only counts with a submission of its own
            agent.step(exec_callback=interpreter.run)
            node = journal.nodes[-1]
            if not node.is_buggy and not submission.is_file():
                node.is_buggy, node.metric = True, WorstMetricValue()
                node._term_out.append("\nNo submission.csv was written to ./working/.")
            save_run(cfg, journal)
            best = journal.get_best_node()
            if best is node:
                try:
                    export_best(node, submission)
                except OSError as e:  # e.g. the script left a link to a file it cannot read
                    log.warning("Could not keep node %s's submission: %s", node.id, e)
            log.info("Step %d/%d: %s node %s: %s%s", len(journal), cfg.agent.steps, node.stage_name,
                     node.id, "buggy" if node.is_buggy else f"metric {node.metric.value}",
                     " (best so far)" if best is node else "")
    finally:
        interpreter.cleanup_session()
        remove(cfg.workspace_dir / "input")  # links into /home/data: not part of the results
    best = journal.get_best_node()
    log.info("Done after %d steps; best node: %s", len(journal),
             f"{best.id} (metric {best.metric.value})" if best else "none")
    return 0


def main() -> int:
    # The harness stops a run with SIGTERM: unwind, so the interpreter is stopped and logs flushed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return run(sys.argv[1:])
    except UsageError as e:
        print(f"aide: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
