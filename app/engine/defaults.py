"""The rule set shipped with the app (resources/rules/default.toml)."""

from __future__ import annotations

from app.config import resources_dir
from app.engine.rules import RuleSet, parse_rules


def default_rules() -> RuleSet:
    path = resources_dir() / "rules" / "default.toml"
    return parse_rules(path.read_text(encoding="utf-8"), "default.toml")
