"""scikit-learn's HistGradientBoostingClassifier on a matrix Label Lab wrote (bench/gbm-sklearn.ts).

Usage: gbm-sklearn.py DIR. DIR holds meta.json (rows, columns, params, repeats), x.f32 (rows x
columns, row-major float32, NaN = missing), y.f32, w.f32 (sample weights), train.i32 and
score.i32 (row indices). Fits on the train rows with early stopping off (both sides run the same
number of iterations), `repeats` times, and writes result.json (fit seconds per repeat, trees,
threads) and proba.f64 (P(positive) of the score rows).
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier


def main(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    rows, columns, p = meta["rows"], meta["columns"], meta["params"]
    x = np.fromfile(os.path.join(folder, "x.f32"), dtype=np.float32).reshape(rows, columns)
    y = np.fromfile(os.path.join(folder, "y.f32"), dtype=np.float32)
    w = np.fromfile(os.path.join(folder, "w.f32"), dtype=np.float32)
    train = np.fromfile(os.path.join(folder, "train.i32"), dtype=np.int32)
    score = np.fromfile(os.path.join(folder, "score.i32"), dtype=np.int32)
    xt, yt, wt = x[train], y[train].astype(np.int64), w[train]
    seconds = []
    model = None
    for _ in range(max(1, int(meta.get("repeats", 1)))):
        model = HistGradientBoostingClassifier(
            learning_rate=p["learningRate"],
            max_iter=p["maxIter"],
            max_leaf_nodes=p["maxLeafNodes"],
            max_depth=p.get("maxDepth"),
            min_samples_leaf=p["minSamplesLeaf"],
            l2_regularization=p["l2"],
            max_bins=p["maxBins"],
            early_stopping=False,
            random_state=0,
        )
        t0 = time.perf_counter()
        model.fit(xt, yt, sample_weight=wt)
        seconds.append(time.perf_counter() - t0)
    proba = model.predict_proba(x[score])[:, 1].astype(np.float64)
    proba.tofile(os.path.join(folder, "proba.f64"))
    try:
        from threadpoolctl import threadpool_info

        threads = max((i.get("num_threads", 1) for i in threadpool_info() if i.get("user_api") == "openmp"), default=1)
    except Exception:  # threadpoolctl is optional: the count is only reported
        threads = None
    with open(os.path.join(folder, "result.json"), "w") as f:
        json.dump({"seconds": seconds, "trees": int(model.n_iter_), "threads": threads, "sklearn": __import__("sklearn").__version__}, f)


if __name__ == "__main__":
    main(sys.argv[1])
