#!/usr/bin/env bash
# The speed issue's many-core check as one prepared run (at most 9.2 minutes, under the
# 10-minute limit of one device command; 2 min 44 s on the 2-core development machine):
#   1. `rbmphys bench --quick --json` (processor, ISA, thread counts, every ratio to its GEMM floor);
#   2. benchmarks/bench_parallel_designs.py --quick (designs A–D for spreading Gibbs and PCD-1 over the
#      cores, both numba threading layers);
#   3. the bits of sampling and training for 1, 2 and all numba threads (must be one hash).
# Run from the repository root (rbmphys need not be installed: it runs from the checkout, with
# tqdm only needed by training, so the hash step skips the progress bar); results go to
# ${OUT:-device_out}/.
set -uo pipefail
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
out="${OUT:-device_out}"
mkdir -p "$out"
nproc | tee "$out/cores.txt"
timeout 200 python -m rbmphys bench --quick --json "$out/bench.json" 2>&1 | tee "$out/bench.txt"
for layer in workqueue omp; do       # one process per numba threading layer, each time-limited
    NUMBA_THREADING_LAYER=$layer NUMBA_THREADING_LAYER_SET=1 timeout 130 \
        python benchmarks/bench_parallel_designs.py --quick 2>&1 | tee -a "$out/designs.txt"
done
cat > "$out/threads.py" <<'EOF'
import hashlib, numpy as np, rbmphys as rp
m = rp.BernoulliRBM.random(784, 500, weight_scale=0.05, rng=0, dtype=np.float32)
v = rp.gibbs(m, np.zeros((1000, 784), np.float32), n_sweeps=5, rng=1)
t = rp.BernoulliRBM.random(784, 500, weight_scale=0.01, rng=2, dtype=np.float32)
data = (np.random.default_rng(3).random((2000, 784)) < 0.3).astype(np.float32)
rp.train(t, data, rp.PCD(k=1, n_chains=200), epochs=1, batch_size=200, lr=0.01, rng=4,
         monitor={"every": 0}, progress=False)
print(hashlib.sha256(v.tobytes() + t.W.tobytes()).hexdigest())
EOF
for n in 1 2 "$(nproc)"; do
    printf 'numba threads %s: ' "$n" | tee -a "$out/threads.txt"
    NUMBA_NUM_THREADS="$n" timeout 30 python "$out/threads.py" 2>&1 | tail -1 | tee -a "$out/threads.txt"
done
