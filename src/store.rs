//! The device's storage (localStorage), read and written as JSON under `hookpanel.` keys.
//!
//! Nothing secret is written here unless the admin asked for it on that connection; callers strip
//! secrets before saving. A storage that is full, disabled or holds something unreadable is treated
//! as empty: the app keeps working in memory, and [`save`] says whether the write held.

use serde::Serialize;
use serde::de::DeserializeOwned;

const PREFIX: &str = "hookpanel.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value under `key`, or `None` if there is none or it cannot be read.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(&format!("{PREFIX}{key}")).ok()??;
    serde_json::from_str(&text).ok()
}

/// Writes `value` under `key`; false if the device refused (storage full or disabled).
pub fn save<T: Serialize>(key: &str, value: &T) -> bool {
    let Some(storage) = storage() else {
        return false;
    };
    match serde_json::to_string(value) {
        Ok(text) => storage.set_item(&format!("{PREFIX}{key}"), &text).is_ok(),
        Err(_) => false,
    }
}

pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Every key this app wrote (for tests that prove what is and is not stored).
pub fn dump() -> Vec<(String, String)> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .filter_map(|k| storage.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect()
}

/// Removes everything this app wrote.
pub fn clear() {
    if let Some(storage) = storage() {
        for (key, _) in dump() {
            let _ = storage.remove_item(&key);
        }
    }
}
