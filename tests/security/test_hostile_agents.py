"""The hostile-agent suite: each test is an attack an agent ran from inside the real bubblewrap
sandbox, and what the harness must do about it. Each of these broke the harness before the intake
(`mlebench.intake`), the isolated grader (`mlebench.grading.isolated`) and the workspace
filesystem (`mlebench.runtime.workspace`) existed; see SECURITY.md."""

from __future__ import annotations

import json
import time

import pytest

from mlebench.cli import main
from tests._sandbox import requires_sandbox

pytestmark = requires_sandbox

# Finds the host folder behind /home/data in the mount table, as an attacker would.
FIND_HOST_DATA = '''
def host_data_dir():
    for line in open("/proc/self/mountinfo"):
        fields = line.split()
        if fields[4] == "/home/data":
            return fields[3]
'''


def test_symlinked_submission_to_the_private_answers_is_refused(hostile_run, registry):
    """Hole 1: submission.csv -> <host path of /home/data>/../private/test.csv. The host grader
    must never follow it: invalid, no score, flagged, and verify shows it was never graded."""
    answers = registry.get_competition("practice-tabular-classification").answers
    run = hostile_run(FIND_HOST_DATA + f'''
import os
target = (host_data_dir() or "/nonexistent") + "/../private/test.csv"
os.symlink(target, "/home/submission/submission.csv")
os.symlink("{answers}", "/home/submission/answers.csv")
''')
    assert run.report["valid_submission"] is False and run.report["score"] is None
    assert run.report["gold_medal"] is None and not run.report["any_medal"]
    assert "symbolic link" in run.report["invalid_reason"]
    assert run.report["submission_intake"]["status"] == "refused"
    assert {r["path"]: r["kind"] for r in run.intake["refused"]} == {
        "submission/submission.csv": "symlink", "submission/answers.csv": "symlink"}
    assert not (run.dir / "submission" / "submission.csv").exists()
    # integrity check: flagged, not clean.
    assert main(["integrity", "check", str(run.dir.parent)]) == 1
    findings = json.loads((run.dir / "integrity_findings.json").read_text())
    assert findings["summary"]["rules"]["sandbox-escape"] == "violation"


def test_symlinked_submission_cannot_be_graded_through_the_cli_either(tmp_path, registry,
                                                                      prepare_synthetic):
    """The same link handed to `mlebench grade` (a harness collecting submissions itself)."""
    from mlebench.data import prepare_competition

    comp = registry.get_competition("practice-tabular-classification")
    prepare_competition(comp, force=True)
    link = tmp_path / "submission.csv"
    link.symlink_to(comp.answers)
    jsonl = tmp_path / "subs.jsonl"
    jsonl.write_text(json.dumps({"competition_id": comp.id, "submission_path": str(link)}) + "\n")
    main(["grade", "--submission", str(jsonl), "--output-dir", str(tmp_path / "out"),
          "--data-dir", str(registry.get_data_dir())])
    report = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    (graded,) = report["competition_reports"]
    assert graded["score"] is None and "symbolic link" in graded["invalid_reason"]


@pytest.mark.parametrize("make", [
    pytest.param("os.mkfifo(path)", id="fifo"),
    pytest.param("os.link('/home/data/sample_submission.csv', path)", id="hard-link-to-data"),
    pytest.param("os.makedirs(path)", id="folder"),
])
def test_special_submission_files_are_refused_without_hanging(hostile_run, make):
    """A FIFO would block the grader's open() forever; a hard link could name a file outside the
    run (across the read-only data mount the kernel refuses it: EXDEV); a folder is no file."""
    started = time.monotonic()
    run = hostile_run(f'''
import os
path = "/home/submission/submission.csv"
try:
    {make}
    print("made it")
except OSError as e:
    print("refused by the kernel:", e.errno)
''')
    assert time.monotonic() - started < 60
    assert run.report["valid_submission"] is False and run.report["score"] is None
    assert run.report["submission_intake"]["status"] in ("refused", "missing")


def test_a_symlinked_parent_folder_is_never_followed(hostile_run):
    """logs/etc -> /etc and code/x -> / : walking the run's folders never enters them."""
    run = hostile_run('''
import os, shutil
os.symlink("/etc", "/home/logs/etc")
os.symlink("/", "/home/code/root")
os.makedirs("/home/code/real")
open("/home/code/real/train.py", "w").write("print('hi')\\n")
shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
''')
    assert run.report["valid_submission"] is True
    refused = {r["path"]: r for r in run.intake["refused"]}
    assert refused["logs/etc"]["target"] == "/etc" and refused["code/root"]["target"] == "/"
    kept = {t["path"] for t in run.intake["taken"]}
    assert "code/real/train.py" in kept and not any(p.startswith("code/root/") for p in kept)
    assert not (run.dir / "logs" / "etc").exists() and not (run.dir / "code" / "root").exists()


def test_host_files_never_leak_through_links_in_logs_and_code(hostile_run, tmp_path):
    """Hole 3: logs/notes.log -> a root-only host file. Neither the judge's prompt, the viewer,
    the bundle nor the plagiarism check may read it."""
    secret = tmp_path / "host-secret.txt"
    secret.write_text("HOST-SECRET-CONTENT\n")
    secret.chmod(0o600)
    run = hostile_run(f'''
import os, shutil
os.symlink("{secret}", "/home/logs/notes.log")
os.symlink("{secret}", "/home/code/solution.py")
shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
''')
    group = run.dir.parent
    # The run folder holds no link: nothing downstream can follow one.
    assert not any(p.is_symlink() for p in run.dir.rglob("*"))
    from mlebench.integrity.judge import collect_material
    from mlebench.integrity.plagiarism import code_files

    material, _ = collect_material(run.dir)
    assert "HOST-SECRET" not in material
    assert code_files(run.dir) == []
    # Even a link planted in the run folder afterwards is not followed by the readers.
    (run.dir / "logs" / "planted.log").symlink_to(secret)
    (run.dir / "code" / "planted.py").symlink_to(secret)
    material, _ = collect_material(run.dir)
    assert "HOST-SECRET" not in material and code_files(run.dir) == []
    from mlebench.reporting.view import serve_in_thread

    server, url = serve_in_thread(group)
    try:
        import urllib.error
        import urllib.request

        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url + f"{run.dir.name}/logs/planted.log", timeout=10)
        assert err.value.code == 403 and b"HOST-SECRET" not in err.value.read()
    finally:
        server.shutdown()
    from mlebench.bundles.bundle import collect_files

    files, skipped = collect_files(group, b"not-a-key-0123456789")
    assert not any("planted" in p for p in files)
    assert {s["path"] for s in skipped} >= {f"{run.dir.name}/logs/planted.log"}


def test_a_sparse_terabyte_token_log_neither_crashes_nor_stalls_the_harness(hostile_run):
    """Hole 4: logs/tokens.jsonl truncated to 1 TiB. Both seeds finish and are graded."""
    run = hostile_run('''
import shutil
shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
with open("/home/logs/tokens.jsonl", "w") as f:
    f.write('{"prompt_tokens": 5}\\n')
    f.truncate(1 << 40)
''', seeds=2)
    for seed in (0, 1):
        rd = run.dir.parent / f"{run.dir.name.rsplit('_seed', 1)[0]}_seed{seed}"
        meta = json.loads((rd / "metadata.json").read_text())
        assert meta["status"] == "completed"
        assert json.loads((rd / "grading_report.json").read_text())["valid_submission"] is True
        refused = {r["path"]: r for r in json.loads((rd / "intake.json").read_text())["refused"]}
        assert refused["logs/tokens.jsonl"]["kind"] == "oversize"
        assert (rd / "logs" / "tokens.jsonl").exists() is False


@pytest.mark.parametrize("body, reason", [
    pytest.param("b'id,' + b','.join(b'c%d' % i for i in range(1_000_000)) + b'\\n'",
                 "header line", id="million-column-header"),
    pytest.param("b'id,' + b','.join(b'c' for i in range(2000)) + b'\\n1,' + b'0,' * 1999 + b'0\\n'",
                 "2,001 columns", id="too-many-short-columns"),
    pytest.param("b'x' * 10_000_000", "header line", id="10MB-single-line"),
    pytest.param("open('/home/data/sample_submission.csv','rb').read() + b'1,\\x00\\x00\\n'",
                 "NUL", id="nul-bytes"),
    pytest.param("zip_bomb()", "zip", id="zip-bomb-named-csv"),
    pytest.param("gzip.compress(open('/home/data/sample_submission.csv','rb').read())",
                 "gzip", id="gzip-named-csv"),
])
def test_absurd_submissions_are_refused_before_parsing(hostile_run, body, reason):
    started = time.monotonic()
    run = hostile_run(f'''
import gzip, io, zipfile
def zip_bomb():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("submission.csv", b"0" * (200 << 20))
    return buf.getvalue()
open("/home/submission/submission.csv", "wb").write({body})
''')
    assert time.monotonic() - started < 60
    assert run.report["valid_submission"] is False and reason in run.report["invalid_reason"]
    assert len(run.report["invalid_reason"]) < 400


def test_a_hostile_csv_header_posted_to_validation_cannot_stall_the_time_limit(hostile_run):
    """Hole 2: a 150,000-column header POSTed to the validation endpoint under a 20 s limit.
    The answer comes at once (refused before parsing, in a worker process), and the run still
    ends at its limit plus the grace period, with the agent's processes gone."""
    run = hostile_run('''
import time, urllib.request, uuid
header = b",".join(b"c%d" % i for i in range(150_000)) + b"\\n"
boundary = uuid.uuid4().hex
body = (f"--{boundary}\\r\\nContent-Disposition: form-data; name=\\"file\\"; "
        f"filename=\\"submission.csv\\"\\r\\n\\r\\n").encode() + header + f"\\r\\n--{boundary}--\\r\\n".encode()
t = time.monotonic()
req = urllib.request.Request("http://localhost:5000/validate", data=body,
                             headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
print(urllib.request.urlopen(req, timeout=600).read().decode(), round(time.monotonic() - t, 1), flush=True)
while True:
    time.sleep(1)
''', "--time-limit", "20s")
    limits = run.meta["limits"]
    assert run.meta["status"] == "timed-out"
    assert run.meta["duration_s"] < limits["time_limit_s"] + limits["grace_period_s"] + 10
    (call,) = [json.loads(x) for x in (run.dir / "validation_calls.jsonl").read_text().splitlines()]
    assert call["valid"] is False and "header line is 1,088,889 bytes" in call["result"]
    answer, seconds = run.stdout.strip().rsplit(" ", 1)
    assert "invalid" in answer and float(seconds) < 10


def test_disk_limit_holds_within_ten_percent(hostile_run):
    """Hole 8: `--disk 100M` let 320 MB be written before the kill. On the workspace's own
    filesystem a write past the limit fails; nothing over 110 MB is ever written."""
    run = hostile_run('''
import os
written = 0
try:
    with open("/home/logs/big.bin", "wb") as f:
        for _ in range(320):
            f.write(os.urandom(1 << 20))
            f.flush()
            written += 1 << 20
except OSError as e:
    print("stopped:", e.errno, written, flush=True)
''', "--disk", "100M", expect_exit=None)
    if run.intake.get("workspace") != "ext4-image":
        pytest.skip("no filesystem of its own here (needs root and loop devices): "
                    + str(run.meta["enforcement"].get("disk")))
    big = run.dir / "logs" / "big.bin"
    size = big.stat().st_size if big.exists() else 0
    assert size <= 110 * 2**20
    assert run.meta["status"] in ("killed-for-disk", "completed")
    assert run.meta["enforcement"]["disk"].startswith("writable folders and output logs on an ext4")
