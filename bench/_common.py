"""Helpers the benchmark scripts share (they run as `python bench/NAME.py`)."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "sample_data" / "generate.py"


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the table or the JSON."""
    print(message, file=sys.stderr, flush=True)


def load_generator() -> ModuleType:
    """Import sample_data/generate.py by path (sample_data is no package)."""
    spec = importlib.util.spec_from_file_location("comptoir_sample_generate", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ]
