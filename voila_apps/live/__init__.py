"""A study circle's live tools, run in the course run's shared "samverkan" service."""
