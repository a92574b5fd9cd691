//! Classification metrics for `rhetor eval`: accuracy, macro-F1, per-class precision/recall/F1
//! and the confusion matrix, over a fixed label set.

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassMetrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub n: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub per_class: BTreeMap<String, ClassMetrics>,
    /// gold label → predicted label → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

/// Computes metrics for `gold` against `pred` over `labels` (every label gets a row, even when
/// absent, so macro-F1 is over the task's label set).
pub fn metrics(labels: &[&str], gold: &[&str], pred: &[&str]) -> Metrics {
    assert_eq!(gold.len(), pred.len(), "one prediction per gold label");
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = labels
        .iter()
        .map(|g| {
            (
                g.to_string(),
                labels.iter().map(|p| (p.to_string(), 0)).collect(),
            )
        })
        .collect();
    for (g, p) in gold.iter().zip(pred) {
        *confusion
            .entry(g.to_string())
            .or_default()
            .entry(p.to_string())
            .or_default() += 1;
    }
    let correct = gold.iter().zip(pred).filter(|(g, p)| g == p).count();
    let per_class: BTreeMap<String, ClassMetrics> = labels
        .iter()
        .map(|l| {
            let tp = confusion[*l].get(*l).copied().unwrap_or(0);
            let support: usize = confusion[*l].values().sum();
            let predicted: usize = confusion
                .values()
                .map(|row| row.get(*l).copied().unwrap_or(0))
                .sum();
            let precision = ratio(tp, predicted);
            let recall = ratio(tp, support);
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            (
                l.to_string(),
                ClassMetrics {
                    precision: round(precision),
                    recall: round(recall),
                    f1: round(f1),
                    support,
                },
            )
        })
        .collect();
    let macro_f1 = per_class.values().map(|c| c.f1).sum::<f64>() / labels.len().max(1) as f64;
    Metrics {
        n: gold.len(),
        accuracy: round(ratio(correct, gold.len())),
        macro_f1: round(macro_f1),
        per_class,
        confusion,
    }
}

/// One label of a multi-label task from its counts: true positives, false positives, false
/// negatives (support = tp + fn).
pub fn binary_metrics(tp: usize, fp: usize, fnn: usize) -> ClassMetrics {
    ClassMetrics {
        precision: round(ratio(tp, tp + fp)),
        recall: round(ratio(tp, tp + fnn)),
        f1: round(ratio(2 * tp, 2 * tp + fp + fnn)),
        support: tp + fnn,
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let gold = ["a", "a", "a", "b", "b", "c"];
        let pred = ["a", "a", "b", "b", "c", "c"];
        let m = metrics(&["a", "b", "c"], &gold, &pred);
        assert_eq!(m.accuracy, 0.6667);
        assert_eq!(m.per_class["a"].precision, 1.0);
        assert_eq!(m.per_class["a"].recall, 0.6667);
        assert_eq!(m.per_class["b"].f1, 0.5);
        assert_eq!(m.per_class["c"].precision, 0.5);
        assert_eq!(m.confusion["a"]["b"], 1);
        // macro-F1 = mean(0.8, 0.5, 0.6667)
        assert_eq!(m.macro_f1, 0.6556);
    }

    #[test]
    fn absent_label_scores_zero_without_dividing_by_zero() {
        let m = metrics(&["x", "y"], &["x"], &["x"]);
        assert_eq!(m.per_class["y"].f1, 0.0);
        assert_eq!(m.macro_f1, 0.5);
    }
}
