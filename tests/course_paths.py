"""Where the repository and the course under test live; shared by test modules."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "courses" / "partiforeningsskola"
