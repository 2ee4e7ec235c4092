//! Splits the release wasm at its screens (`src/lazy.rs`), in Trunk's post-build hook.
//!
//! Trunk builds the wasm and binds it with wasm-bindgen; it cannot split it. A release build made
//! by xtask ([`release_env`]) is compiled with `--cfg hookpanel_split` (each lazy screen becomes a
//! `wasm_split` split point) and `--emit-relocs` (the relocations the splitter needs). This hook
//! then takes cargo's wasm (before wasm-bindgen), cuts it with `wasm_split_cli_support` into the
//! main module and one chunk per split module (plus chunks of code several screens share), binds
//! the main module with the same wasm-bindgen Trunk used, and puts it in place of Trunk's files
//! under the same names. The chunks and their loader carry a hash of the build in their names, as
//! Trunk's files do, so a page never fetches a chunk of another build from a CDN's cache.
//!
//! A build without the cfg (`trunk serve`, a plain `trunk build --release`) has no split point,
//! and the hook leaves it as it is.

use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

use crate::proc::{cmd, exec, target_dir};

/// What the hook is told that a build is to be split.
const SPLIT_ENV: &str = "HOOKPANEL_SPLIT";

/// The environment of a release build that is split: the cfg that makes the screens split points,
/// the relocations the splitter reads, and symbols kept until wasm-bindgen drops them (the release
/// profile's `strip` would take the linking section away). The variable replaces the target's
/// `rustflags` in `.cargo/config.toml`, so Leptos's `erase_components` is restated.
pub fn release_env() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "--cfg erase_components --cfg hookpanel_split -Clink-args=--emit-relocs",
        ),
        ("CARGO_PROFILE_RELEASE_STRIP", "false"),
        (SPLIT_ENV, "1"),
    ]
}

/// The post-build step: splits the wasm in `staging` if this build asked for it.
pub fn run(staging: &Path) -> Result<(), String> {
    if std::env::var(SPLIT_ENV).as_deref() != Ok("1") {
        return Ok(());
    }
    if std::env::var("TRUNK_PROFILE").as_deref() != Ok("release") {
        return Err(format!(
            "{SPLIT_ENV}=1 is for release builds (cargo xtask dist); this is a {} build",
            std::env::var("TRUNK_PROFILE").unwrap_or_default()
        ));
    }
    let input_path = target_dir().join("wasm32-unknown-unknown/release/hookpanel-app.wasm");
    let input = std::fs::read(&input_path)
        .map_err(|e| format!("cannot read cargo's wasm {}: {e}", input_path.display()))?;
    let bg = find(staging, |name| {
        name.starts_with("hookpanel-app-") && name.ends_with("_bg.wasm")
    })?;
    let stem = bg
        .strip_suffix("_bg.wasm")
        .ok_or("Trunk's wasm has no _bg.wasm suffix")?
        .to_string();
    let glue = format!("{stem}.js");
    if !staging.join(&glue).is_file() {
        return Err(format!("Trunk wrote {bg} but no {glue}"));
    }

    let build = hex(&Sha256::digest(&input)[..8]);
    let link = format!("hookpanel-split-{build}.js");
    let work = target_dir().join("hookpanel-split");
    let _ = std::fs::remove_dir_all(&work);
    let chunks_dir = work.join("chunks");
    std::fs::create_dir_all(&chunks_dir)
        .map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let main_out = work.join("main.wasm");
    let link_name = format!("./{link}");
    let main_module = format!("./{glue}");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &chunks_dir;
        opts.main_out_path = &main_out;
        opts.link_name = &link_name;
        opts.main_module = &main_module;
        opts
    })
    .map_err(|e| format!("splitting {}: {e:#}", input_path.display()))?;
    if split.split_modules.is_empty() {
        return Err(format!(
            "{} has no split point: was it built with --cfg hookpanel_split?",
            input_path.display()
        ));
    }

    // Bind the main module as Trunk bound its own (target web, no typings), and drop the names
    // and producers the unstripped build kept.
    let bound = work.join("bound");
    exec(
        cmd("wasm-bindgen")
            .args(["--target", "web", "--no-typescript"])
            .args(["--remove-name-section", "--remove-producers-section"])
            // The chunks import the function table, which wasm-bindgen drops unless told.
            .arg("--keep-lld-exports")
            .arg("--out-dir")
            .arg(&bound)
            .args(["--out-name", &stem])
            .arg(&main_out),
    )?;
    copy(
        &bound.join(format!("{stem}_bg.wasm")),
        &staging.join(format!("{stem}_bg.wasm")),
    )?;
    write(
        &staging.join(&glue),
        &without_whitespace(&read(&bound.join(&glue))?, &glue)?,
    )?;

    // Chunks named by the build; the loader fetches them by those names.
    let mut loader = std::fs::read_to_string(chunks_dir.join(&link))
        .map_err(|e| format!("the splitter wrote no loader {link}: {e}"))?;
    for chunk in &split.split_modules {
        let file = chunk
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or("a chunk without a file name")?;
        let chunk_stem = file
            .strip_suffix(".wasm")
            .ok_or("a chunk that is not .wasm")?;
        let named = format!("hookpanel-{chunk_stem}-{build}.wasm");
        let quoted = format!("\"./{file}\"");
        if !loader.contains(&quoted) {
            return Err(format!("the loader {link} does not fetch {file}"));
        }
        loader = loader.replace(&quoted, &format!("\"./{named}\""));
        let bytes = std::fs::read(chunk).map_err(|e| format!("cannot read {file}: {e}"))?;
        std::fs::write(staging.join(&named), without_custom_sections(&bytes)?)
            .map_err(|e| format!("cannot write {named}: {e}"))?;
    }
    let loader = without_whitespace(
        &chunks_compiled_anywhere(&loader, split.split_modules.len())?,
        &link,
    )?;
    write(&staging.join(&link), &loader)?;

    // Trunk's preload links carry each file's hash; the two files are new.
    let index = staging.join("index.html");
    let mut html = read(&index)?;
    for name in [format!("{stem}_bg.wasm"), glue.clone()] {
        html = set_integrity(
            &html,
            &name,
            &std::fs::read(staging.join(&name)).map_err(|e| format!("cannot read {name}: {e}"))?,
        );
    }
    let html = preload_module(&html, &glue, &link, loader.as_bytes())?;
    write(
        &index,
        &without_comments(&compile_while_loading(&html, &stem)?),
    )?;
    println!(
        "xtask: split the wasm into the main module and {} chunks ({link})",
        split.split_modules.len()
    );
    Ok(())
}

/// `html` with a `modulepreload` of the chunks' loader `link` beside the glue's: the glue imports
/// the loader, so without it the browser learns of the loader only once the glue is in, and
/// fetches it a round trip later.
fn preload_module(html: &str, glue: &str, link: &str, bytes: &[u8]) -> Result<String, String> {
    let glue_preload = format!("<link rel=\"modulepreload\" href=\"./{glue}\"");
    if !html.contains(&glue_preload) {
        return Err(format!("Trunk's page has no {glue_preload}>"));
    }
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes));
    Ok(html.replacen(
        &glue_preload,
        &format!(
            "<link rel=\"modulepreload\" href=\"./{link}\" crossorigin=\"anonymous\" \
             integrity=\"sha384-{hash}\">{glue_preload}"
        ),
        1,
    ))
}

/// A wasm file compiled from its `fetch`: as it arrives where the host sends `application/wasm`
/// (which streaming compilation needs), else once it is all in, with a warning (a host that does
/// not know the type sends `application/octet-stream`), as wasm-bindgen's own loader does.
const COMPILE_WASM: &str = r#"async function hookpanelCompileWasm(fetched) {
  const response = await fetched;
  if (!response.ok) throw new Error(`cannot fetch ${response.url}: ${response.status} ${response.statusText}`);
  const type = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
  if (type === "application/wasm") return WebAssembly.compileStreaming(response);
  console.warn(`Hookpanel: the host sends ${response.url} as "${type}", not application/wasm, so it is compiled only once it is all in`);
  return WebAssembly.compile(await response.arrayBuffer());
}
"#;

/// What the page says when it cannot start: a file that did not arrive (an old page against a
/// host that no longer has its files, a host missing some), or a browser without WebAssembly.
/// Until now, a blank page. It says so only before the app is up and when the app's own crash
/// banner is not shown. A wasm that does not arrive is an unhandled rejection if the glue does not
/// await it yet, an uncaught error if it does: both say the thrown error's own message (an error
/// event's `message` wraps it in "Uncaught Error: …").
const START_FAILED: &str = r#"(() => {
  const failed = (why) => {
    if (document.documentElement.hasAttribute("data-hookpanel-ready") || document.querySelector(".crash")) return;
    const notice = document.createElement("div");
    notice.className = "crash";
    notice.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = `Hookpanel could not start: ${why}. Reload the page; if this happens again, the host may be missing some of the page's files.`;
    notice.append(text);
    // The script runs in <head>: a file can fail before the parser reaches <body>.
    if (document.body) document.body.prepend(notice);
    else addEventListener("DOMContentLoaded", () => document.body.prepend(notice));
  };
  addEventListener("unhandledrejection", (e) => failed(e.reason?.message ?? String(e.reason)));
  addEventListener("error", (e) => {
    if (e.target instanceof HTMLScriptElement) failed("one of its scripts did not load");
    else if (e instanceof ErrorEvent) failed(e.error?.message ?? e.message);
  }, true);
})();
"#;

/// The splitter's loader with each chunk compiled by [`COMPILE_WASM`]: its own code streams
/// every chunk, which fails where the host does not send `application/wasm`, and the screens
/// would never load there.
fn chunks_compiled_anywhere(loader: &str, chunks: usize) -> Result<String, String> {
    let streamed = "WebAssembly.instantiateStreaming(src, imports)";
    if loader.matches(streamed).count() != chunks {
        return Err(format!(
            "the splitter's loader does not instantiate each of its {chunks} chunks with {streamed}"
        ));
    }
    Ok(format!(
        "{}\n{COMPILE_WASM}",
        loader.replace(
            streamed,
            "hookpanelCompileWasm(src).then(async (module) => \
             ({ module, instance: await WebAssembly.instantiate(module, imports) }))"
        )
    ))
}

/// Trunk's page with the wasm compiled while the scripts load: Trunk's loader is a module script,
/// which runs only once the glue and the chunks' loader it imports are in, and only then asked for
/// the wasm and compiled it. A classic script before it fetches and compiles the wasm
/// ([`COMPILE_WASM`]) and Trunk's loader is handed the module; the same script says so on the
/// page if the app cannot start ([`START_FAILED`]). It goes before the page's first stylesheet: a
/// classic script after a stylesheet waits until the stylesheet is in, so the wasm would be asked
/// for a round trip late. Trunk's `preload` of the wasm goes: the early fetch is that preload,
/// and Chromium would not match a `fetch` made before the `<link>`, so it would fetch the file
/// twice.
fn compile_while_loading(html: &str, stem: &str) -> Result<String, String> {
    let wasm = format!("{stem}_bg.wasm");
    let loader = "<script type=\"module\">";
    let path_arg = format!("module_or_path: './{wasm}'");
    let (Some(at), true) = (html.find(loader), html.contains(&path_arg)) else {
        return Err(format!(
            "Trunk's loader is not the one this hook knows ({loader} … {path_arg})"
        ));
    };
    // Fetched and compiled from the moment the page is parsed, while the scripts load.
    let early = format!(
        "<script>\n{START_FAILED}{COMPILE_WASM}window.hookpanelWasm = hookpanelCompileWasm(fetch(\"./{wasm}\"));\n</script>\n"
    );
    let first_stylesheet = html[..at].find("<link rel=\"stylesheet\"").unwrap_or(at);
    let mut out = String::with_capacity(html.len() + 2 * early.len());
    out.push_str(&html[..first_stylesheet]);
    out.push_str(&early);
    out.push_str(&html[first_stylesheet..at]);
    out.push_str(&html[at..].replacen(&path_arg, "module_or_path: window.hookpanelWasm", 1));
    let preload = format!("<link rel=\"preload\" href=\"./{wasm}\"");
    let start = out
        .find(&preload)
        .ok_or_else(|| format!("Trunk's page has no {preload}>"))?;
    let end = out[start..]
        .find('>')
        .map(|e| start + e + 1)
        .ok_or("Trunk's preload of the wasm is not closed")?;
    out.replace_range(start..end, "");
    Ok(out)
}

/// The page without its HTML comments: notes for whoever edits `index.html`, which every admin
/// would otherwise download first. A `<script>`'s text is kept as it is; a line a comment leaves
/// empty goes.
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let comment = rest.find("<!--");
        let script = rest.find("<script");
        match (comment, script) {
            (Some(at), script) if script.is_none_or(|s| at < s) => {
                out.push_str(rest[..at].trim_end_matches([' ', '\t']));
                let end = rest[at..].find("-->").map_or(rest.len(), |e| at + e + 3);
                rest = &rest[end..];
                let after = rest.trim_start_matches([' ', '\t']);
                if (out.is_empty() || out.ends_with('\n')) && after.starts_with('\n') {
                    rest = &after[1..];
                }
            }
            (_, Some(at)) => {
                let end = rest[at..]
                    .find("</script>")
                    .map_or(rest.len(), |e| at + e + "</script>".len());
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// The ES module `js` (the file `name`) printed again without whitespace and comments: the same
/// statements, names and strings (oxc's parser and printer; nothing renamed or rewritten). The glue
/// and the chunks' loader are downloaded before the first screen: 1.2 KB brotli less.
fn without_whitespace(js: &str, name: &str) -> Result<String, String> {
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, js, oxc_span::SourceType::mjs()).parse();
    if let Some(first) = parsed.diagnostics.first() {
        return Err(format!(
            "{name} is not a module oxc can read ({} problems), so it cannot be minified: {first}",
            parsed.diagnostics.len()
        ));
    }
    Ok(oxc_codegen::Codegen::new()
        .with_options(oxc_codegen::CodegenOptions::minify())
        .build(&parsed.program)
        .code)
}

/// `wasm` without its custom sections: the unstripped build's names and producers, which
/// wasm-bindgen drops from the main module but nothing drops from a chunk.
fn without_custom_sections(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let mut module = wasm_encoder::Module::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| format!("a chunk does not parse: {e}"))?;
        if let Some((id, range)) = payload.as_section()
            && id != 0
        {
            let data = usize::try_from(range.start)
                .ok()
                .zip(usize::try_from(range.end).ok())
                .and_then(|(start, end)| wasm.get(start..end))
                .ok_or("a chunk's section lies outside it")?;
            module.section(&wasm_encoder::RawSection { id, data });
        }
    }
    Ok(module.finish())
}

/// `html` with the `integrity` of the tag that names `file` made `bytes`' SHA-384.
fn set_integrity(html: &str, file: &str, bytes: &[u8]) -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes));
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let end = rest[at..]
            .find('>')
            .map(|e| at + e + 1)
            .unwrap_or(rest.len());
        let tag = &rest[at..end];
        if tag.contains(file) && tag.contains("integrity=\"") {
            let start = tag.find("integrity=\"").unwrap_or(0) + "integrity=\"".len();
            let stop = tag[start..]
                .find('"')
                .map(|s| start + s)
                .unwrap_or(tag.len());
            out.push_str(&tag[..start]);
            out.push_str("sha384-");
            out.push_str(&hash);
            out.push_str(&tag[stop..]);
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    // A page without integrity attributes (data-integrity="none") is left as it is.
    out
}

fn find(dir: &Path, want: impl Fn(&str) -> bool) -> Result<String, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .find(|name| want(name))
        .ok_or_else(|| format!("Trunk wrote no hookpanel-app wasm into {}", dir.display()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn copy(from: &Path, to: &PathBuf) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The end of the page Trunk 0.21 writes for `public_url = "./"`.
    const TRUNK_PAGE: &str = r#"<head><link rel="stylesheet" href="./main-1.css"/>
<script type="module">
import init, * as bindings from './hookpanel-app-ab.js';
const wasm = await init({ module_or_path: './hookpanel-app-ab_bg.wasm' });
</script>
  <link rel="modulepreload" href="./hookpanel-app-ab.js" crossorigin="anonymous" integrity="sha384-g"><link rel="preload" href="./hookpanel-app-ab_bg.wasm" crossorigin="anonymous" integrity="sha384-w" as="fetch" type="application/wasm"></head>"#;

    #[test]
    fn a_module_loses_its_whitespace_and_comments_and_keeps_its_names() {
        let js = "/** The glue. */\nimport { a } from './x.js';\n\nexport function init(module_or_path) {\n    // a note\n    return a(module_or_path, `x ${1}`);\n}\n";
        assert_eq!(
            without_whitespace(js, "glue.js").unwrap(),
            "import{a}from\"./x.js\";export function init(module_or_path){return a(module_or_path,`x ${1}`)}"
        );
    }

    #[test]
    fn a_file_that_is_not_a_module_fails_the_build_with_its_name() {
        let error = without_whitespace("export function (", "hookpanel-split-1.js").unwrap_err();
        assert!(
            error.starts_with("hookpanel-split-1.js is not a module"),
            "{error}"
        );
    }

    #[test]
    fn comments_go_and_scripts_stay_as_they_are() {
        let page = "<head>\n    <!-- a note\n         on two lines -->\n    <meta a>\n    <!-- x --><meta b>\n<script>\nconst s = \"<!-- kept -->\";\n</script>\n<!--last-->";
        assert_eq!(
            without_comments(page),
            "<head>\n    <meta a>\n<meta b>\n<script>\nconst s = \"<!-- kept -->\";\n</script>\n"
        );
        assert_eq!(without_comments("<p>no comment</p>"), "<p>no comment</p>");
    }

    #[test]
    fn the_wasm_is_fetched_by_the_early_script_alone_and_its_module_handed_to_trunks_loader() {
        let page = compile_while_loading(TRUNK_PAGE, "hookpanel-app-ab").unwrap();
        let early = page.find(
            "window.hookpanelWasm = hookpanelCompileWasm(fetch(\"./hookpanel-app-ab_bg.wasm\"))",
        );
        let loader = page.find("<script type=\"module\">");
        assert!(early.is_some() && early < loader, "{page}");
        // Not held back until the stylesheet is in.
        assert!(early < page.find("<link rel=\"stylesheet\""), "{page}");
        assert!(
            page.contains("init({ module_or_path: window.hookpanelWasm })"),
            "{page}"
        );
        assert!(
            !page.contains("rel=\"preload\""),
            "a second request: {page}"
        );
        assert_eq!(page.matches("_bg.wasm").count(), 1, "{page}");
        assert!(
            page[..loader.unwrap_or(0)].contains("Hookpanel could not start"),
            "{page}"
        );
        // The glue's own preload stays.
        assert!(page.contains("rel=\"modulepreload\" href=\"./hookpanel-app-ab.js\""));
    }

    #[test]
    fn a_loader_this_hook_does_not_know_fails_the_build_with_what_it_looked_for() {
        let other = TRUNK_PAGE.replace("module_or_path: './hookpanel-app-ab_bg.wasm'", "x");
        let err = compile_while_loading(&other, "hookpanel-app-ab").unwrap_err();
        assert!(
            err.contains("module_or_path: './hookpanel-app-ab_bg.wasm'"),
            "{err}"
        );
        let no_preload = TRUNK_PAGE.replace("rel=\"preload\"", "rel=\"other\"");
        let err = compile_while_loading(&no_preload, "hookpanel-app-ab").unwrap_err();
        assert!(err.contains("<link rel=\"preload\""), "{err}");
    }

    #[test]
    fn each_chunk_is_compiled_by_the_function_that_also_reads_a_plain_hosts_wasm() {
        let streamed =
            "return async (imports) => (WebAssembly.instantiateStreaming(src, imports));";
        let loader = format!("const a = {streamed}\nconst b = {streamed}\n");
        let out = chunks_compiled_anywhere(&loader, 2).unwrap();
        assert!(!out.contains("instantiateStreaming"), "{out}");
        assert_eq!(out.matches("hookpanelCompileWasm(src)").count(), 2, "{out}");
        assert!(
            out.contains("async function hookpanelCompileWasm(fetched)"),
            "{out}"
        );
        let err = chunks_compiled_anywhere(&loader, 3).unwrap_err();
        assert!(err.contains("each of its 3 chunks"), "{err}");
    }

    #[test]
    fn the_chunks_loader_is_preloaded_beside_the_glue_with_its_hash() {
        let page = preload_module(
            TRUNK_PAGE,
            "hookpanel-app-ab.js",
            "hookpanel-split-1.js",
            b"x",
        )
        .unwrap();
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(b"x"));
        let link = format!(
            "<link rel=\"modulepreload\" href=\"./hookpanel-split-1.js\" crossorigin=\"anonymous\" \
             integrity=\"sha384-{hash}\"><link rel=\"modulepreload\" href=\"./hookpanel-app-ab.js\""
        );
        assert!(page.contains(&link), "{page}");
        assert!(preload_module(TRUNK_PAGE, "other.js", "l.js", b"x").is_err());
    }
}
