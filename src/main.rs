//! Mounts Hookpanel into the page; everything else is in the library.

fn main() {
    hookpanel::start();
}
