"""The `mlebench` sandbox provider under inspect's own conformance checks (inspect_ai ships them
in `inspect_ai.util._sandbox.self_check`), plus what is ours: one user, the validation endpoint,
no host paths, and an end that leaves nothing running."""

import json

import pytest

from .conftest import PRACTICE, SKIP_REASON

pytest.importorskip("inspect_ai", reason=SKIP_REASON)

from anyio.from_thread import start_blocking_portal  # noqa: E402
from inspect_ai.util._sandbox import self_check  # noqa: E402

from tests._sandbox import requires_sandbox  # noqa: E402

pytestmark = requires_sandbox


# Needs root and adduser inside: the mlebench sandbox has one unprivileged user and no root.
EXPECTED_FAILURES = {"test_exec_as_user"}
CHECKS = sorted(self_check.__all__)


@pytest.fixture(scope="module")
def portal():
    with start_blocking_portal() as p:
        yield p


@pytest.fixture(scope="module")
def box(portal, tmp_path_factory, lite_env):
    """One sandbox for every check (as inspect's own runner shares one per module)."""
    from mlebench.inspect.config import MLEBenchSandboxConfig
    from mlebench.inspect.provider import MLEBenchSandbox

    base = tmp_path_factory.mktemp("provider")
    cfg = MLEBenchSandboxConfig(run_group=str(base / "group"), data_dir=str(base / "data"),
                                env_profile="lite", memory="2G", disk="512M",
                                time_limit_s=900, grace_period_s=2)
    envs = portal.call(MLEBenchSandbox.sample_init, "checks", cfg, {"competition_id": PRACTICE})
    yield envs["default"]
    portal.call(MLEBenchSandbox.sample_cleanup, "checks", cfg, envs, False)


@pytest.mark.parametrize("check", CHECKS)
def test_inspect_conformance(portal, box, check):
    if check in EXPECTED_FAILURES:
        from inspect_ai.util._sandbox.environment import SandboxUserUnsupportedError

        with pytest.raises(SandboxUserUnsupportedError):  # refused, never run as another user
            portal.call(getattr(self_check, check), box)
        return
    portal.call(getattr(self_check, check), box)


def test_only_the_sandbox_user_and_no_answers(portal, box):
    from inspect_ai.util._sandbox.environment import SandboxUserUnsupportedError

    async def go():
        with pytest.raises(SandboxUserUnsupportedError):
            await box.exec(["id"], user="root")
        who = await box.exec(["id", "-u"], user="agent")
        listing = await box.exec(["sh", "-c", "ls /home /home/data; cat /proc/self/mountinfo"])
        return who, listing

    who, listing = portal.call(go)
    assert who.stdout.strip() == "61000"
    assert "sample_submission.csv" in listing.stdout and "description.md" in listing.stdout
    private = str(box.session.competition.private_dir)
    assert "private" not in listing.stdout and private not in listing.stdout


def test_validation_endpoint_answers_from_exec(portal, box):
    script = ("import urllib.request, uuid\n"
              "b = uuid.uuid4().hex\n"
              "body = (f'--{b}\\r\\nContent-Disposition: form-data; name=\"file\"; "
              "filename=\"s.csv\"\\r\\n\\r\\n').encode() + open('/home/data/sample_submission.csv',"
              " 'rb').read() + f'\\r\\n--{b}--\\r\\n'.encode()\n"
              "r = urllib.request.Request('http://localhost:5000/validate', data=body, headers="
              "{'Content-Type': f'multipart/form-data; boundary={b}'})\n"
              "print(urllib.request.urlopen(r, timeout=60).read().decode())\n")
    result = portal.call(lambda: box.exec(["python3", "-c", script], timeout=120))
    assert result.success, result.stderr
    assert json.loads(result.stdout)["valid"] is True


def test_exec_output_keeps_the_last_bytes_within_the_limit(portal, box):
    from inspect_ai.util._sandbox.limits import override_max_exec_output_size

    async def go():
        with override_max_exec_output_size(1000):
            return await box.exec(["python3", "-c", "print('x' * 5000 + 'END')"])

    result = portal.call(go)
    assert len(result.stdout.encode()) <= 1000 and result.stdout.endswith("END\n")
