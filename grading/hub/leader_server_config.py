# Jupyter Server configuration of a course leader's own single-user server (loaded with
# --config): their JupyterLab, whose cookies are SameSite like every Cirkel server's; stopped, it
# ends in about a second rather than five (no full garbage collection at exit, see
# grading.system.quick_exit).
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.hub.cookies import server_cookies  # noqa: E402
from grading.system.quick_exit import install as _quick_exit  # noqa: E402

server_cookies(c)
# their JupyterLab asks no other host (no news feed, no update check, no PyPI extension manager)
from grading.servers.lab_offline import stay_home  # noqa: E402

stay_home(c)
# Cirkel's Content-Security-Policy, and no MathJax from a CDN for Voilà (installed here too)
from grading.servers.csp import apply_server  # noqa: E402

apply_server(c, lab=True)
_quick_exit()
# its kernels listen below the ephemeral range, where no outgoing connection takes their ports
from grading.system.kernel_ports import use_ports_below_the_ephemeral_range  # noqa: E402

use_ports_below_the_ephemeral_range()
