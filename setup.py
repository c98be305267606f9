"""The one packaging rule pyproject.toml cannot say: `resources/` ships as `app/resources`.

The repository keeps icons, style, translations, rules and demo decks in `resources/` at its
top (where translators and designers look); the wheel carries them inside the `app` package,
where `app.config.resources_dir` finds them through importlib.resources. Everything else about
the distribution is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["app", "app.*", "migrations", "migrations.*",
                                                "server", "server.*"],
                                       exclude=["*.__pycache__"]),
              "app.resources"],
    package_dir={"app.resources": "resources"},
    package_data={"app": ["py.typed"], "migrations": ["script.py.mako"],
                  "server": ["migrations/script.py.mako"], "app.resources": ["**/*"]},
)
