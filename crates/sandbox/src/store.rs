//! The vendors' subscriptions, in memory.

use serde_json::Value;
use std::collections::BTreeMap;

/// Every vendor's subscriptions, by id, in creation order of ids.
#[derive(Default)]
pub struct Store {
    next: u64,
    pub collect: BTreeMap<String, Value>,
    pub saleshandy: BTreeMap<String, Value>,
    pub superoffice: BTreeMap<i64, Value>,
    pub kajabi: BTreeMap<u64, Value>,
}

impl Store {
    /// A new id in Collect's 17-character Meteor style, deterministic so runs repeat.
    pub fn meteor_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";
        self.next += 1;
        let mut n = self.next.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (0..17)
            .map(|_| {
                let c = ALPHABET[(n % ALPHABET.len() as u64) as usize] as char;
                n = (n ^ (n >> 29))
                    .wrapping_mul(0xBF58_476D_1CE4_E5B9)
                    .rotate_left(17);
                c
            })
            .collect()
    }

    /// A new id in Saleshandy's 24-hex style (a MongoDB ObjectId, by its look), deterministic.
    pub fn object_id(&mut self) -> String {
        self.next += 1;
        let n = self.next.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x1eb7_4826_0000_0000;
        format!("69fb3ac1{n:016x}")
    }

    /// The next number in a plain counter (SuperOffice's and Kajabi's ids).
    pub fn number(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    /// The time now as RFC 3339 in UTC, the form SuperOffice and Kajabi write.
    pub fn rfc3339(&self) -> String {
        chrono::Utc::now()
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    }

    /// A creation time, in the form seed 000's example shows.
    pub fn timestamp(&self) -> String {
        chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string()
    }
}
