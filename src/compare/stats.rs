//! The statistics behind `rhetor compare`: a seeded bootstrap, Hedges' g, the weighted
//! log-odds ratio with an informative Dirichlet prior, and percentiles. Pure functions, no I/O.

/// SplitMix64: a small, fast, fully specified generator, so that confidence intervals are the
/// same on every platform and in every version.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2^-32 for our n).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

/// Sample variance (n − 1 denominator); 0 for fewer than two values.
pub fn variance(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let m = mean(xs);
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64
}

/// The q-quantile of sorted values, linear interpolation between order statistics (R type 7).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Percentile bootstrap confidence intervals for the means of several metrics at once.
///
/// `rows` holds one vector of metric values per document (documents are resampled whole, so
/// the metrics share resamples). Returns `(low, high)` per metric at the given level (0.95 for
/// a 95% interval). A metric missing (NaN) in a document is left out of that resample's mean.
pub fn bootstrap_means(
    rows: &[Vec<f64>],
    metrics: usize,
    resamples: usize,
    level: f64,
    seed: u64,
) -> Vec<(f64, f64)> {
    let n = rows.len();
    if n == 0 {
        return vec![(f64::NAN, f64::NAN); metrics];
    }
    let mut rng = SplitMix64::new(seed);
    let mut stats: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); metrics];
    let mut sums = vec![0.0; metrics];
    let mut counts = vec![0usize; metrics];
    for _ in 0..resamples {
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        for _ in 0..n {
            let row = &rows[rng.below(n)];
            for (m, v) in row.iter().enumerate().take(metrics) {
                if !v.is_nan() {
                    sums[m] += v;
                    counts[m] += 1;
                }
            }
        }
        for m in 0..metrics {
            if counts[m] > 0 {
                stats[m].push(sums[m] / counts[m] as f64);
            }
        }
    }
    let tail = (1.0 - level) / 2.0;
    stats
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            (quantile(&s, tail), quantile(&s, 1.0 - tail))
        })
        .collect()
}

/// Hedges' g: Cohen's d with the pooled standard deviation, times the small-sample correction
/// J = 1 − 3 / (4(n₁ + n₂) − 9). `None` when either side is empty, there are fewer than three
/// values in all, or the pooled deviation is zero.
pub fn hedges_g(a: &[f64], b: &[f64]) -> Option<f64> {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    if a.is_empty() || b.is_empty() || n1 + n2 < 3.0 {
        return None;
    }
    let pooled = (((n1 - 1.0) * variance(a) + (n2 - 1.0) * variance(b)) / (n1 + n2 - 2.0)).sqrt();
    if pooled.is_nan() || pooled <= 0.0 {
        return None;
    }
    let d = (mean(a) - mean(b)) / pooled;
    Some(d * (1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)))
}

/// The weighted log-odds ratio of a feature in group i against group j with an informative
/// Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eqs. 16 and 18–22):
///
/// δ = log((yᵢ + α) / (nᵢ + α₀ − yᵢ − α)) − log((yⱼ + α) / (nⱼ + α₀ − yⱼ − α)),
/// σ² ≈ 1/(yᵢ + α) + 1/(yⱼ + α), and z = δ / σ.
///
/// `y` are the feature's counts, `n` the groups' total counts, `alpha` the feature's prior
/// count and `alpha0` the sum of all prior counts. Returns (δ, z).
pub fn log_odds_z(yi: f64, ni: f64, yj: f64, nj: f64, alpha: f64, alpha0: f64) -> (f64, f64) {
    let li = ((yi + alpha) / (ni + alpha0 - yi - alpha)).ln();
    let lj = ((yj + alpha) / (nj + alpha0 - yj - alpha)).ln();
    let delta = li - lj;
    let var = 1.0 / (yi + alpha) + 1.0 / (yj + alpha);
    (delta, delta / var.sqrt())
}

/// Percentage of `values` strictly below `x` ("more promotional than 92% of them").
pub fn percent_below(values: &[f64], x: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    100.0 * values.iter().filter(|v| **v < x).count() as f64 / values.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_the_published_splitmix64() {
        // Reference outputs of SplitMix64 seeded with 1234567.
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        let mut r = SplitMix64::new(7);
        assert!((0..1000).all(|_| r.below(10) < 10));
    }

    #[test]
    fn quantiles_and_moments() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert_eq!(mean(&v), 2.5);
        assert!((variance(&v) - 1.6667).abs() < 1e-4);
        assert_eq!(percent_below(&v, 3.5), 75.0);
        assert_eq!(percent_below(&v, 1.0), 0.0);
    }

    #[test]
    fn bootstrap_interval_brackets_the_mean_and_is_seeded() {
        let rows: Vec<Vec<f64>> = (0..40).map(|i| vec![(i % 7) as f64, 1.0]).collect();
        let a = bootstrap_means(&rows, 2, 1000, 0.95, 42);
        let b = bootstrap_means(&rows, 2, 1000, 0.95, 42);
        assert_eq!(a, b);
        let m = mean(&rows.iter().map(|r| r[0]).collect::<Vec<_>>());
        assert!(a[0].0 < m && m < a[0].1, "{a:?} vs {m}");
        assert_eq!(a[1], (1.0, 1.0));
    }

    #[test]
    fn hedges_g_matches_a_hand_computation() {
        // a: mean 3, var 2.5; b: mean 5, var 2.5; pooled sd √2.5; d = −1.2649; J = 1 − 3/31.
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [3.0, 4.0, 5.0, 6.0, 7.0];
        let g = hedges_g(&a, &b).unwrap();
        assert!((g - (-1.2649 * (1.0 - 3.0 / 31.0))).abs() < 1e-3, "{g}");
        assert_eq!(hedges_g(&[1.0], &[]), None);
        assert_eq!(hedges_g(&[1.0, 1.0], &[1.0]), None);
    }

    #[test]
    fn log_odds_favours_the_heavier_user() {
        // Feature used 30 of 100 times by i, 5 of 100 by j; prior from the pooled counts.
        let (d, z) = log_odds_z(30.0, 100.0, 5.0, 100.0, 35.0, 200.0);
        assert!(d > 0.0 && z > 1.96, "{d} {z}");
        let (d2, z2) = log_odds_z(5.0, 100.0, 30.0, 100.0, 35.0, 200.0);
        assert!((d + d2).abs() < 1e-12 && (z + z2).abs() < 1e-12);
    }
}
