"""The exercise widgets a course notebook shows, one module or package per kind."""
