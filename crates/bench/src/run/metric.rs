//! One benchmark result with its anchor (measured in the same run), and the report: a table
//! for people, JSON for tools. Also the small statistics every metric uses.

use serde_json::{Value, json};

/// How a metric's goal is judged.
#[derive(Clone, Copy, Debug)]
pub enum Goal {
    /// The value must be at most this (in the metric's unit).
    AtMost(f64),
    /// The value divided by the anchor must be at most this.
    RatioAtMost(f64),
    /// Reported only.
    None,
}

/// A measured metric.
#[derive(Clone, Debug)]
pub struct Metric {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    pub anchor: String,
    pub anchor_value: f64,
    pub goal: Goal,
}

impl Metric {
    /// value / anchor value (0 when the anchor is 0).
    pub fn ratio(&self) -> f64 {
        if self.anchor_value == 0.0 {
            0.0
        } else {
            self.value / self.anchor_value
        }
    }

    /// The goal as text ("<= 150 ms", "<= 1.5x").
    pub fn goal_text(&self) -> String {
        match self.goal {
            Goal::AtMost(v) => format!("<= {v} {}", self.unit),
            Goal::RatioAtMost(r) => format!("<= {r}x"),
            Goal::None => "-".into(),
        }
    }

    /// Whether the goal holds (`None` for a metric without one).
    pub fn meets(&self) -> Option<bool> {
        match self.goal {
            Goal::AtMost(v) => Some(self.value <= v),
            Goal::RatioAtMost(r) => Some(self.ratio() <= r),
            Goal::None => None,
        }
    }

    pub fn json(&self) -> Value {
        json!({
            "name": self.name,
            "value": round3(self.value),
            "unit": self.unit,
            "anchor": self.anchor,
            "anchor_value": round3(self.anchor_value),
            "ratio": round3(self.ratio()),
            "goal": self.goal_text(),
            "meets": self.meets(),
        })
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The whole report as JSON.
pub fn report_json(machine: Value, metrics: &[Metric]) -> Value {
    json!({
        "machine": machine,
        "metrics": metrics.iter().map(Metric::json).collect::<Vec<_>>(),
    })
}

/// The report as a Markdown table (BENCHMARKS.md keeps the latest).
pub fn report_table(metrics: &[Metric]) -> String {
    let mut out = String::from(
        "| metric | value | anchor (same run) | anchor value | ratio | goal | meets |\n|---|---|---|---|---|---|---|\n",
    );
    for m in metrics {
        let meets = match m.meets() {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "-",
        };
        out.push_str(&format!(
            "| {} | {} {} | {} | {} | {:.2}x | {} | {} |\n",
            m.name,
            fmt(m.value),
            m.unit,
            m.anchor,
            fmt(m.anchor_value),
            m.ratio(),
            m.goal_text(),
            meets
        ));
    }
    out
}

fn fmt(v: f64) -> String {
    if v.abs() >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

/// The median of some samples (0 for none).
pub fn median(samples: &[f64]) -> f64 {
    percentile(samples, 50.0)
}

/// The p-th percentile (nearest rank) of some samples (0 for none).
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

/// This process's peak resident set size in MB, as the kernel counts it (VmHWM).
pub fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// What machine the numbers come from.
pub fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_default();
    let mem_kb = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    json!({
        "cpu": model,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "memory_gib": (mem_kb as f64 / 1048576.0 * 10.0).round() / 10.0,
        "os": std::env::consts::OS,
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(median(&v), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 50.0), 2.0);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn goals_judge_value_or_ratio() {
        let m = Metric {
            name: "x".into(),
            value: 30.0,
            unit: "ms",
            anchor: "raw".into(),
            anchor_value: 20.0,
            goal: Goal::RatioAtMost(1.5),
        };
        assert_eq!(m.meets(), Some(true));
        let m = Metric {
            goal: Goal::AtMost(25.0),
            ..m
        };
        assert_eq!(m.meets(), Some(false));
        assert_eq!(m.json()["ratio"], 1.5);
    }
}
