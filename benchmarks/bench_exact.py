"""Exact ln Z at V=16, H=1000: numba Gray-code kernel vs NumPy chunked (also in `rbmphys bench`)."""

from rbmphys._bench import bench_log_partition

if __name__ == "__main__":
    print(bench_log_partition())
