"""A solver for the `inspect eval --solver` test: no model, one command in the sandbox."""

from inspect_ai.solver import Generate, Solver, TaskState, solver
from inspect_ai.util import sandbox


@solver
def copy_sample_submission() -> Solver:
    async def solve(state: TaskState, generate: Generate) -> TaskState:
        result = await sandbox().exec(
            ["sh", "-c", "cp /home/data/sample_submission.csv /home/submission/submission.csv"])
        assert result.success, result.stderr
        return state

    return solve
