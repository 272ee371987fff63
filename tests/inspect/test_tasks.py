"""The tasks as inspect sees them, and the one-line errors a user gets at task creation."""

import pytest

from .conftest import PRACTICE, SKIP_REASON

pytest.importorskip("inspect_ai", reason=SKIP_REASON)

from mlebench.errors import MLEBenchError  # noqa: E402


def test_lite_is_the_22_low_competitions_in_our_sandbox_with_our_instructions(lite_env):
    from mlebench.inspect.tasks import lite
    from mlebench.registry import Registry

    task = lite(env_profile="lite", time_limit="2h")
    ids = [s.id for s in task.dataset]
    assert ids == Registry().get_split("lite") and len(ids) == 22
    sample = task.dataset[0]
    assert sample.metadata == {"competition_id": ids[0]}
    assert "/home/submission/submission.csv" in sample.input and "2 hours" in sample.input
    assert task.sandbox.type == "mlebench" and task.sandbox.config.env_profile == "lite"
    assert task.time_limit == 7200
    # The sandbox's own hard limit comes after inspect's, so the scorer finds it still up.
    assert task.sandbox.config.time_limit_s > task.time_limit


def test_competitions_from_a_list_or_a_file(tmp_path, lite_env):
    from mlebench.inspect.tasks import competitions

    task = competitions(competitions=f"{PRACTICE}, practice-digit-images", env_profile="lite")
    assert [s.id for s in task.dataset] == [PRACTICE, "practice-digit-images"]
    ids = tmp_path / "ids.txt"
    ids.write_text(f"# mine\n{PRACTICE}\n")
    assert [s.id for s in competitions(competitions=str(ids), env_profile="lite").dataset] == [
        PRACTICE]


def test_mistakes_are_one_line_errors_at_task_creation(lite_env):
    from mlebench.inspect.tasks import competitions

    with pytest.raises(MLEBenchError, match="spaceship-titanc"):
        competitions(competitions="spaceship-titanc", env_profile="lite")
    with pytest.raises(MLEBenchError, match="No competitions"):
        competitions(competitions=" , ", env_profile="lite")
    with pytest.raises(MLEBenchError, match="no-such-profile"):
        competitions(competitions=PRACTICE, env_profile="no-such-profile")
    with pytest.raises(MLEBenchError, match="duration"):
        competitions(competitions=PRACTICE, env_profile="lite", time_limit="soon")
    from mlebench.runtime.hardware import gpus

    with pytest.raises(MLEBenchError, match="GPU"):
        competitions(competitions=PRACTICE, env_profile="lite", gpus=len(gpus()) + 1)
