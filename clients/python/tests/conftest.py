"""The tests run against a real impmock: $IMPMOCK_BIN (relative paths from
the repository's root), else build/impmock."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
BIN = ROOT / os.environ.get("IMPMOCK_BIN", "build/impmock")
if not BIN.exists():
    raise pytest.UsageError("no impmock binary at %s (set IMPMOCK_BIN)" % BIN)
os.environ["IMPMOCK_BIN"] = str(BIN)  # what the impmock fixture starts

pytest_plugins = ["pytester"]
