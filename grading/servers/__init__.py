"""The Jupyter servers Cirkel starts (``cirkel serve``) and what every one shares: limits, CSP, preheated kernels."""
