"""The foundations every other part of widgets stands on: errors, the string table, formats, where files are. No ipywidgets."""
