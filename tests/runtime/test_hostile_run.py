"""A hostile agent inside a real run group: it goes after the answers, the validation service,
the harness's logs and another run's folder. Everything is contained, its run ends normally, the
other run is untouched and the harness's records are intact."""

import json
import textwrap

import pytest

from mlebench.cli import main

# Agents run in the `lite` environment (built once per machine).
pytestmark = pytest.mark.usefixtures("lite_env")

CID = "spaceship-titanic"



HOSTILE = textwrap.dedent('''
    import json, os, urllib.request, uuid
    targets = json.load(open("/home/agent/targets.json"))
    results = {}

    def attempt(name, fn):
        try:
            results[name] = ("succeeded", str(fn())[:200])
        except Exception as e:
            results[name] = ("failed", type(e).__name__)

    attempt("read answers", lambda: open(targets["answers"]).read())
    def search():
        found = []
        for root, dirs, files in os.walk("/"):
            dirs[:] = [d for d in dirs if not (root == "/" and d in ("proc", "sys", "dev", "usr"))]
            found += [os.path.join(root, f) for f in files if f in ("test.csv", "answers.csv")]
        return [f for f in found if "private" in f]

    attempt("search the filesystem for answers", search)
    attempt("delete harness stdout log", lambda: os.remove(targets["stdout_log"]))
    attempt("rewrite validation log", lambda: open(targets["validation_log"], "w").write("x"))
    attempt("read other run", lambda: os.listdir(targets["other_run"]))
    attempt("write other run", lambda: open(targets["other_run"] + "/submission/submission.csv", "w").write("x"))

    def post(path, body, ctype):
        req = urllib.request.Request("http://localhost:5000" + path, data=body,
                                     headers={"Content-Type": ctype})
        try:
            return urllib.request.urlopen(req, timeout=10).read().decode()
        except urllib.error.HTTPError as e:
            return f"HTTP {e.code} " + e.read().decode()

    boundary = uuid.uuid4().hex
    forged = (f"--{boundary}\\r\\nContent-Disposition: form-data; name=\\"file\\"; "
              f"filename=\\"../../../../etc/passwd\\"\\r\\n\\r\\n" + open("/home/data/sample_submission.csv").read()
              + f"\\r\\n--{boundary}--\\r\\n").encode()
    responses = {
        "path traversal name": post("/validate", forged, f"multipart/form-data; boundary={boundary}"),
        "no file": post("/validate", b"x=1", "application/x-www-form-urlencoded"),
        "grade endpoint": post("/grade", b"{}", "application/json"),
        "score endpoint": post("/score", b"{}", "application/json"),
    }
    for p in ("/docs", "/openapi.json"):
        try:
            responses[p] = urllib.request.urlopen("http://localhost:5000" + p, timeout=10).read().decode()
        except urllib.error.HTTPError as e:
            responses[p] = f"HTTP {e.code}"
    print(json.dumps({"results": results, "responses": responses}))
    os.makedirs("/home/submission", exist_ok=True)
    open("/home/submission/submission.csv", "w").write(open("/home/data/sample_submission.csv").read())
''')


def test_hostile_agent_is_contained(prepare_synthetic, data_dir, tmp_path, capsys, backend):
    comp = prepare_synthetic(CID)
    group = tmp_path / "group"
    # A finished, honest run first.
    assert main(["run", "--agent", "dummy", "-c", CID, "--time-limit", "60s", "--run-dir",
                 str(group / "honest"), "--data-dir", str(data_dir), *backend]) == 0
    honest = group / "honest" / f"{CID}_seed0"
    honest_before = {p.relative_to(honest): p.read_bytes() for p in honest.rglob("*") if p.is_file()}

    agent_dir = tmp_path / "hostile"
    agent_dir.mkdir()
    (agent_dir / "main.py").write_text(HOSTILE)
    hostile_group = group / "hostile"
    rd = hostile_group / f"{CID}_seed0"
    (agent_dir / "targets.json").write_text(json.dumps({
        "answers": str(comp.answers), "stdout_log": str(rd / "agent.stdout.log"),
        "validation_log": str(rd / "validation_calls.jsonl"), "other_run": str(honest),
    }))
    (agent_dir / "agent.yaml").write_text('name: hostile\ncommand: ["python3", "/home/agent/main.py"]\nfiles: .\nenv_profile: lite\n')
    assert main(["run", "--agent", str(agent_dir / "agent.yaml"), "-c", CID, "--time-limit", "60s",
                 "--run-dir", str(hostile_group), "--data-dir", str(data_dir), *backend]) == 0
    capsys.readouterr()
    out = json.loads((rd / "agent.stdout.log").read_text().strip().splitlines()[-1])
    for name, (outcome, detail) in out["results"].items():
        assert outcome == "failed" or detail in ("", "[]"), f"{name} was not contained: {detail}"
    for name, body in out["responses"].items():
        assert "score" not in body.lower() or "never" in body.lower(), (name, body)
    assert out["responses"]["grade endpoint"].startswith("HTTP 404")
    assert out["responses"]["/docs"].startswith("HTTP 404")
    # Forged requests were answered valid/invalid only, and logged.
    calls = [json.loads(line) for line in (rd / "validation_calls.jsonl").read_text().splitlines()]
    assert len(calls) == 2 and {c["valid"] for c in calls} <= {True, False, None}
    meta = json.loads((rd / "metadata.json").read_text())
    assert meta["status"] == "completed"
    assert meta["sandbox"] == ("docker" if backend else "bubblewrap")
    assert json.loads((rd / "grading_report.json").read_text())["valid_submission"]
    # The other run is exactly as it was.
    honest_after = {p.relative_to(honest): p.read_bytes() for p in honest.rglob("*") if p.is_file()}
    assert honest_after == honest_before
