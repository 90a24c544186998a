"""The mutation harness's claim map (``benchmarks/mutation/claim_map.json``) covers the ledger.

For each mutant the killer runs only the quick claims that the map says call the mutated module
(``benchmarks/mutation/kill.py``).  A claim added after the map was traced is in no killer, so a
bug only it would catch survives every mutation round unseen — 23 claims were missing once.
Adding a claim of Chapters 3-9 means re-tracing (about a minute of the quick ledger):

    python benchmarks/mutation/trace_map.py --chapters 3 4 5 6 7 8 9 \
        --json benchmarks/mutation/claim_map.json --merge
"""

import json
from pathlib import Path

from rbmphys.verify import load_all, registry

MAP = Path(__file__).resolve().parents[1] / "benchmarks" / "mutation" / "claim_map.json"


def test_every_quick_claim_of_the_mutated_chapters_is_traced():
    load_all()
    quick = {i for i, c in registry.items() if 3 <= c.chapter <= 9 and not c.slow}
    traced = set(json.loads(MAP.read_text())["claims"])
    missing, gone = sorted(quick - traced), sorted(traced - set(registry))
    assert not missing, f"claims not in claim_map.json (re-trace, see this file): {missing}"
    assert not gone, f"claim_map.json names claims that no longer exist: {gone}"
