#!/usr/bin/env bash
# Takes the explorer's screenshots in docs/screenshots/ with headless Chromium: explore.html
# of ai-share at its own seed and replications, in normal mode (the whole page) and in
# present mode (a 1280x720 projector).
#
#   Scripts/explorer-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chromium" ]; then
  echo "needs Chromium (apt-get install chromium)" >&2
  exit 2
fi
swift build --product ensemble >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.build/debug/ensemble run ai-share --out "$work/ai-share" --quiet

shot() { # hash, window size, file
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size="$2" --virtual-time-budget=3000 \
    --screenshot="$3" "file://$work/ai-share/explore.html#$1" >/dev/null 2>&1
}
shot "metric=correct_rate&team.ai.count=3&team.experts.count=2" 1280,1080 \
  docs/screenshots/explorer.png
shot "metric=cost_per_correct&team.ai.count=5&team.experts.count=1&present=1" 1280,720 \
  docs/screenshots/explorer-present.png
echo "docs/screenshots/explorer.png and explorer-present.png written"
