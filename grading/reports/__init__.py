"""Completion and what is made of it: the report, the dashboard's figures, exports and printed material."""
