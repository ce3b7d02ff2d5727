#!/usr/bin/python3
"""An independent reference for the network validator's figures, written from the rules in
shared/validator-scoring.md with the libraries the validator's own Python uses (numpy,
scipy.stats.entropy, scipy.stats.spearmanr, sklearn.metrics.roc_auc_score, brier_score_loss),
so that test/validator-python-parity.test.ts can check `lab validate` against it. It shares no
code with src/validator/ or src/labels/: it joins the raw inputs itself and classifies the
evolution patterns from the raw feature values with the shipped thresholds.

Inputs (CSV, with a header row):
  --scores FILE          alert_id, score, model_version, model_github_url: the miner's submission
                         for one (processing_date, window_days)
  --alerts FILE          alert_id, address: every alert of that snapshot
  --labels FILE          address, risk_level: the address labels of that snapshot (may be empty)
  --base-features FILE   address, degree_total, total_volume_usd, is_mixer_like,
                         behavioral_anomaly_score, velocity_score: the snapshot's feature rows
  --later-features FILE  the same columns for the snapshot HORIZON_DAYS later, same window
                         (omit when that snapshot does not exist: 3B then has no score)
  --consensus FILE       miner_id, alert_id, score: other miners' submissions (repeatable;
                         without any, the consensus is the miner's file alone)
  --age-days N           days from the processing date to the day it is scored

Prints one JSON object under the validator's key names; a figure that is not defined is null.

Tier 2's consistency is the default 0.7: a single date's file has no earlier date to compare with.

Read beside the validator's code (chainswarm/risk-assesment packages/validation/
tier2_behavioral.py, tier3a_ground_truth.py, tier3b_evolution.py, 2026-12-03): the same joins,
pattern rule, labels, ranges and weights. Two things this reference does not model because the
sample cannot show them: the validator takes the first feature row of an address per snapshot
(a merge here would repeat an alert for duplicate rows), and it matches risk_level exactly
('High' would be dropped there; the normalised view Label Lab reads lowercases it).
"""

import argparse
import json
import math
import sys

import numpy as np
import pandas as pd
from scipy.stats import entropy, spearmanr
from sklearn.metrics import brier_score_loss, roc_auc_score

# The shipped configuration (shared/validator-scoring.md), written out here on purpose rather than
# read from src/validator/config.ts: the reference must not inherit a mistake from it.
ENTROPY_BINS = 10
ENTROPY_EPSILON = 1e-10
TIER2_WEIGHTS = {"entropy": 0.33, "rank": 0.33, "consistency": 0.34}
DEFAULT_CONSISTENCY = 0.7
RISK_LEVELS = ["low", "medium", "high", "critical"]
POSITIVE_RISK_LEVELS = ["high", "critical"]
RANGES = {
    "expanding_illicit": (0.70, 1.00),
    "benign_indicators": (0.00, 0.30),
    "dormant": (0.15, 0.25),
    "ambiguous": (0.30, 0.70),
}
LABEL_THRESHOLD = 0.5
DISTANCE_FACTOR = 2.0
TIER3B_WEIGHTS = {"auc": 0.4, "brier": 0.3, "pattern": 0.3}
PENALTY_STEPS = [(0.10, 0.0), (0.15, -0.05), (0.25, -0.10)]
PENALTY_OTHERWISE = -0.15
COVERAGE_WEIGHT_3A = 0.5
COVERAGE_WEIGHT_3B = 0.5
TIER2_WEIGHT = 0.1
TIER3_WEIGHT = 0.9
FLAT_PERIOD_DAYS = 29
REQUIRED_DAYS_3B = 30
FLAT_REWARD = 0.1

FEATURE_COLUMNS = ["address", "degree_total", "total_volume_usd", "is_mixer_like",
                   "behavioral_anomaly_score", "velocity_score"]


def read_csv(path, columns):
    frame = pd.read_csv(path, dtype={"alert_id": str, "address": str, "miner_id": str,
                                     "risk_level": str, "model_version": str,
                                     "model_github_url": str}, keep_default_na=True)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        sys.exit(f"{path}: missing column(s) {', '.join(missing)} (expected {', '.join(columns)})")
    return frame


def as_bool(series):
    """CSV booleans ('true'/'false', or pandas' own) as bool; a missing flag is not a mixer."""
    return series.map(lambda v: str(v).strip().lower() in ("true", "1", "1.0")).astype(bool)


def tier1(scores, alerts):
    ids = set(scores["alert_id"])
    has_all = set(alerts["alert_id"]) <= ids
    in_range = bool(((scores["score"] >= 0) & (scores["score"] <= 1)).all())
    no_dup = not scores["alert_id"].duplicated().any()
    meta = bool((scores["model_version"].fillna("") != "").all()
                and (scores["model_github_url"].fillna("") != "").all())
    return {
        "tier1_passed": bool(has_all and in_range and no_dup and meta),
        "tier1_has_all_alerts": bool(has_all),
        "tier1_score_range_valid": in_range,
        "tier1_no_duplicates": bool(no_dup),
    }


def tier2(scores, consensus):
    values = scores["score"].to_numpy(dtype=float)
    hist, _ = np.histogram(values, bins=ENTROPY_BINS, range=(0, 1))
    hist = hist / len(values)
    ent = float(entropy(hist + ENTROPY_EPSILON) / np.log(ENTROPY_BINS))

    everyone = pd.concat([scores[["alert_id", "score"]]] + [c[["alert_id", "score"]] for c in consensus])
    medians = everyone.groupby("alert_id")["score"].median().rename("median").reset_index()
    paired = scores.merge(medians, on="alert_id", how="inner")
    rho = spearmanr(paired["score"], paired["median"]).correlation
    rank = None if rho is None or math.isnan(rho) else float((rho + 1) / 2)

    consistency = DEFAULT_CONSISTENCY
    behaviour = None if rank is None else (TIER2_WEIGHTS["entropy"] * ent + TIER2_WEIGHTS["rank"] * rank
                                           + TIER2_WEIGHTS["consistency"] * consistency)
    return {
        "tier2_distribution_entropy": ent,
        "tier2_rank_correlation": rank,
        "tier2_consistency_score": consistency,
        "tier2_behavior_score": behaviour,
    }


def tier3a(scores, alerts, labels):
    joined = scores.merge(alerts, on="alert_id", how="inner")
    joined = joined.merge(labels[labels["risk_level"].isin(RISK_LEVELS)], on="address", how="inner")
    distinct = scores["alert_id"].nunique()
    out = {"tier3_gt_auc": None, "tier3_gt_brier": None, "tier3_gt_coverage": 0.0, "tier3_gt_score": None}
    if len(joined) == 0:
        return out
    y = joined["risk_level"].isin(POSITIVE_RISK_LEVELS).astype(int).to_numpy()
    s = joined["score"].to_numpy(dtype=float)
    out["tier3_gt_coverage"] = len(joined) / distinct
    out["tier3_gt_brier"] = float(brier_score_loss(y, s))
    if len(set(y)) == 2:  # roc_auc_score raises on one class; the validator then scores nothing
        out["tier3_gt_auc"] = out["tier3_gt_score"] = float(roc_auc_score(y, s))
    return out


def pct_delta(later, base):
    return np.where(base > 0, (later - base) / np.where(base > 0, base, 1) * 100, 0.0)


def classify(row):
    d, v = row["degree_delta_pct"], row["volume_delta_pct"]
    mixer, anomaly, velocity = row["is_mixer_like"], row["behavioral_anomaly_score"], row["velocity_score"]
    if d > 200 and v > 300 and (mixer or anomaly > 0.7 or velocity > 0.8):
        return "expanding_illicit"
    if d < 50 and v < 100 and anomaly < 0.3 and not mixer:
        return "benign_indicators"
    if d < 20 and v < 30 and velocity < 0.3:
        return "dormant"
    return "ambiguous"


def range_score(score, lo, hi):
    if lo <= score <= hi:
        return 1.0
    distance = lo - score if score < lo else score - hi
    return max(0.0, 1.0 - DISTANCE_FACTOR * distance)


def penalty(std):
    for below, p in PENALTY_STEPS:
        if std < below:
            return p
    return PENALTY_OTHERWISE


def tier3b(scores, alerts, base, later):
    empty = {"tier3_auc_score": None, "tier3_brier_score": None, "tier3_pattern_accuracy": None,
             "tier3_evolution_score": None, "tier3_evolution_coverage": 0.0,
             "tier3b_address_consistency": None, "pattern_counts": {p: 0 for p in RANGES}}
    if later is None:
        return empty
    rows = scores.merge(alerts, on="alert_id", how="inner")
    rows = rows.merge(base, on="address", how="inner")
    rows = rows.merge(later, on="address", how="inner", suffixes=("_base", "_later"))
    if len(rows) == 0:
        return empty
    rows["degree_delta_pct"] = pct_delta(rows["degree_total_later"].astype(float), rows["degree_total_base"].astype(float))
    rows["volume_delta_pct"] = pct_delta(rows["total_volume_usd_later"].astype(float),
                                         rows["total_volume_usd_base"].astype(float))
    rows["is_mixer_like"] = as_bool(rows["is_mixer_like_later"])
    rows["behavioral_anomaly_score"] = rows["behavioral_anomaly_score_later"].astype(float)
    rows["velocity_score"] = rows["velocity_score_later"].astype(float)
    rows["pattern"] = rows.apply(classify, axis=1)

    scores_ = rows["score"].to_numpy(dtype=float)
    ranges = [RANGES[p] for p in rows["pattern"]]
    validation = np.array([range_score(s, lo, hi) for s, (lo, hi) in zip(scores_, ranges)])
    match = np.array([1.0 if lo <= s <= hi else 0.0 for s, (lo, hi) in zip(scores_, ranges)])
    labels = np.array([1 if p == "expanding_illicit" else 0 if p == "benign_indicators"
                       else (1 if s >= LABEL_THRESHOLD else 0) for p, s in zip(rows["pattern"], scores_)])
    auc = float(roc_auc_score(labels, scores_)) if len(set(labels)) == 2 else 0.5
    brier = float(brier_score_loss(labels, scores_))
    accuracy = float(match.mean())
    rows["validation"] = validation
    stds = rows.groupby("address")["validation"].apply(lambda v: float(np.std(v.to_numpy())))
    consistency = max(0.0, 1.0 + float(np.mean([penalty(s) for s in stds])))
    return {
        "tier3_auc_score": auc,
        "tier3_brier_score": brier,
        "tier3_pattern_accuracy": accuracy,
        "tier3_evolution_score": TIER3B_WEIGHTS["auc"] * auc + TIER3B_WEIGHTS["brier"] * (1 - brier)
        + TIER3B_WEIGHTS["pattern"] * accuracy,
        "tier3_evolution_coverage": len(rows) / scores["alert_id"].nunique(),
        "tier3b_address_consistency": consistency,
        "pattern_counts": {p: int((rows["pattern"] == p).sum()) for p in RANGES},
    }


def final(t1, t2, t3a, t3b, age):
    if not t1["tier1_passed"]:
        return {"tier3_score": None, "final_score": 0.0, "validation_status": "rejected"}
    if age < FLAT_PERIOD_DAYS:
        return {"tier3_score": None, "final_score": FLAT_REWARD, "validation_status": "flat_period"}
    a = t3a["tier3_gt_score"]
    b = t3b["tier3_evolution_score"] if age >= REQUIRED_DAYS_3B else None
    tier3 = 0.0
    if a is not None:
        tier3 += a * t3a["tier3_gt_coverage"] * COVERAGE_WEIGHT_3A
    if b is not None:
        tier3 += b * t3b["tier3_evolution_coverage"] * COVERAGE_WEIGHT_3B
    status = ("complete" if a is not None and b is not None else
              "tier3a_only" if a is not None else "tier3b_only" if b is not None else
              "awaiting_evolution_data" if age < REQUIRED_DAYS_3B else "no_tier3")
    t2s = t2["tier2_behavior_score"]
    return {"tier3_score": tier3, "final_score": None if t2s is None else TIER2_WEIGHT * t2s + TIER3_WEIGHT * tier3,
            "validation_status": status}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scores", required=True)
    ap.add_argument("--alerts", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--base-features", required=True)
    ap.add_argument("--later-features")
    ap.add_argument("--consensus", action="append", default=[])
    ap.add_argument("--age-days", type=int, required=True)
    args = ap.parse_args()

    scores = read_csv(args.scores, ["alert_id", "score", "model_version", "model_github_url"])
    scores["score"] = scores["score"].astype(float)
    alerts = read_csv(args.alerts, ["alert_id", "address"])[["alert_id", "address"]]
    labels = read_csv(args.labels, ["address", "risk_level"])[["address", "risk_level"]]
    base = read_csv(args.base_features, FEATURE_COLUMNS)[FEATURE_COLUMNS]
    later = read_csv(args.later_features, FEATURE_COLUMNS)[FEATURE_COLUMNS] if args.later_features else None
    consensus = [read_csv(p, ["alert_id", "score"]) for p in args.consensus]
    for c in consensus:
        c["score"] = c["score"].astype(float)

    t1 = tier1(scores, alerts)
    t2 = tier2(scores, consensus)
    t3a = tier3a(scores, alerts, labels)
    t3b = tier3b(scores, alerts, base, later)
    out = {**t1, **t2, **t3a, **t3b, **final(t1, t2, t3a, t3b, args.age_days)}
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
