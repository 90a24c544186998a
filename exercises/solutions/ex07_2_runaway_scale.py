"""Solution 7.2: σ_W = 4/(√N + √M) ≈ 0.0794, 4/√|N − M| ≈ 0.237, 4/|√N − √M| ≈ 0.709."""

import numpy as np


def solve():
    n, m = 784, 500
    return {"first": 4 / (np.sqrt(n) + np.sqrt(m)), "peak": 4 / np.sqrt(abs(n - m)),
            "all": 4 / abs(np.sqrt(n) - np.sqrt(m))}
