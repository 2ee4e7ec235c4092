//! Files the admin takes away or brings in: a download made in the page (a Blob, never a URL
//! with the content in it), and the text of a file chosen in a file input.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `text` as a download named `name`. Returns false if the browser refused.
pub fn download(name: &str, mime: &str, text: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let done = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .map(|a| {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        })
        .is_some();
    let _ = web_sys::Url::revoke_object_url(&url);
    done
}

/// The text of the first file chosen in a file input, or why it cannot be read.
pub async fn read_chosen(input: &web_sys::HtmlInputElement) -> Result<(String, String), String> {
    let file = input
        .files()
        .and_then(|files| files.get(0))
        .ok_or("Choose a file first.")?;
    // The same bound as a draft's: a ledger of 10,000 webhooks is a few MB at most.
    const MAX: f64 = 32.0 * 1024.0 * 1024.0;
    if file.size() > MAX {
        return Err(format!(
            "{} is {:.0} MB; a Hookpanel file is a few MB at most.",
            file.name(),
            file.size() / 1_048_576.0
        ));
    }
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| format!("The browser could not read {}.", file.name()))?;
    Ok((file.name(), text.as_string().unwrap_or_default()))
}

/// A name fit for a file: letters, digits and dashes.
pub fn slug(text: &str) -> String {
    let slug: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "connection".into()
    } else {
        slug
    }
}
