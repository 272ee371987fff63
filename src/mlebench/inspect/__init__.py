"""mlebench from inspect_ai (the optional extra `mlebench[inspect]`).

`inspect eval mlebench/lite --model PROVIDER/MODEL` runs MLE-bench Lite with mlebench's sandbox
(`sandbox="mlebench"`, provider.py) and grading on the host (scorer.py); tasks.py has the tasks,
logs.py reads inspect logs for `mlebench report`. Nothing here is imported by the base package:
inspect_ai is needed only when this subpackage is used. (Named `inspect` inside `mlebench` only:
`import inspect` anywhere still means the standard library.)
"""
