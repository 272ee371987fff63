"""The inspect_ai front end: skipped, saying why, where inspect_ai or bubblewrap is missing."""

import pytest

pytest.importorskip("inspect_ai", reason="inspect_ai is not installed: pip install 'mlebench[inspect]'")

from tests._sandbox import sandbox_available  # noqa: E402

if not sandbox_available():
    pytest.skip("bubblewrap is not installed or cannot run here (apt-get install bubblewrap)",
                allow_module_level=True)

PRACTICE = "practice-tabular-classification"


@pytest.fixture
def box_config(tmp_path, lite_env):
    """A small sandbox in the `lite` environment, its runs under tmp_path."""
    from mlebench.inspect.provider import MLEBenchSandboxConfig

    return MLEBenchSandboxConfig(run_group=str(tmp_path / "group"), env_profile="lite",
                                 memory="2G", disk="256M", time_limit_s=600, grace_period_s=2)
