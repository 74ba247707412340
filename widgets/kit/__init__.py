"""The UI kit every exercise draws with: ipywidgets controls, messages, charts, downloads, the exercise base."""
