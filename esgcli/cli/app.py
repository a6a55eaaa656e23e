"""The `esg` application: the command modules that register themselves on `main.app`."""

from __future__ import annotations

from esgcli.cli import actions, certify, feedback, policy, registry, report, status  # noqa: F401
from esgcli.cli.main import app, main

__all__ = ["app", "main"]
