"""A course written as text: read, checked, built into nbgrader notebooks, its versions and teaching."""
