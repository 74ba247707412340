# Jupyter Server configuration of `cirkel serve` (loaded with --config; everything else is on its
# command line, see grading.serve.server_command): stopped, it ends in about a second rather than
# five (no full garbage collection at exit, see grading.quick_exit).
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.quick_exit import install as _quick_exit  # noqa: E402

_quick_exit()
