"""The schema revisions this build knows, without importing Alembic at start-up.

Alembic costs ~0.26 s to import; the app only needs it when the file is behind. The list must
equal the chain in `migrations/versions` (checked by tests/store/test_migrations.py).
"""

REVISIONS: tuple[str, ...] = (
    "0001_initial", "0002_account_search", "0003_edetail_content", "0004_lock_triggers",
    "0005_sync_applies_locked_rows",
    "0006_sync_conflicts",
    "0007_medical_inquiries",
    "0008_suggestions_rule_sets",
    "0009_sync_integrity",
    "0010_sync_visibility_refusals",
    "0011_home_sales",
    "0012_clm_content",
    "0013_integration_touchpoints",
    "0014_call_not_received",
    "0015_home_calls_covered",
    "0016_clm_records",
    "0017_visits",
    "0018_change_requests",
    "0019_cycle_plans",
    "0020_email",
)
HEAD = REVISIONS[-1]
