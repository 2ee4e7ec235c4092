//! The device's storage (localStorage), read and written as JSON under `hookpanel.` keys.
//!
//! Nothing secret is written here unless the admin asked for it on that connection; callers strip
//! secrets before saving. A storage that is full or disabled is treated as empty: the app keeps
//! working in memory, and [`save`] says whether the write held.
//!
//! What cannot be read back is never overwritten. Some of it is the only copy there is (Collect's
//! ledger: Collect cannot list its webhooks), so [`load`] moves an unreadable value aside, under
//! `hookpanel.aside.<key>`, before anything can be saved over it, and the page offers it for
//! download ([`set_aside`]). If even that copy cannot be written, the key is kept as it is and
//! every save to it is refused until the page is reloaded.

use std::cell::RefCell;
use std::collections::HashSet;

use serde::Serialize;
use serde::de::DeserializeOwned;

const PREFIX: &str = "hookpanel.";
const ASIDE: &str = "aside.";

thread_local! {
    /// Keys whose unreadable value could not be moved aside: not to be written over.
    static PROTECTED: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value under `key`, or `None` if there is none or it cannot be read. A value that is there
/// but cannot be read is moved aside first (see the module's documentation).
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let storage = storage()?;
    let full = format!("{PREFIX}{key}");
    let text = storage.get_item(&full).ok()??;
    match serde_json::from_str(&text) {
        Ok(value) => Some(value),
        Err(_) => {
            keep_aside(&storage, key, &text);
            None
        }
    }
}

/// Moves an unreadable value under `hookpanel.aside.<key>` (or `.<key>.2`, … if that is taken by
/// another), then frees its key; if the copy cannot be written, the key is protected instead.
fn keep_aside(storage: &web_sys::Storage, key: &str, text: &str) {
    let full = format!("{PREFIX}{key}");
    let mut n = 1;
    let aside = loop {
        let name = match n {
            1 => format!("{PREFIX}{ASIDE}{key}"),
            n => format!("{PREFIX}{ASIDE}{key}.{n}"),
        };
        match storage.get_item(&name).ok().flatten() {
            None => break Some(name),
            Some(held) if held == text => break None,
            Some(_) => n += 1,
        }
        if n > 50 {
            break Some(format!(
                "{PREFIX}{ASIDE}{key}.{}",
                js_sys::Date::now() as u64
            ));
        }
    };
    let kept = match aside {
        // The same text is aside already.
        None => true,
        Some(name) => storage.set_item(&name, text).is_ok(),
    };
    if kept {
        let _ = storage.remove_item(&full);
    } else {
        PROTECTED.with(|p| p.borrow_mut().insert(key.to_string()));
    }
}

/// Writes `value` under `key`; false if the device refused (storage full or disabled), or if the
/// key holds an unreadable value that could not be kept aside.
pub fn save<T: Serialize>(key: &str, value: &T) -> bool {
    if PROTECTED.with(|p| p.borrow().contains(key)) {
        return false;
    }
    let Some(storage) = storage() else {
        return false;
    };
    match serde_json::to_string(value) {
        Ok(text) => storage.set_item(&format!("{PREFIX}{key}"), &text).is_ok(),
        Err(_) => false,
    }
}

pub fn remove(key: &str) {
    if PROTECTED.with(|p| p.borrow().contains(key)) {
        return;
    }
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Something the device held that could not be read back, kept aside untouched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    /// The storage key it is kept under (without the `hookpanel.` prefix).
    pub key: String,
    /// What it was: the key it was read from.
    pub was: String,
    pub text: String,
}

/// Everything kept aside, oldest key first.
pub fn set_aside() -> Vec<SetAside> {
    let mut out: Vec<SetAside> = dump()
        .into_iter()
        .filter_map(|(key, text)| {
            let key = key.strip_prefix(PREFIX)?.to_string();
            let was = key.strip_prefix(ASIDE)?.to_string();
            Some(SetAside { key, was, text })
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// Keys whose unreadable value could not be kept aside, so they were left as they are and are
/// not written to until the page is reloaded (the device's storage is full, say).
pub fn protected() -> Vec<String> {
    PROTECTED.with(|p| {
        let mut keys: Vec<String> = p.borrow().iter().cloned().collect();
        keys.sort();
        keys
    })
}

/// Deletes something kept aside, once the admin has it (or does not want it).
pub fn discard_aside(key: &str) {
    if key.starts_with(ASIDE)
        && let Some(storage) = storage()
    {
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
    PROTECTED.with(|p| p.borrow_mut().clear());
    if let Some(storage) = storage() {
        for (key, _) in dump() {
            let _ = storage.remove_item(&key);
        }
    }
}
