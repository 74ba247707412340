"""Release, collect and autograde through nbgrader's own pipeline, in parallel and on submit."""
