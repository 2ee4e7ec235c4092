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
    for name in [format!("{stem}_bg.wasm"), glue.clone()] {
        copy(&bound.join(&name), &staging.join(&name))?;
    }

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
    write(&staging.join(&link), &loader)?;

    // Trunk's preload links carry each file's hash; the two files are new.
    let index = staging.join("index.html");
    let mut html = read(&index)?;
    for name in [format!("{stem}_bg.wasm"), glue] {
        html = set_integrity(
            &html,
            &name,
            &std::fs::read(staging.join(&name)).map_err(|e| format!("cannot read {name}: {e}"))?,
        );
    }
    write(&index, &html)?;
    println!(
        "xtask: split the wasm into the main module and {} chunks ({link})",
        split.split_modules.len()
    );
    Ok(())
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
