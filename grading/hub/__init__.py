"""JupyterHub for Cirkel: configuration, accounts, and the learner lockdown.

Kept light on purpose: the submodules import JupyterHub or jupyter_server,
which ``cirkel --help`` must never pull in.
"""

__all__: list[str] = []
