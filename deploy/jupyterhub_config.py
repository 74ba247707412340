# JupyterHub configuration for Cirkel on one machine: everything lives in grading.hub.config.
# Cirkel's hub settings (widgets/core/settings.py, `cirkel config` lists them with their help):
#   c.CirkelHubSettings.ip / .port: where people reach the hub (default 127.0.0.1:8000);
#   c.CirkelHubSettings.hub_api_port / .proxy_api_port: internal ports (default port+81 and port+1);
#   c.CirkelHubSettings.hub_dir: the data folder (default <repo>/.cirkel/hub; or $CIRKEL_HUB_DIR);
#   c.CirkelHubSettings.hub_db: the hub's own database, an SQLAlchemy URL such as
#     postgresql+psycopg://hub@db/cirkel_hub (default <data folder>/jupyterhub.sqlite; or $CIRKEL_HUB_DB).
# Set them here, or on the hub's command line (--CirkelHubSettings.port=8000), which wins;
# `cirkel serve --hub` passes the address and the free ports it chose that way.
from grading.hub.config import configure_from_settings

configure_from_settings(get_config())  # noqa: F821  (provided by JupyterHub when it loads this file)
