import pytest

from ._checks import check_digests, check_grades, check_hand_checked, check_invalid, check_split

CID = "text-normalization-challenge-english-language"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s (zips by
# member names and contents; their timestamps vary).
EXPECTED = {
    "private/answers.csv": "bd02d38d97392384cd335aa83ee6e235",
    "private/sample_submission.csv": "6689aacb6528233df976f468d9b8a888",
    "public/en_sample_submission_2.csv.zip": "51d309cb25b83bf64ae9e5f862d14a31",
    "public/en_test_2.csv.zip": "2427b0c6e9a054b320f5734fcbe5e143",
    "public/en_train.csv.zip": "32d35476052c88a602d4c609f8873e59",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    check_split(comp, "en")


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    check_digests(comp, EXPECTED)


def test_grades(comp, tmp_path):
    check_grades(comp, tmp_path)


def test_hand_checked_accuracy():
    check_hand_checked(CID)


def test_invalid(comp, tmp_path):
    check_invalid(comp, tmp_path)
