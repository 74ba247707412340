# Jupyter Server configuration `cirkel serve` loads (--config) beside its command line: what a
# command line cannot carry, Cirkel's Content-Security-Policy (a dict of headers) on every page;
# stopped, it ends in about a second rather than five (no full garbage collection at exit, see
# grading.system.quick_exit).
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.servers.csp import apply_server  # noqa: E402
from grading.servers.lab_offline import stay_home  # noqa: E402
from grading.servers.statement_server import enable as _statement  # noqa: E402
from grading.system.quick_exit import install as _quick_exit  # noqa: E402

# the same server serves JupyterLab (formgrader, the leader's notebooks): see grading.servers.csp
apply_server(c, lab=True)
# the accessibility statement that every app's footer links to
_statement(c)
# JupyterLab asks no other host (news feed, update check, PyPI extension manager)
stay_home(c)
_quick_exit()
# its kernels listen below the ephemeral range, where no outgoing connection takes their ports
from grading.system.kernel_ports import use_ports_below_the_ephemeral_range  # noqa: E402

use_ports_below_the_ephemeral_range()
