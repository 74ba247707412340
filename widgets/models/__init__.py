"""Course content and answers as data: the models of course files and exercise content, the registry of exercise kinds, each kind's rules. No ipywidgets."""
