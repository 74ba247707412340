# Jupyter Server configuration of a course run's live service (loaded with --config): the
# group quiz, live talarstatistik and shared plan for everyone in the run. It is locked
# down like a learner's server (Voilà only, widget messages only, no code of anyone's own)
# and tells each app's kernel who opened it, because one server serves the whole run.
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.hub.cookies import server_cookies  # noqa: E402
from grading.hub.lockdown import lock_down  # noqa: E402
from grading.hub.viewer import tell_kernel_the_viewer  # noqa: E402
from grading.servers.kernel_cap import count_per_person  # noqa: E402
from grading.servers.kernel_limits import PAGE_KERNELS_PER_LEADER, PAGE_KERNELS_PER_PERSON, cull_idle_kernels  # noqa: E402
from grading.servers.voila_settings import apply  # noqa: E402

lock_down(c)
server_cookies(c)
apply(c)
# the whole run shares this server: each person's pages are counted on their own
c.ServerApp.kernel_manager_class = "grading.servers.kernel_cap.CappedKernelManager"
c.PageKernelCap.max_page_kernels = PAGE_KERNELS_PER_PERSON
# the run's course leaders (the hub names them, grading.hub.runs.live_services) run a meeting's big
# screen and controls from here, so they may have more pages open
from widgets.core.settings import cirkel_settings  # noqa: E402

c.PageKernelCap.leaders = cirkel_settings(c).run_leaders
c.PageKernelCap.max_leader_page_kernels = PAGE_KERNELS_PER_LEADER
c.VoilaConfiguration.prelaunch_hook = count_per_person(tell_kernel_the_viewer)
cull_idle_kernels(c)
# a person erased (cirkel person erase) or logged out is refused a second later, not up to
# five minutes later: the hub's word on a session's token is kept only that long
from grading.hub.runs import LIVE_AUTH_CACHE_SECONDS  # noqa: E402

c.HubOAuth.cache_max_age = LIVE_AUTH_CACHE_SECONDS
# stopped, it ends in about a second rather than five (no full garbage collection at exit)
from grading.system.quick_exit import install as _quick_exit  # noqa: E402

_quick_exit()
# its kernels listen below the ephemeral range, where no outgoing connection takes their ports
from grading.system.kernel_ports import use_ports_below_the_ephemeral_range  # noqa: E402

use_ports_below_the_ephemeral_range()
