//! Renders the app's icon (assets/icon.svg) to every file the packages
//! need, so no icon is ever drawn by hand:
//!
//! ```text
//! OUT/hicolor/NxN/apps/mlsd-studio.png   N in about::ICON_SIZES (Linux)
//! OUT/hicolor/scalable/apps/mlsd-studio.svg
//! OUT/mlsd-studio.ico                    16 to 256 pixels (Windows)
//! OUT/mlsd-studio.icns                   16 to 1024 pixels (macOS)
//! ```
//!
//! Run it with `cargo run --features icons --bin mlsd-studio-icons -- OUT`
//! (scripts/package does).

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use icns::{IconFamily, IconType, PixelFormat};
use mlsd_studio::about::{ICON_SIZES, ICON_SVG, icon_png, icon_rgba};

/// The sizes a Windows icon file carries (256 is its largest).
const ICO_SIZES: &[u32] = &[16, 24, 32, 48, 64, 128, 256];

/// The macOS icon types, each with its side in pixels: the PNG-based
/// types every macOS since 10.7 reads.
const ICNS_TYPES: &[(IconType, u32)] = &[
    (IconType::RGBA32_16x16, 16),
    (IconType::RGBA32_32x32, 32),
    (IconType::RGBA32_64x64, 64),
    (IconType::RGBA32_128x128, 128),
    (IconType::RGBA32_256x256, 256),
    (IconType::RGBA32_512x512, 512),
    (IconType::RGBA32_512x512_2x, 1024),
];

fn main() -> Result<(), Box<dyn Error>> {
    let out: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: mlsd-studio-icons OUT_DIR")?;
    write_hicolor(&out)?;
    write_ico(&out.join("mlsd-studio.ico"))?;
    write_icns(&out.join("mlsd-studio.icns"))?;
    println!("icons written to {}", out.display());
    Ok(())
}

/// The freedesktop icon theme's layout: one PNG per size, and the SVG.
fn write_hicolor(out: &Path) -> Result<(), Box<dyn Error>> {
    for &size in ICON_SIZES {
        let dir = out.join(format!("hicolor/{size}x{size}/apps"));
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("mlsd-studio.png"), icon_png(size)?)?;
    }
    let scalable = out.join("hicolor/scalable/apps");
    fs::create_dir_all(&scalable)?;
    fs::write(scalable.join("mlsd-studio.svg"), ICON_SVG)?;
    Ok(())
}

fn write_ico(path: &Path) -> Result<(), Box<dyn Error>> {
    let mut dir = ico::IconDir::new(ico::ResourceType::Icon);
    for &size in ICO_SIZES {
        let image = ico::IconImage::from_rgba_data(size, size, icon_rgba(size)?);
        dir.add_entry(ico::IconDirEntry::encode(&image)?);
    }
    dir.write(fs::File::create(path)?)?;
    Ok(())
}

fn write_icns(path: &Path) -> Result<(), Box<dyn Error>> {
    let mut family = IconFamily::new();
    for &(icon_type, size) in ICNS_TYPES {
        let image = icns::Image::from_data(PixelFormat::RGBA, size, size, icon_rgba(size)?)?;
        family.add_icon_with_type(&image, icon_type)?;
    }
    family.write(fs::File::create(path)?)?;
    Ok(())
}
