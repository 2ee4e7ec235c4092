//! The vendors' subscriptions, in memory.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Every vendor's subscriptions, by id. Saleshandy's, SuperOffice's and Kajabi's ids sort in
/// creation order, so each map iterates oldest first (Collect's ids do not, and Collect has no list).
#[derive(Default)]
pub struct Store {
    next: u64,
    pub collect: BTreeMap<String, Value>,
    pub saleshandy: BTreeMap<String, Value>,
    pub superoffice: BTreeMap<i64, Value>,
    pub kajabi: BTreeMap<u64, Value>,
    /// Any other vendor's subscriptions, by the vendor's id and then the subscription's: where a
    /// vendor module added later keeps them (README, "Adding a vendor"), forgotten on reset with
    /// the rest.
    pub others: BTreeMap<&'static str, BTreeMap<String, Value>>,
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

    /// A new id in Saleshandy's 24-hex style (a MongoDB ObjectId, by its look), deterministic. As
    /// an ObjectId's does, it starts with a rising time (here one "second" per id) and ends with a
    /// counter, so ids sort in creation order: the list answers oldest first.
    pub fn object_id(&mut self) -> String {
        self.next += 1;
        let seconds = 0x69fb_3ac1_u64.wrapping_add(self.next) & 0xffff_ffff;
        let counter = 0xb7_4826_u64.wrapping_add(self.next) & 0xff_ffff;
        format!("{seconds:08x}eda582171e{counter:06x}")
    }

    /// The next number in a plain counter (SuperOffice's and Kajabi's ids).
    pub fn number(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    /// The time now as RFC 3339 in UTC, the form SuperOffice and Kajabi write.
    pub fn rfc3339(&self) -> String {
        self.rfc3339_ago(0)
    }

    /// A creation time, in the form seed 000's example shows.
    pub fn timestamp(&self) -> String {
        self.timestamp_ago(0)
    }

    /// [`Store::rfc3339`], `seconds` ago (for seeded subscriptions made in the past):
    /// `2024-05-01T10:00:00.000Z`.
    pub fn rfc3339_ago(&self, seconds: i64) -> String {
        ago(seconds).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }

    /// [`Store::timestamp`], `seconds` ago: `2024-05-01 10:00:00 UTC`.
    pub fn timestamp_ago(&self, seconds: i64) -> String {
        use chrono::{Datelike, Timelike};
        let t = ago(seconds);
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

/// A JSON object of these fields, in this order, made at its final size (`json!` grows its map
/// one field at a time and copies each value through `to_value`, which a debug build of a seed
/// of thousands feels).
pub(crate) fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    let mut map = Map::with_capacity(N);
    for (key, value) in fields {
        map.insert(key.to_string(), value);
    }
    Value::Object(map)
}

fn ago(seconds: i64) -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::TimeDelta::try_seconds(seconds)
        .and_then(|d| now.checked_sub_signed(d))
        .unwrap_or(now)
}
