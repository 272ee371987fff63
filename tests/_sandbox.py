"""`requires_sandbox`: skip a test (saying how to fix it) where bubblewrap cannot run."""

import pytest


def sandbox_available() -> bool:
    from mlebench.errors import MLEBenchError
    from mlebench.runtime.sandbox import check_available

    try:
        check_available()  # SandboxUnavailable (an MLEBenchError) when bubblewrap cannot run
        return True
    except MLEBenchError:
        return False


requires_sandbox = pytest.mark.skipif(
    not sandbox_available(),
    reason="bubblewrap is not installed or cannot run here (apt-get install bubblewrap)",
)
