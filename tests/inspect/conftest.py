"""The inspect_ai front end's tests. Each module skips, saying why, where inspect_ai (the extra
`mlebench[inspect]`) or bubblewrap is missing."""

PRACTICE = "practice-tabular-classification"
SKIP_REASON = "inspect_ai is not installed: pip install 'mlebench[inspect]'"
