"""Where the repository and the courses under test live; shared by test modules."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSES = REPO / "courses"
COURSE = COURSES / "partiforeningsskola"
#: the strategy document and its commitments, the repository's own copy
SOURCE = COURSES / "kalla"
COMMITMENTS = SOURCE / "commitments.yml"
DOCUMENT = SOURCE / "strategidokumentet.txt"
