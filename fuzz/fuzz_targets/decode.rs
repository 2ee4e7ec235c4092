//! Every vendor answer decoder on arbitrary answers: bytes become a status, headers and a body,
//! which are decoded for every vendor and action, and as a Kajabi token answer.
//!
//! Input layout (so seeds can be written by hand): two bytes of status (taken modulo 500, plus
//! 100), one byte of header count (modulo 4), then per header a name and a value each ended by a
//! 0 byte, then the body (as UTF-8, invalid sequences replaced). `cargo xtask fuzz` seeds the
//! corpus from `fuzz/seeds/decode/*.json` with status 200, 201, 400, 422 and 429.

#![no_main]

use hookpanel_core::{Action, HttpResponse, Outcome, VendorId, decode, decode_token};
use libfuzzer_sys::fuzz_target;

fn response(data: &[u8]) -> Option<HttpResponse> {
    let (status, rest) = data.split_first_chunk::<2>()?;
    let status = 100 + u16::from_be_bytes(*status) % 500;
    let (count, mut rest) = rest.split_first()?;
    let mut headers = Vec::new();
    for _ in 0..count % 4 {
        let mut field = || {
            let end = rest.iter().position(|b| *b == 0)?;
            let text = String::from_utf8_lossy(&rest[..end]).into_owned();
            rest = &rest[end + 1..];
            Some(text)
        };
        let name = field()?;
        let value = field()?;
        headers.push((name, value));
    }
    Some(HttpResponse {
        status,
        headers,
        body: String::from_utf8_lossy(rest).into_owned(),
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(response) = response(data) else {
        return;
    };
    let success = (200..300).contains(&response.status);
    for vendor in VendorId::ALL {
        for action in Action::ALL {
            match decode(vendor, action, &response) {
                Ok(outcome) => {
                    assert!(success, "{} decoded as success", response.status);
                    match outcome {
                        Outcome::One(s) => assert!(!s.id.is_empty(), "a webhook without id"),
                        Outcome::Page(page) => {
                            assert!(page.items.iter().all(|s| !s.id.is_empty()))
                        }
                        Outcome::Deleted | Outcome::Sample(_) | Outcome::Tested { .. } => {}
                    }
                }
                Err(error) => {
                    let _ = (error.to_string(), error.next_step(), error.problems());
                    if let Some(status) = error.status() {
                        assert_eq!(status, response.status);
                    }
                }
            }
        }
    }
    if let Ok(token) = decode_token(VendorId::Kajabi, &response) {
        assert!(success && !token.access_token.expose().is_empty());
    }
});
