"""One person's data, everywhere it lies: export it, erase it, and erase it when kept too long.

Taking a party's course reveals a political opinion (special-category data
under GDPR), so a course leader must be able to give a person everything held
about them, and to erase it. A learner's data lies in:

- the gradebook (nbgrader's ``Student`` row with its submissions, grades, comments);
- the run's ``submitted/``, ``autograded/`` and ``feedback/`` folders;
- the exchange: ``inbound/<id>+<module>+<time>...`` and released feedback
  ``feedback/<hash>.html`` (the hash is made from the submission's secret);
- their workspace (answer files ``svar/*.json``, fetched modules, fetched feedback);
- the study circles (``cirklar.sqlite`` or the run's database: memberships, leading, attendance, group work);
- the circles' live state (``samverkan.sqlite``: group-quiz answers and memberships,
  who opened a session, who wrote a field of the shared plan; see ``widgets.storage.live_db``);
- a roster CSV kept in the run folder, if any;
- the hub: their account in ``konton.sqlite``, their home ``hem/<id>`` and
  JupyterHub's own ``users`` row in ``jupyterhub.sqlite`` (or the hub's PostgreSQL, the ``hub_db`` setting);
- the access log (``atkomstlogg.sqlite`` or the run's database), which names them as the subject
  of views and exports;
- not in the report's cache of readable answer files (``lasbarhet.sqlite``: hashes and yes/no
  only), which an erasure empties all the same.

:func:`erase_person` removes all of it; the access log keeps the fact of the
erasure under a pseudonymous marker (:func:`grading.course_runs.access_log.pseudonym`).
SQLite files are vacuumed afterwards, so no erased row survives in a free page.

The circles, the live state and the accounts are erased through their stores
(SQLAlchemy Core, :mod:`widgets.storage.database`: SQLite or PostgreSQL alike). ``sqlite3``
is used here only for files that are SQLite by nature: JupyterLab's collaboration
state, nbgrader's SQLite gradebook and JupyterHub's ``jupyterhub.sqlite`` (vacuumed).
:func:`prune` erases everyone whose last activity is older than the run's
retention period (``retention_days`` in ``cirkel-run.yml``), once the run has
ended (``ends`` in ``cirkel-run.yml``).

One job per module: ``records`` (what comes back, the one error), ``places`` (where the data
lies), ``sqlite_files`` (rows deleted from the SQLite-by-nature files, vacuumed), ``export``,
``erase`` and ``retention``.
"""

from __future__ import annotations

from grading.personal_data.erase import erase_person
from grading.personal_data.export import export_person
from grading.personal_data.places import require_known, traces
from grading.personal_data.records import Erasure, PersonDataError, PruneCandidate
from grading.personal_data.retention import last_activity, prune, run_end
from grading.personal_data.sqlite_files import delete_hub_user

__all__ = [
    "PersonDataError",
    "Erasure",
    "PruneCandidate",
    "traces",
    "require_known",
    "export_person",
    "erase_person",
    "delete_hub_user",
    "last_activity",
    "run_end",
    "prune",
]
