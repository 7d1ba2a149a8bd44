//! What the app says about itself: name, version, licence, its icon, and
//! where the documentation installed beside it lives.

use std::path::{Path, PathBuf};

use resvg::{tiny_skia, usvg};
use thiserror::Error;

/// The app's version, from Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The licence, as an SPDX expression.
pub const LICENSE: &str = env!("CARGO_PKG_LICENSE");
/// One line on what the app is for.
pub const DESCRIPTION: &str = env!("CARGO_PKG_DESCRIPTION");

/// The icon's source; the window icon and every packaged icon are rendered
/// from it.
pub const ICON_SVG: &str = include_str!("../assets/icon.svg");

/// The icon sizes (pixels a side) that desktops look for in the hicolor
/// theme and that the Windows and macOS icon files carry.
pub const ICON_SIZES: &[u32] = &[16, 24, 32, 48, 64, 128, 256, 512];

/// The documents that ship with the app, as (title, path under the
/// documentation folder).
pub const DOCS: &[(&str, &str)] = &[
    ("User guide (README)", "README.md"),
    ("Case-study format", "docs/case-study-format.md"),
    ("Simulator", "docs/simulator.md"),
    ("Design review rules", "docs/design-review.md"),
    ("Mock interviews", "docs/mock-interviews.md"),
    ("Back-of-envelope estimator", "docs/estimator.md"),
    ("Importing Mermaid and DOT", "docs/import.md"),
];

/// Largest icon side rendered; a guard against a mistaken size.
const MAX_ICON_SIDE: u32 = 1024;

/// Why the icon could not be drawn.
#[derive(Debug, Error)]
pub enum IconError {
    #[error("assets/icon.svg: {0}")]
    Svg(String),
    #[error("icon size {0} is not between 1 and {MAX_ICON_SIDE} pixels")]
    Size(u32),
}

/// The icon drawn `size` × `size` pixels.
fn icon_pixmap(size: u32) -> Result<tiny_skia::Pixmap, IconError> {
    if size == 0 || size > MAX_ICON_SIDE {
        return Err(IconError::Size(size));
    }
    let tree = usvg::Tree::from_str(ICON_SVG, &usvg::Options::default())
        .map_err(|e| IconError::Svg(e.to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size, size).ok_or(IconError::Size(size))?;
    let scale = size as f32 / tree.size().width().max(tree.size().height());
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// The icon as straight (not premultiplied) RGBA bytes, row by row, as
/// window systems take it.
pub fn icon_rgba(size: u32) -> Result<Vec<u8>, IconError> {
    let pixmap = icon_pixmap(size)?;
    Ok(pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect())
}

/// The icon as a PNG file's bytes.
pub fn icon_png(size: u32) -> Result<Vec<u8>, IconError> {
    icon_pixmap(size)?
        .encode_png()
        .map_err(|e| IconError::Svg(e.to_string()))
}

/// The folder holding the documentation that came with the binary at
/// `exe`, if there is one: `PREFIX/share/doc/mlsd-studio` for a binary in
/// `PREFIX/bin` (the packages and the tarball), or the source tree for a
/// binary built in its `target/` folder.
pub fn docs_dir_for(exe: &Path) -> Option<PathBuf> {
    let bin_dir = exe.parent()?;
    let installed = bin_dir.join("../share/doc/mlsd-studio");
    let source_tree = bin_dir.join("../..");
    [installed, source_tree]
        .into_iter()
        .find(|dir| DOCS.iter().all(|(_, file)| dir.join(file).is_file()))
        .map(|dir| dir.canonicalize().unwrap_or(dir))
}

/// [`docs_dir_for`] the running binary.
pub fn docs_dir() -> Option<PathBuf> {
    docs_dir_for(&std::env::current_exe().ok()?)
}

/// A `file://` address of `path`, with the characters that cannot stand in
/// an address escaped.
pub fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icon_sizes_render_to_opaque_centres_and_clear_corners() {
        for &size in ICON_SIZES {
            let rgba = icon_rgba(size).unwrap();
            assert_eq!(rgba.len(), (size * size * 4) as usize);
            let alpha = |x: u32, y: u32| rgba[((y * size + x) * 4 + 3) as usize];
            assert_eq!(alpha(size / 2, size / 2), 255, "{size}px centre");
            assert_eq!(alpha(0, 0), 0, "{size}px corner is rounded off");
        }
    }

    #[test]
    fn png_is_a_png_of_the_size_asked() {
        let png = icon_png(48).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        // The IHDR chunk holds width and height, big-endian, at bytes 16..24.
        assert_eq!(u32::from_be_bytes([png[16], png[17], png[18], png[19]]), 48);
        assert_eq!(u32::from_be_bytes([png[20], png[21], png[22], png[23]]), 48);
    }

    #[test]
    fn absurd_sizes_are_refused() {
        assert!(matches!(icon_rgba(0), Err(IconError::Size(0))));
        assert!(matches!(icon_png(100_000), Err(IconError::Size(100_000))));
    }

    #[test]
    fn docs_are_found_beside_an_installed_binary_and_not_elsewhere() {
        let root = tempfile::tempdir().unwrap();
        let exe = root.path().join("usr/bin/mlsd-studio");
        std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
        assert_eq!(docs_dir_for(&exe), None);
        let docs = root.path().join("usr/share/doc/mlsd-studio");
        for (_, file) in DOCS {
            let path = docs.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "# doc\n").unwrap();
        }
        assert_eq!(docs_dir_for(&exe), Some(docs.canonicalize().unwrap()));
    }

    #[test]
    fn docs_are_found_in_the_source_tree_of_a_built_binary() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let exe = manifest.join("target/debug/mlsd-studio");
        assert_eq!(docs_dir_for(&exe), Some(manifest.canonicalize().unwrap()));
    }

    #[test]
    fn file_urls_escape_spaces_and_keep_slashes() {
        assert_eq!(
            file_url(Path::new("/usr/share/doc/my docs/a#b.md")),
            "file:///usr/share/doc/my%20docs/a%23b.md"
        );
    }
}
