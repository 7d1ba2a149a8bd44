#!/bin/sh
# Installs mlsd-studio from this unpacked tarball: the binary, the menu
# entry, the .mlsd file type, the icons and the documentation.
#
#   ./install.sh                  into ~/.local (or /usr/local as root)
#   ./install.sh --prefix DIR     into DIR (DIR/bin, DIR/share)
#   ./install.sh --uninstall      removes what install put there (same --prefix)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
action=install
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }
              prefix=$2; shift 2 ;;
    --uninstall) action=uninstall; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# Every file of the package, relative to the prefix.
files=$(cd "$here" && find bin share -type f | sort)

refresh_caches() {
  # Each tool is optional: without it the desktop picks changes up later.
  if command -v update-mime-database >/dev/null 2>&1 && [ -d "$prefix/share/mime/packages" ]; then
    update-mime-database "$prefix/share/mime" || true
  fi
  if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$prefix/share/applications" ]; then
    update-desktop-database -q "$prefix/share/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$prefix/share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
  fi
}

if [ "$action" = uninstall ]; then
  for f in $files; do rm -f "$prefix/$f"; done
  # Remove the folders only this package used (rmdir keeps non-empty ones).
  for d in share/doc/mlsd-studio/docs share/doc/mlsd-studio; do
    rmdir "$prefix/$d" 2>/dev/null || true
  done
  refresh_caches
  echo "mlsd-studio removed from $prefix"
  exit 0
fi

for f in $files; do
  mkdir -p "$(dirname "$prefix/$f")"
  cp "$here/$f" "$prefix/$f"
done
chmod 755 "$prefix/bin/mlsd-studio"
# The menu entry names the binary by its full path, so it starts even
# when PREFIX/bin is not on the desktop session's PATH.
desktop="$prefix/share/applications/mlsd-studio.desktop"
sed "s|^Exec=mlsd-studio |Exec=\"$prefix/bin/mlsd-studio\" |" "$desktop" >"$desktop.tmp"
mv "$desktop.tmp" "$desktop"
refresh_caches
echo "mlsd-studio installed into $prefix"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH; the menu entry works, the command needs the full path" ;;
esac
