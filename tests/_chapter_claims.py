"""The one shape of "every quick claim of chapter N passes", shared by the chapter tests."""
import json

from rbmphys.verify import run_claims


def assert_quick_claims_pass(chapter, at_least):
    """Run chapter ``chapter``'s quick claims; at least ``at_least`` must exist (a chapter whose
    claims stopped registering would otherwise pass vacuously) and all must pass."""
    results = run_claims([chapter], quick=True, echo=False)
    assert len(results) >= at_least, f"only {len(results)} claims in chapter {chapter}"
    failed = [r.line() for r in results if not r.passed]
    assert not failed, failed
    for r in results:       # what `verify --json` and the book's ledger page write
        json.dumps(r.to_dict(), allow_nan=True)
    return results
