# Jupyter Server configuration of a course leader's own single-user server (loaded with
# --config): their JupyterLab, whose cookies are SameSite like every Cirkel server's; stopped, it
# ends in about a second rather than five (no full garbage collection at exit, see
# grading.quick_exit).
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.hub.cookies import server_cookies  # noqa: E402
from grading.quick_exit import install as _quick_exit  # noqa: E402

server_cookies(c)
_quick_exit()
