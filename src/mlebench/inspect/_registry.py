"""What inspect_ai loads through the `inspect_ai` entry point: the sandbox provider and the tasks
register themselves on import."""

from mlebench.inspect.provider import MLEBenchSandbox  # noqa: F401
from mlebench.inspect.scorer import mlebench_scorer  # noqa: F401
from mlebench.inspect.tasks import (  # noqa: F401
    all_competitions,
    competitions,
    dev,
    high,
    lite,
    low,
    medium,
    practice,
    systemcard,
)
