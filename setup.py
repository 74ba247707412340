"""The packages of the wheel; everything else is in pyproject.toml.

Here only because pyproject.toml cannot say both "find the code's packages" and "ship
``courses/`` as the package ``cirkel_courses``": the course content is runtime data of
``cirkel serve --demo`` and friends (``widgets.core.resources``), kept in ``courses/`` in git.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["widgets*", "grading*", "voila_apps*"]), "cirkel_courses"],
    package_dir={"cirkel_courses": "courses"},
)
