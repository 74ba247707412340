# JupyterHub configuration for Cirkel on one machine: everything lives in grading.hub.config.
# Data folder: $CIRKEL_HUB_DIR (default <repo>/.cirkel/hub); address: $CIRKEL_HUB_IP:$CIRKEL_HUB_PORT;
# internal ports $CIRKEL_HUB_API_PORT and $CIRKEL_PROXY_API_PORT (default port+81 and port+1);
# the hub's own database: $CIRKEL_HUB_DB, an SQLAlchemy URL such as postgresql+psycopg://hub@db/cirkel_hub
# (default <data folder>/jupyterhub.sqlite).
import os

from grading.hub.config import configure

configure(
    get_config(),  # noqa: F821  (provided by JupyterHub when it loads this file)
    ip=os.environ.get("CIRKEL_HUB_IP", "127.0.0.1"),
    port=int(os.environ.get("CIRKEL_HUB_PORT", "8000")),
    # internal ports chosen by `cirkel serve --hub` (free ones when the defaults are taken)
    hub_port=int(os.environ["CIRKEL_HUB_API_PORT"]) if os.environ.get("CIRKEL_HUB_API_PORT") else None,
    proxy_api_port=(int(os.environ["CIRKEL_PROXY_API_PORT"]) if os.environ.get("CIRKEL_PROXY_API_PORT") else None),
    db_url=os.environ.get("CIRKEL_HUB_DB", "").strip() or None,
)
