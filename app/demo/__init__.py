"""The demo: a generated German territory, a local demo server seeded with it, and laptops
that sign into it (`fieldrep demo`, the benchmarks, the screenshots).

Above the services and beside the UI (pyproject.toml's layers): the demo drives the product
through its own services and sync, and nothing in the product imports the demo.
"""
