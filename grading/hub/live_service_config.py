# Jupyter Server configuration of a course run's live service (loaded with --config): the
# group quiz, live talarstatistik and shared plan for everyone in the run. It is locked
# down like a learner's server (Voilà only, widget messages only, no code of anyone's own)
# and tells each app's kernel who opened it, because one server serves the whole run.
c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

from grading.hub.cookies import server_cookies  # noqa: E402
from grading.hub.lockdown import lock_down  # noqa: E402
from grading.hub.viewer import tell_kernel_the_viewer  # noqa: E402
from grading.hub.voila_settings import apply  # noqa: E402

lock_down(c)
server_cookies(c)
apply(c)
c.VoilaConfiguration.prelaunch_hook = tell_kernel_the_viewer
