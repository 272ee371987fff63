import pytest

from ._checks import check_digests, check_grades, check_hand_checked, check_invalid, check_split

CID = "text-normalization-challenge-russian-language"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s (zips by
# member names and contents; their timestamps vary).
EXPECTED = {
    "private/answers.csv": "815518cc7d36bd90f6b3897735c9d209",
    "private/sample_submission.csv": "275ae98b60aa3a57b12a80fff245e88c",
    "public/ru_sample_submission_2.csv.zip": "e351e39f05471746ae9b6520e8385ab2",
    "public/ru_test_2.csv.zip": "a9c11d0d782176ec745cfb94d1fff88a",
    "public/ru_train.csv.zip": "e2832cdfd88a1aa9b6df9aa0391acb25",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    check_split(comp, "ru")


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    check_digests(comp, EXPECTED)


def test_grades(comp, tmp_path):
    check_grades(comp, tmp_path)


def test_hand_checked_accuracy():
    check_hand_checked(CID)


def test_invalid(comp, tmp_path):
    check_invalid(comp, tmp_path)
