# Jupyter Server configuration for a learner's single-user server (loaded with --config).
# Learners get Voilà and nothing else: no JupyterLab, no classic tree, no terminal,
# no formgrader, no kernels of their own, and a kernel websocket that only carries widgets.
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.hub.cookies import server_cookies  # noqa: E402
from grading.hub.lockdown import lock_down  # noqa: E402
from grading.servers.kernel_limits import PAGE_KERNELS_PER_PERSON, cull_idle_kernels  # noqa: E402
from grading.servers.voila_settings import apply, preheat  # noqa: E402

lock_down(c)
server_cookies(c)
# Cirkel's Swedish Voilà template and its string filter, as `cirkel serve` renders the apps
apply(c)
# "Mina moduler", the landing page, preheated once at the spawn (grading.servers.voila_settings.LEARNER_PREHEAT)
preheat(c)
# a page's kernel that no browser holds is shut when idle; at most a few pages at once
cull_idle_kernels(c)
c.PageKernelCap.max_page_kernels = PAGE_KERNELS_PER_PERSON
# forked by the hub's server zygote: its page kernels are forked there too (imports shared, not repeated)
from grading.servers.forked_kernels import fork_kernels_from_the_zygote  # noqa: E402

fork_kernels_from_the_zygote()
# stopped, it ends in about a second rather than five (no full garbage collection at exit)
from grading.system.quick_exit import install as _quick_exit  # noqa: E402

_quick_exit()
# its kernels listen below the ephemeral range, where no outgoing connection takes their ports
from grading.system.kernel_ports import use_ports_below_the_ephemeral_range  # noqa: E402

use_ports_below_the_ephemeral_range()
