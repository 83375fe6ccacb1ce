#!/usr/bin/env bash
# The main job: set up, then run the demo network (spike summary + raster PNG).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
target/release/memfire demo "$@"
