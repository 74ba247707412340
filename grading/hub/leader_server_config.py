# Jupyter Server configuration for a course leader's own single-user server (loaded with --config):
# their JupyterLab as it comes; stopped, it ends in about a second rather than five (no full
# garbage collection at exit, see grading.quick_exit).
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.quick_exit import install as _quick_exit  # noqa: E402

_quick_exit()
