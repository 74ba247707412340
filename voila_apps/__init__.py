"""Cirkel's apps: the Voilà app notebooks and the Python behind the ones that need both sides.

The top layer (docs/architecture.md). ``voila_apps.views`` holds the course leader's views
(completion dashboard, attendance), ``voila_apps.live`` the study circle's live tools (group
quiz, live talarstatistik, shared plan). They read course runs and circles through ``grading``
and draw with ``widgets``' UI kit; neither of those packages imports this one.
"""
