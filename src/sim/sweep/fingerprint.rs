//! A paused run over time written out as numbers: everything its future
//! depends on, with frames named by the order they are first met rather
//! than by their slots, so two runs that reached the same state by
//! different paths give the same numbers.

use std::collections::HashMap;

use super::mode::Timed;
use super::visit::Visit;
use super::{NONE, Sweep};

/// Markers in the numbers.
const END_OF_CHAIN: u64 = 0;
const SEEN_FRAME: u64 = 1;
const NEW_FRAME: u64 = 2;

impl Sweep<Timed> {
    /// Appends this sweep's state at `now` (a change, with every visit
    /// before it swept) to `print`.
    pub(super) fn fingerprint(&self, now: f64, print: &mut Vec<u64>) {
        print.push(self.live_requests);
        let mut names: HashMap<u32, u64> = HashMap::new();
        for (s, lane) in self.lanes.iter().enumerate() {
            print.push(self.routes[s].hit_ratio.to_bits());
            lane.fingerprint(now, print, |visit, print| {
                self.print_visit(visit, &mut names, print)
            });
            print.push(self.pending[s].len() as u64);
            for &k in &self.pending[s] {
                let (t, visit) = k.split();
                print.push(t.to_bits());
                self.print_visit(visit, &mut names, print);
            }
        }
    }

    /// A visit: its leaf flag and outcome, then its frames up to the root,
    /// each written whole the first time and by its name after.
    fn print_visit(&self, visit: Visit, names: &mut HashMap<u32, u64>, print: &mut Vec<u64>) {
        print.push(u64::from(visit.is_leaf()) | (visit.outcome() as u64) << 1);
        let mut id = visit.frame_id();
        loop {
            if id == NONE {
                print.push(END_OF_CHAIN);
                return;
            }
            if let Some(&name) = names.get(&id) {
                print.extend([SEEN_FRAME, name]);
                return;
            }
            names.insert(id, names.len() as u64);
            let f = &self.frames[id];
            print.extend([
                NEW_FRAME,
                f.start.to_bits(),
                f.done.to_bits(),
                u64::from(f.calls_end),
                u64::from(f.progress),
                u64::from(f.parallel) | u64::from(f.measured) << 1 | (f.outcome as u64) << 2,
            ]);
            id = f.parent;
        }
    }
}
