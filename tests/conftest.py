"""Test-session settings: a private disk cache for chapter experiments (hermetic tests)."""

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_experiment_cache(tmp_path_factory):
    old = os.environ.get("RBMPHYS_CACHE")
    os.environ["RBMPHYS_CACHE"] = str(tmp_path_factory.mktemp("rbmphys_cache"))
    yield
    if old is None:
        os.environ.pop("RBMPHYS_CACHE", None)
    else:
        os.environ["RBMPHYS_CACHE"] = old
