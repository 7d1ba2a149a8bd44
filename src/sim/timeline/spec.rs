//! Events written as text, as the command line takes them: `T:qps=N`,
//! `T:fail=NODE`, `T:fail=NODE@FRACTION`, `T:recover=NODE`, `T:cold=NODE`,
//! and also `T:ramp=N@SECONDS`, `T:spike=FACTOR@SECONDS`, `T:daily=PEAK`
//! and `T:rollout=NODE@FACTOR`. T is in seconds.

use crate::diagram::{EventKind, TimedEvent};

/// Why an event text cannot be read; the message quotes it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("event \"{spec}\": {reason}")]
pub struct SpecError {
    pub spec: String,
    pub reason: String,
}

/// Reads one event.
pub fn parse_event(spec: &str) -> Result<TimedEvent, SpecError> {
    let fail = |reason: &str| SpecError {
        spec: spec.to_owned(),
        reason: reason.to_owned(),
    };
    let number = |text: &str, what: &str| {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| fail(&format!("{what} \"{}\" is not a number", text.trim())))
    };
    let (time, rest) = spec
        .split_once(':')
        .ok_or_else(|| fail("write it as T:what=value, e.g. 60:qps=3000"))?;
    let at_s = number(time, "the time")?;
    let (what, value) = rest
        .split_once('=')
        .ok_or_else(|| fail("write it as T:what=value, e.g. 60:fail=ranker@0.5"))?;
    let value = value.trim();
    // "NODE@x": the last @ splits off a number; a label may hold an @.
    let node_and = |default: Option<f64>, what: &str| -> Result<(String, f64), SpecError> {
        let (node, x) = match value.rsplit_once('@') {
            Some((node, x)) => (node, Some(number(x, what)?)),
            None => (value, None),
        };
        if node.trim().is_empty() {
            return Err(fail("name the node by its label"));
        }
        let x = x
            .or(default)
            .ok_or_else(|| fail(&format!("give the {what} after @")))?;
        Ok((node.trim().to_owned(), x))
    };
    let two = |first: &str, second: &str| -> Result<(f64, f64), SpecError> {
        let (a, b) = value
            .split_once('@')
            .ok_or_else(|| fail(&format!("write {first}@{second}")))?;
        Ok((number(a, first)?, number(b, second)?))
    };
    let node_only = || {
        if value.is_empty() {
            Err(fail("name the node by its label"))
        } else {
            Ok(value.to_owned())
        }
    };
    let kind = match what.trim() {
        "qps" | "rps" => EventKind::Rate {
            rps: number(value, "the rate")?,
        },
        "ramp" => {
            let (rps, over_s) = two("rate", "seconds")?;
            EventKind::Ramp { rps, over_s }
        }
        "spike" => {
            let (factor, for_s) = two("factor", "seconds")?;
            EventKind::Spike { factor, for_s }
        }
        "daily" => EventKind::Daily {
            peak_to_mean: number(value, "the peak-to-mean ratio")?,
        },
        "fail" => {
            let (node, fraction) = node_and(Some(1.0), "fraction")?;
            EventKind::Fail { node, fraction }
        }
        "recover" => EventKind::Recover { node: node_only()? },
        "cold" => EventKind::ColdCache { node: node_only()? },
        "rollout" => {
            let (node, service_factor) = node_and(None, "service time factor")?;
            EventKind::Rollout {
                node,
                service_factor,
            }
        }
        other => {
            return Err(fail(&format!(
                "unknown event \"{other}\"; use qps, ramp, spike, daily, fail, recover, cold or rollout"
            )));
        }
    };
    Ok(TimedEvent { at_s, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_reads() {
        let kind = |s: &str| parse_event(s).expect(s).kind;
        assert_eq!(kind("60:qps=3000"), EventKind::Rate { rps: 3000.0 });
        assert_eq!(
            kind("10:fail=ranker"),
            EventKind::Fail {
                node: "ranker".into(),
                fraction: 1.0
            }
        );
        assert_eq!(
            kind("10:fail=GPU ranker@0.5"),
            EventKind::Fail {
                node: "GPU ranker".into(),
                fraction: 0.5
            }
        );
        assert_eq!(
            kind("20:recover=ranker"),
            EventKind::Recover {
                node: "ranker".into()
            }
        );
        assert_eq!(
            kind("0:cold=cache"),
            EventKind::ColdCache {
                node: "cache".into()
            }
        );
        assert_eq!(
            kind("5:spike=3@300"),
            EventKind::Spike {
                factor: 3.0,
                for_s: 300.0
            }
        );
        assert_eq!(
            kind("5:ramp=900@60"),
            EventKind::Ramp {
                rps: 900.0,
                over_s: 60.0
            }
        );
        assert_eq!(
            kind("9:rollout=ranker@1.5"),
            EventKind::Rollout {
                node: "ranker".into(),
                service_factor: 1.5
            }
        );
        assert_eq!(parse_event("12.5:daily=2").expect("daily").at_s, 12.5);
    }

    #[test]
    fn bad_texts_say_what_is_wrong_and_quote_the_event() {
        let err = |s: &str| parse_event(s).expect_err(s).to_string();
        assert!(err("qps=3").contains("T:what=value"));
        assert!(err("x:qps=3").contains("the time \"x\" is not a number"));
        assert!(err("1:qps=lots").contains("\"1:qps=lots\""));
        assert!(err("1:explode=ranker").contains("unknown event \"explode\""));
        assert!(err("1:fail=@0.5").contains("name the node"));
        assert!(err("1:rollout=ranker").contains("service time factor"));
        assert!(err("1:spike=3").contains("factor@seconds"));
        assert!(err("1:qps=inf").contains("not a number"));
    }
}
