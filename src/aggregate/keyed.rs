//! A map over a small closed set of keys (the categories, the tones), stored as a fixed array.
//!
//! A summary is made for every section, and a long document has hundreds of thousands of them:
//! six `BTreeMap`s per summary were six heap nodes each, most of a rules-only run's memory and a
//! large share of its time (the kernel zeroing fresh pages). This type keeps the values inline
//! and serialises exactly like the `BTreeMap` it replaces: a JSON object in key order.

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// A key of a [`Keyed`] map: a closed, ordered set.
pub trait Key: Copy + Ord + Serialize + 'static {
    /// Every key, in order; `ALL[k.index()] == k`.
    const ALL: &'static [Self];
    fn index(self) -> usize;
}

/// One value per key of `K` (`N` must be `K::ALL.len()`).
#[derive(Clone, PartialEq)]
pub struct Keyed<K: Key, V, const N: usize> {
    values: [V; N],
    keys: PhantomData<K>,
}

impl<K: Key, V, const N: usize> Keyed<K, V, N> {
    /// The map with `f(k)` for every key.
    pub fn from_fn(mut f: impl FnMut(K) -> V) -> Self {
        debug_assert_eq!(K::ALL.len(), N);
        Self {
            values: std::array::from_fn(|i| f(K::ALL[i])),
            keys: PhantomData,
        }
    }

    /// Always `Some`: every key has a value (kept for call sites written against a map).
    pub fn get(&self, key: &K) -> Option<&V> {
        self.values.get(key.index())
    }

    /// (key, value) in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        K::ALL.iter().zip(&self.values)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.values.iter()
    }

    pub fn map<W>(&self, mut f: impl FnMut(K, &V) -> W) -> Keyed<K, W, N> {
        Keyed::from_fn(|k| f(k, &self.values[k.index()]))
    }
}

impl<K: Key, V: Default, const N: usize> Default for Keyed<K, V, N> {
    fn default() -> Self {
        Self::from_fn(|_| V::default())
    }
}

impl<K: Key, V, const N: usize> Index<K> for Keyed<K, V, N> {
    type Output = V;
    fn index(&self, key: K) -> &V {
        &self.values[key.index()]
    }
}

impl<K: Key, V, const N: usize> Index<&K> for Keyed<K, V, N> {
    type Output = V;
    fn index(&self, key: &K) -> &V {
        &self.values[key.index()]
    }
}

impl<K: Key, V, const N: usize> IndexMut<K> for Keyed<K, V, N> {
    fn index_mut(&mut self, key: K) -> &mut V {
        &mut self.values[key.index()]
    }
}

impl<'a, K: Key, V, const N: usize> IntoIterator for &'a Keyed<K, V, N> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, K>, std::slice::Iter<'a, V>>;
    fn into_iter(self) -> Self::IntoIter {
        K::ALL.iter().zip(self.values.iter())
    }
}

impl<K: Key + std::fmt::Debug, V: std::fmt::Debug, const N: usize> std::fmt::Debug
    for Keyed<K, V, N>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Key, V: Serialize, const N: usize> Serialize for Keyed<K, V, N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(N))?;
        for (k, v) in self {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Key for crate::tag::Category {
    const ALL: &'static [Self] = &Self::ALL;
    fn index(self) -> usize {
        self as usize
    }
}

impl Key for super::Tone {
    const ALL: &'static [Self] = &Self::ALL;
    fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::PerCategory;
    use crate::tag::Category;
    use std::collections::BTreeMap;

    #[test]
    fn serialises_like_the_btreemap_it_replaces() {
        let keyed: PerCategory<usize> = Keyed::from_fn(|c: Category| c.index() * 10);
        let map: BTreeMap<Category, usize> = keyed.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(
            serde_json::to_string(&keyed).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        assert_eq!(keyed[Category::Hedge], 30);
        assert_eq!(keyed.get(&Category::Loaded), Some(&60));
    }

    #[test]
    fn key_order_is_the_enum_order() {
        for (i, c) in Category::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
        let mut sorted = Category::ALL.to_vec();
        sorted.sort();
        assert_eq!(sorted, Category::ALL);
    }
}
