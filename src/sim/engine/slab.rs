//! A slab: values addressed by u32 ids, with freed slots reused first, so a
//! run's memory follows how many values are alive, not how many were made.

use std::ops::{Index, IndexMut};

/// Values by id, with a free list.
#[derive(Debug, Clone, Default)]
pub struct Slab<T> {
    items: Vec<T>,
    free: Vec<u32>,
}

impl<T> Slab<T> {
    /// An empty slab with room for `capacity` values.
    pub fn with_capacity(capacity: usize) -> Slab<T> {
        Slab {
            items: Vec::with_capacity(capacity),
            free: Vec::with_capacity(capacity),
        }
    }

    /// Stores a value in a free slot, or a new one; returns its id.
    #[inline]
    pub fn insert(&mut self, value: T) -> u32 {
        match self.free.pop() {
            Some(id) => {
                self.items[id as usize] = value;
                id
            }
            None => {
                self.items.push(value);
                (self.items.len() - 1) as u32
            }
        }
    }

    /// Frees a slot for reuse; its value stays until overwritten.
    #[inline]
    pub fn remove(&mut self, id: u32) {
        self.free.push(id);
    }

    /// True when `limit` values are alive and no slot is free.
    pub fn is_full(&self, limit: usize) -> bool {
        self.free.is_empty() && self.items.len() >= limit
    }
}

impl<T> Index<u32> for Slab<T> {
    type Output = T;

    #[inline]
    fn index(&self, id: u32) -> &T {
        &self.items[id as usize]
    }
}

impl<T> IndexMut<u32> for Slab<T> {
    #[inline]
    fn index_mut(&mut self, id: u32) -> &mut T {
        &mut self.items[id as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freed_slots_are_reused_before_new_ones() {
        let mut s = Slab::with_capacity(2);
        let a = s.insert('a');
        let b = s.insert('b');
        assert_eq!((s[a], s[b]), ('a', 'b'));
        s.remove(a);
        assert!(!s.is_full(2));
        let c = s.insert('c');
        assert_eq!(c, a);
        assert_eq!(s[c], 'c');
        assert!(s.is_full(2));
        s[b] = 'd';
        assert_eq!(s[b], 'd');
    }
}
