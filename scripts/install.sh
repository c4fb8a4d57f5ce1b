#!/usr/bin/env bash
# Installs Folio for the current user, under the XDG directories: the binary, the desktop
# entry (so it is in the launcher), the icons, the .folio file type and the AppStream data.
#
#   scripts/install.sh                 builds the release binary, then installs it
#   scripts/install.sh --binary PATH   installs an already built binary
#
# Where things go: $XDG_BIN_HOME (default ~/.local/bin) and $XDG_DATA_HOME (default
# ~/.local/share). scripts/uninstall.sh removes exactly these files; your notes stay.
set -euo pipefail

binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary)
      [ $# -ge 2 ] || { echo "--binary needs a path" >&2; exit 2; }
      # Absolute before the cd below, so a relative path means what the caller meant.
      binary=$(realpath -- "$2") || { echo "no binary at $2" >&2; exit 1; }
      shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
if [ -z "$binary" ]; then
  cargo build --release
  binary=target/release/folio
fi
[ -x "$binary" ] || { echo "no binary at $binary" >&2; exit 1; }

bin_dir=${XDG_BIN_HOME:-$HOME/.local/bin}
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$bin_dir" "$data/applications" "$data/mime/packages" "$data/metainfo"

install -m 0755 "$binary" "$bin_dir/folio"
# The launcher runs the binary by its full path: ~/.local/bin is not on every session's PATH.
# Escaped for sed's replacement text (a folder name may hold & or |).
target=$(printf '%s' "$bin_dir/folio" | sed -e 's/[\\&|]/\\&/g')
sed -e "s|^Exec=folio |Exec=\"$target\" |" -e "s|^TryExec=folio$|TryExec=$target|" \
  assets/folio.desktop > "$data/applications/folio.desktop"
chmod 0644 "$data/applications/folio.desktop"
for size in 16 32 48 64 128 256 512; do
  dir="$data/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  install -m 0644 "assets/icons/folio-$size.png" "$dir/folio.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps"
install -m 0644 assets/icons/folio.svg "$data/icons/hicolor/scalable/apps/folio.svg"
install -m 0644 assets/folio-mime.xml "$data/mime/packages/folio.xml"
install -m 0644 assets/io.github.folio.Folio.metainfo.xml "$data/metainfo/io.github.folio.Folio.metainfo.xml"

# Refresh the desktop's caches where the tools exist; a missing tool only delays the change.
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
command -v xdg-mime >/dev/null && xdg-mime default folio.desktop application/x-folio || true

echo "Installed Folio: $bin_dir/folio, with its launcher entry, icons and the .folio file type."
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) echo "Note: $bin_dir is not on your PATH; the launcher works, but to type 'folio' add it." ;;
esac
