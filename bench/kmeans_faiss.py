"""faiss's side of bench/run-kmeans-bench.sh, and the data both sides read.

usage: kmeans_faiss.py generate OUT N D SEED    # N x D float32 rows (a mixture of 64 Gaussians)
       kmeans_faiss.py fit IN N D FINE K ITER SEED

fit prints a RESULT line: wall seconds of the fine k-means (FINE centroids, ITER Lloyd iterations
over all N rows: no subsampling), of the assignment pass, of the weighted K-means of the fine
centroids; the mean squared distance of a row to its fine centroid; the process's peak RSS.
"""
import resource
import sys
import time

import numpy as np


def generate(out, n, d, seed):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 4, size=(64, d)).astype(np.float32)
    with open(out, "wb") as f:
        for start in range(0, n, 65536):
            m = min(65536, n - start)
            which = rng.integers(0, 64, size=m)
            rows = centres[which] + rng.normal(0, 1, size=(m, d)).astype(np.float32)
            f.write(rows.astype("<f4").tobytes())


def fit(path, n, d, fine, k, iterations, seed):
    import faiss

    x = np.fromfile(path, dtype="<f4", count=n * d).reshape(n, d)
    start = time.perf_counter()
    km = faiss.Kmeans(d, fine, niter=iterations, seed=seed, max_points_per_centroid=n, verbose=False)
    km.train(x)
    fine_seconds = time.perf_counter() - start
    start = time.perf_counter()
    distances, assignment = km.index.search(x, 1)
    assign_seconds = time.perf_counter() - start
    counts = np.bincount(assignment[:, 0], minlength=fine).astype(np.float32)
    start = time.perf_counter()
    coarse = faiss.Kmeans(d, k, niter=25, nredo=10, seed=seed, verbose=False)
    coarse.train(km.centroids, weights=counts)
    coarse_seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT faiss fine {fine_seconds:.1f} s, assignment {assign_seconds:.1f} s,"
          f" coarse {coarse_seconds:.2f} s, total {fine_seconds + assign_seconds + coarse_seconds:.1f} s,"
          f" fine inertia {distances.sum() / n:.4g}, peak RSS {peak_mib:.0f} MiB,"
          f" threads {faiss.omp_get_max_threads()}")


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        fit(sys.argv[2], *(int(a) for a in sys.argv[3:9]))
