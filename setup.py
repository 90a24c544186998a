"""Package discovery for setuptools (everything else is in pyproject.toml).

The library's packages are found automatically; the book (chapters/ and exercises/ at the top
of the repository) is mapped into the package as ``rbmphys._book`` so that an installed
``rbmphys run chNN`` finds it.
"""

from setuptools import find_packages, setup

BOOK = {"rbmphys._book.chapters": "chapters", "rbmphys._book.exercises": "exercises",
        "rbmphys._book.exercises.solutions": "exercises/solutions"}

setup(packages=find_packages(include=["rbmphys", "rbmphys.*"]) + list(BOOK), package_dir=BOOK)
