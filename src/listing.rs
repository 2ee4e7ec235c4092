//! Reading a connection's subscriptions into the workspace: every page of the vendor's list, or
//! for a vendor that cannot list (Collect), the ledger kept on the device.

use hookpanel_core::{Call, ListPage, ListRead, Outcome, Subscription, VendorError};
use std::time::Duration;

use crate::http::{CallError, perform};
use crate::widgets::plural;
use crate::workspace::{ConnectionEntry, Workspace};

/// At most this many automatic retries of one page the vendor rate-limited.
const READ_RETRIES: u32 = 2;
/// A Retry-After longer than this is not waited out automatically.
const LONGEST_AUTO_WAIT_S: u64 = 60;
/// Reads a connection's subscriptions into the workspace, every page of the vendor's list up to
/// the bound ([`hookpanel_core::LIST_BOUND`]), with progress. A page the vendor rate-limits is
/// read again after the delay it gives, with a countdown; writes are never retried like this.
pub fn refresh(ws: Workspace, entry: ConnectionEntry) {
    if Workspace::keeps_ledger(&entry) {
        ws.load_ledger(&entry);
        return;
    }
    leptos::task::spawn_local(async move {
        let _ = read(ws, &entry).await;
    });
}

/// A complete read of a connection's subscriptions, for work that needs all of them (a plan of
/// the workspace file): every page, or the ledger.
pub struct FullRead {
    pub items: Vec<Subscription>,
    /// What the read lacks when it stopped short of the end (see [`Listing::caveat`]).
    ///
    /// [`Listing::caveat`]: crate::workspace::Listing::caveat
    pub caveat: Option<String>,
}

/// Reads a connection's subscriptions as [`refresh`] does, and gives them back once read. The
/// workspace's listing follows the read as it goes, so every screen shows the same list.
/// A failure is what happened and what to do next.
pub async fn read(ws: Workspace, entry: &ConnectionEntry) -> Result<FullRead, (String, String)> {
    if Workspace::keeps_ledger(entry) {
        ws.load_ledger(entry);
        return Ok(FullRead {
            items: ws.listing_untracked(&entry.id).items,
            caveat: None,
        });
    }
    ws.set_listing(&entry.id, |l| {
        l.loading = true;
        l.error = None;
        l.retry_in = None;
        l.progress = None;
        l.caveat = None;
    });
    let mut read = ListRead::default();
    while let Some(call) = read.next_call() {
        let progress = read.progress();
        ws.set_listing(&entry.id, |l| l.progress = Some(progress));
        match read_page(ws, entry, call).await {
            Ok(page) => {
                read.add(page);
            }
            Err(e) => {
                let page = read.page();
                let read_so_far = read.items().len();
                let failed = (e.to_string(), e.next_step());
                ws.set_listing(&entry.id, |l| {
                    l.loading = false;
                    l.progress = None;
                    l.retry_in = None;
                    if page > 1 {
                        // What was read is shown, and said to be incomplete.
                        l.items = read.items().to_vec();
                        l.loaded = true;
                        l.caveat = Some(format!(
                            "Only the first {} are shown: page {page} could not be read.",
                            plural(read_so_far, "webhook")
                        ));
                    }
                    l.error = Some(failed.clone());
                });
                return Err(failed);
            }
        }
    }
    let caveat = read.caveat();
    let items = read.into_items();
    ws.set_listing(&entry.id, |l| {
        l.items = items.clone();
        l.loaded = true;
        l.loading = false;
        l.progress = None;
        l.retry_in = None;
        l.caveat = caveat.clone();
    });
    Ok(FullRead { items, caveat })
}

/// One page of the list, waiting out a rate limit the vendor states.
async fn read_page(
    ws: Workspace,
    entry: &ConnectionEntry,
    call: Call<'static>,
) -> Result<ListPage, CallError> {
    let mut attempt = 0;
    loop {
        let run = perform(ws, entry, call).await;
        match (run.first().cloned(), run.failed) {
            (Some(Outcome::Page(page)), _) => return Ok(page),
            (_, Some((_, CallError::Vendor(VendorError::RateLimited { retry_after }))))
                if attempt < READ_RETRIES && retry_after.unwrap_or(5) <= LONGEST_AUTO_WAIT_S =>
            {
                attempt += 1;
                let mut left = retry_after.unwrap_or(5);
                while left > 0 {
                    ws.set_listing(&entry.id, |l| l.retry_in = Some(left));
                    gloo_timers::future::sleep(Duration::from_secs(1)).await;
                    left -= 1;
                }
                ws.set_listing(&entry.id, |l| l.retry_in = None);
            }
            (_, Some((_, e))) => return Err(e),
            _ => {
                return Err(CallError::Vendor(VendorError::Malformed(
                    "the answer held no list.".into(),
                )));
            }
        }
    }
}

/// Loads a connection's list once, when a screen first needs it.
pub fn ensure_loaded(ws: Workspace, entry: &ConnectionEntry) {
    let listing = ws.listing(&entry.id);
    if !listing.loaded && !listing.loading && listing.error.is_none() {
        refresh(ws, entry.clone());
    }
}
