# Jupyter Server configuration `cirkel serve` loads (--config) beside its command line: Cirkel's
# Voilà settings, the same as every other server's (grading.servers.voila_settings), with the
# Content-Security-Policy that JupyterLab's pages need too; stopped, it ends in about a second
# rather than five (no full garbage collection at exit, see grading.system.quick_exit).
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.servers.lab_offline import stay_home  # noqa: E402
from grading.servers.voila_settings import apply  # noqa: E402
from grading.system.quick_exit import install as _quick_exit  # noqa: E402

# the template, no sources or tracebacks, safe static files, the statement; the same server serves
# JupyterLab (formgrader, the leader's notebooks): see grading.servers.csp
apply(c, lab=True)
# JupyterLab asks no other host (news feed, update check, PyPI extension manager)
stay_home(c)
_quick_exit()
# its kernels listen below the ephemeral range, where no outgoing connection takes their ports
from grading.system.kernel_ports import use_ports_below_the_ephemeral_range  # noqa: E402

use_ports_below_the_ephemeral_range()
