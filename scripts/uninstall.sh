#!/usr/bin/env bash
# Removes what scripts/install.sh installed. Your databases, settings and log stay where they
# are (see the README's "Where your data lives").
set -euo pipefail
bin_dir=${XDG_BIN_HOME:-$HOME/.local/bin}
data=${XDG_DATA_HOME:-$HOME/.local/share}

rm -f "$bin_dir/folio" \
  "$data/applications/folio.desktop" \
  "$data/mime/packages/folio.xml" \
  "$data/metainfo/io.github.folio.Folio.metainfo.xml" \
  "$data/icons/hicolor/scalable/apps/folio.svg"
for size in 16 32 48 64 128 256 512; do
  rm -f "$data/icons/hicolor/${size}x${size}/apps/folio.png"
done

command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "Removed Folio. Your notes and contacts were not touched."
