"""The `esg` application: the command modules, registered on `main.app` explicitly."""

from __future__ import annotations

from esgcli.cli import actions, certify, feedback, policy, registry, report, status  # noqa: F401
from esgcli.cli.main import app, main

for module in (feedback, certify, report, actions, registry):
    module.register(app)

__all__ = ["app", "main"]
