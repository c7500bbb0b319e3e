#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Renders the app icon's bitmap sizes from the scalable SVG. The bitmaps are
# committed: with them GTK draws the first window without loading librsvg.
# Run after changing data/icons/hicolor/scalable/apps/io.github.eimza.Asistan.svg.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../data/icons/hicolor"
app_id=io.github.eimza.Asistan
for size in 16 24 32 48 64 128 256; do
  mkdir -p "${size}x${size}/apps"
  rsvg-convert --width="$size" --height="$size" \
    --output="${size}x${size}/apps/$app_id.png" "scalable/apps/$app_id.svg"
done
