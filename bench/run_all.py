"""Run every benchmark in bench/ in turn, each in its own process (each prints its own
figures; a benchmark that ends with an exit status, or leaves state behind, does not stop
or disturb the ones after it). Exits non-zero when any benchmark did."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

failed = []
for path in sorted(Path(__file__).parent.glob("bench_*.py")):
    print(f"== {path.name}", flush=True)
    if subprocess.run([sys.executable, str(path)], check=False).returncode != 0:
        failed.append(path.name)
if failed:
    print(f"failed or missed a target: {', '.join(failed)}")
sys.exit(1 if failed else 0)
