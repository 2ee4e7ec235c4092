//! Reading a vendor's whole list: page after page until the vendor says there is no more, up to a
//! stated bound. The page and the CLI drive it the same way: ask [`ListRead::next_call`], send,
//! decode, hand the page to [`ListRead::add`], and stop when it says so.
//!
//! Each vendor's adapter says, in the [`ListPage`] it decodes, whether more pages follow (Kajabi's
//! `links.next`, Saleshandy's full page) and what it knows of the totals. A list that repeats
//! itself (a vendor that ignores the page parameter) ends as soon as a page brings nothing new, so
//! the read never loops to the bound on copies.

use std::collections::HashSet;

use serde::Serialize;

use crate::answer::Subscription;
use crate::call::Call;
use crate::number::grouped;

/// At most this many subscriptions are read from one list. A real account with more is told where
/// the read stopped; 10,000 is 200 times Saleshandy's limit of active webhooks.
pub const LIST_BOUND: usize = 10_000;

/// One page of a vendor's list, as its adapter decodes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListPage {
    pub items: Vec<Subscription>,
    /// The vendor says another page follows.
    pub more: bool,
    /// How many pages there are, where the vendor says (Kajabi's `meta.total_pages`).
    pub total_pages: Option<u32>,
    /// How many subscriptions there are, where the vendor says (Kajabi's `meta.total_count`).
    pub total_count: Option<u64>,
}

impl ListPage {
    /// A list that does not page: everything, on one page.
    pub fn whole(items: Vec<Subscription>) -> Self {
        ListPage {
            items,
            more: false,
            total_pages: Some(1),
            total_count: None,
        }
    }
}

/// Why a read ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ListEnd {
    /// The vendor said there was no more.
    Complete,
    /// The bound was reached; the vendor has more (`total_count` where it said how many).
    Bounded { total_count: Option<u64> },
    /// A page brought only subscriptions already read: the vendor ignores the page asked for.
    Repeated,
}

/// What to do after a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Read the page [`ListRead::next_call`] names.
    Page(u32),
    /// The read is over.
    Done(ListEnd),
}

/// A list being read, page by page.
#[derive(Clone, Debug)]
pub struct ListRead {
    bound: usize,
    items: Vec<Subscription>,
    seen: HashSet<String>,
    /// The page to read next (1-based).
    page: u32,
    total_pages: Option<u32>,
    total_count: Option<u64>,
    end: Option<ListEnd>,
}

impl Default for ListRead {
    fn default() -> Self {
        ListRead::new(LIST_BOUND)
    }
}

impl ListRead {
    /// A read that stops after `bound` subscriptions.
    pub fn new(bound: usize) -> Self {
        ListRead {
            bound,
            items: Vec::new(),
            seen: HashSet::new(),
            page: 1,
            total_pages: None,
            total_count: None,
            end: None,
        }
    }

    /// The call for the page to read now, or `None` once the read is over.
    pub fn next_call(&self) -> Option<Call<'static>> {
        self.end.is_none().then_some(Call::List { page: self.page })
    }

    /// The page being read (1-based).
    pub fn page(&self) -> u32 {
        self.page
    }

    /// How many pages the vendor said there are, if it said.
    pub fn total_pages(&self) -> Option<u32> {
        self.total_pages
    }

    /// The subscriptions read so far, in the vendor's order, each once.
    pub fn items(&self) -> &[Subscription] {
        &self.items
    }

    /// Why the read ended, once it has.
    pub fn end(&self) -> Option<ListEnd> {
        self.end
    }

    /// Takes in the page just read and says what comes next.
    pub fn add(&mut self, page: ListPage) -> Next {
        if let Some(end) = self.end {
            return Next::Done(end);
        }
        self.total_pages = page.total_pages.or(self.total_pages);
        self.total_count = page.total_count.or(self.total_count);
        let mut new = 0;
        for item in page.items {
            if self.items.len() >= self.bound {
                self.end = Some(ListEnd::Bounded {
                    total_count: self.total_count,
                });
                return Next::Done(ListEnd::Bounded {
                    total_count: self.total_count,
                });
            }
            if self.seen.insert(item.id.clone()) {
                self.items.push(item);
                new += 1;
            }
        }
        let past_last = self.total_pages.is_some_and(|last| self.page >= last);
        let end = if !page.more || past_last {
            ListEnd::Complete
        } else if new == 0 {
            ListEnd::Repeated
        } else if self.items.len() >= self.bound {
            ListEnd::Bounded {
                total_count: self.total_count,
            }
        } else {
            self.page += 1;
            return Next::Page(self.page);
        };
        self.end = Some(end);
        Next::Done(end)
    }

    /// What the read is doing, for a progress line: "Reading page 3 of 6…".
    pub fn progress(&self) -> String {
        match self.total_pages {
            Some(total) if total > 1 => format!(
                "Reading page {} of {}…",
                grouped(self.page as u64),
                grouped(total as u64)
            ),
            _ if self.page > 1 => format!("Reading page {}…", grouped(self.page as u64)),
            _ => "Reading the list…".to_string(),
        }
    }

    /// What the ended read holds, for the line under the list; `None` while it goes on or when it
    /// is complete and there is nothing to add to the count.
    pub fn caveat(&self) -> Option<String> {
        match self.end? {
            ListEnd::Complete => None,
            ListEnd::Bounded {
                total_count: Some(total),
            } => Some(format!(
                "Stopped after {} of {}: Hookpanel reads at most {} webhooks of one list.",
                grouped(self.items.len() as u64),
                grouped(total),
                grouped(self.bound as u64)
            )),
            ListEnd::Bounded { total_count: None } => Some(format!(
                "Stopped after {}: Hookpanel reads at most {} webhooks of one list, and the vendor has more.",
                grouped(self.items.len() as u64),
                grouped(self.bound as u64)
            )),
            ListEnd::Repeated => Some(format!(
                "The vendor sent page {} again as page {}: the list may be incomplete.",
                self.page.saturating_sub(1).max(1),
                self.page
            )),
        }
    }

    /// The subscriptions read.
    pub fn into_items(self) -> Vec<Subscription> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::SubscriptionStatus;

    fn subs(ids: std::ops::Range<u32>) -> Vec<Subscription> {
        ids.map(|i| Subscription {
            id: i.to_string(),
            status: SubscriptionStatus::Active,
            target_url: None,
            events: Vec::new(),
            created_at: None,
            raw: serde_json::Value::Null,
        })
        .collect()
    }

    fn page(ids: std::ops::Range<u32>, more: bool) -> ListPage {
        ListPage {
            items: subs(ids),
            more,
            total_pages: None,
            total_count: None,
        }
    }

    #[test]
    fn pages_are_read_until_the_vendor_says_no_more() {
        let mut read = ListRead::default();
        assert!(matches!(read.next_call(), Some(Call::List { page: 1 })));
        assert_eq!(read.add(page(0..25, true)), Next::Page(2));
        assert!(matches!(read.next_call(), Some(Call::List { page: 2 })));
        assert_eq!(read.progress(), "Reading page 2…");
        assert_eq!(read.add(page(25..30, false)), Next::Done(ListEnd::Complete));
        assert!(read.next_call().is_none());
        assert_eq!(read.items().len(), 30);
        assert_eq!(read.caveat(), None);
    }

    #[test]
    fn the_totals_show_in_the_progress_and_end_the_read() {
        let mut read = ListRead::default();
        let first = ListPage {
            total_pages: Some(3),
            total_count: Some(60),
            ..page(0..25, true)
        };
        assert_eq!(read.add(first), Next::Page(2));
        assert_eq!(read.progress(), "Reading page 2 of 3…");
        assert_eq!(read.add(page(25..50, true)), Next::Page(3));
        // The last page by the vendor's count ends the read even if `more` is wrongly set.
        assert_eq!(read.add(page(50..60, true)), Next::Done(ListEnd::Complete));
    }

    #[test]
    fn the_bound_stops_the_read_and_says_where() {
        let mut read = ListRead::new(60);
        let first = ListPage {
            total_count: Some(100),
            ..page(0..25, true)
        };
        assert_eq!(read.add(first), Next::Page(2));
        assert_eq!(read.add(page(25..50, true)), Next::Page(3));
        assert_eq!(
            read.add(page(50..75, true)),
            Next::Done(ListEnd::Bounded {
                total_count: Some(100)
            })
        );
        assert_eq!(read.items().len(), 60);
        assert_eq!(
            read.caveat().as_deref(),
            Some("Stopped after 60 of 100: Hookpanel reads at most 60 webhooks of one list.")
        );
    }

    #[test]
    fn a_vendor_that_repeats_a_page_ends_the_read_without_copies() {
        let mut read = ListRead::default();
        assert_eq!(read.add(page(0..25, true)), Next::Page(2));
        assert_eq!(read.add(page(0..25, true)), Next::Done(ListEnd::Repeated));
        assert_eq!(read.items().len(), 25);
        assert!(read.caveat().is_some_and(|c| c.contains("incomplete")));
    }
}
