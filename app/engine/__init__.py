"""Recommendations: rules managers write, models learned on this laptop, guards, control groups.

The public surface (what the services and the benchmark's harness use) is re-exported here; see
docs/rules.md for the rule format and the modules for the how.
"""

from app.engine.control import ControlReport, Kpi, Outcome, compare, in_control_group
from app.engine.defaults import default_rules
from app.engine.engine import Engine, EngineSettings, triggers_of
from app.engine.facts import (
    AccountFacts,
    AccountScore,
    Action,
    Catalog,
    ContentItem,
    Feedback,
    PersonaAssignment,
    Reaction,
    Reason,
    Suggestion,
    Touchpoint,
)
from app.engine.guards import violations
from app.engine.learn import TrainedModel
from app.engine.rules import RuleError, RuleSet, Trigger, TriggerType, parse_rules

__all__ = [
    "AccountFacts", "AccountScore", "Action", "Catalog", "ContentItem", "ControlReport",
    "Engine", "EngineSettings", "Feedback", "Kpi", "Outcome", "PersonaAssignment", "Reaction",
    "Reason", "RuleError", "RuleSet", "Suggestion", "Touchpoint", "TrainedModel", "Trigger",
    "TriggerType",
    "compare", "default_rules", "in_control_group", "parse_rules", "triggers_of", "violations",
]
