"""The integration API for outside systems (docs/integration.md): service accounts with
scoped, revocable tokens (`service_accounts.py`), and touchpoints they post onto accounts
(`touchpoints.py`), which sync to the laptops as the `touchpoints` entity."""
