//! CORS preflights for every vendor's paths and the control API's: the page's origin is mirrored
//! and the methods and headers each request carries are allowed.

mod support;

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

#[test]
fn preflights_are_answered_for_every_vendor() {
    let root = support::start();
    let cases = [
        ("/collect/v1/webhooks", "POST", "authorization,content-type"),
        (
            "/saleshandy/v1/webhook/create",
            "POST",
            "x-api-key,content-type,accept",
        ),
        ("/saleshandy/v1/webhook", "GET", "x-api-key,accept"),
        (
            "/superoffice/Cust12345/api/v1/Webhook/1",
            "PATCH",
            "authorization,so-apptoken,content-type,accept",
        ),
        (
            "/superoffice/Cust12345/api/v1/Webhook/1",
            "DELETE",
            "authorization",
        ),
        (
            "/kajabi/v1/hooks",
            "POST",
            "authorization,content-type,accept",
        ),
        ("/kajabi/v1/oauth/token", "POST", "content-type,accept"),
        // The control API, as browser tests call it.
        ("/_sandbox/seed", "POST", "content-type"),
        ("/_sandbox/kajabi/token-lifetime", "POST", "content-type"),
        ("/_sandbox/kajabi/expire-tokens", "POST", "content-type"),
        ("/_sandbox/kajabi/tokens", "GET", "accept"),
    ];
    for (path, method, headers) in cases {
        let (status, answer) = support::preflight(&format!("{root}{path}"), method, headers);
        assert!((200..300).contains(&status), "{path}: {status}");
        assert_eq!(
            header(&answer, "access-control-allow-origin"),
            "https://hookpanel.example",
            "{path}"
        );
        let methods = header(&answer, "access-control-allow-methods");
        assert!(methods.contains(method), "{path}: {methods}");
        let allowed = header(&answer, "access-control-allow-headers").to_ascii_lowercase();
        for h in headers.split(',') {
            assert!(allowed.contains(h), "{path}: {h} not in {allowed}");
        }
    }
}
