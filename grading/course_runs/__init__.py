"""A course run on nbgrader: its folder, roster, answer keys, guard and access log."""
