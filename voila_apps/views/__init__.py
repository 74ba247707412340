"""The course leader's views over a course run: the completion dashboard and attendance."""
