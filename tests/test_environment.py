"""The lock, environment.yml, requirements.in and pyproject agree."""

from __future__ import annotations

import re
from importlib import metadata

import yaml

from analysis import config


def _pins(lines):
    pins = {}
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#") and "==" in line:
            name, version = line.split("==", 1)
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def _lock():
    return _pins((config.ROOT / "requirements.lock").read_text().splitlines())


def test_environment_yml_installs_the_lock():
    env = yaml.safe_load((config.ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert _pins(pip) == _lock()
    assert "python=3.11" in env["dependencies"]


def test_every_direct_dependency_is_locked():
    lock = _lock()
    names = [re.split(r"[=<>\[ ]", line.strip())[0]
             for line in (config.ROOT / "requirements.in").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    missing = [n for n in names if re.sub(r"[-_.]+", "-", n).lower() not in lock]
    assert not missing
    assert lock["torch"] == "2.13.0"


def test_pyproject_dependencies_are_in_requirements_in():
    import tomllib

    project = tomllib.loads((config.ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [d for extra in project["optional-dependencies"].values()
                                           for d in extra]
    wanted = {re.sub(r"[-_.]+", "-", re.split(r"[=<>\[ ]", d)[0]).lower() for d in declared}
    listed = {re.sub(r"[-_.]+", "-", re.split(r"[=<>\[ ]", line.strip())[0]).lower()
              for line in (config.ROOT / "requirements.in").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    assert wanted <= listed


def test_running_environment_matches_the_lock():
    lock = _lock()
    wrong = {}
    for dist in metadata.distributions():
        name = re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()
        if name in lock and dist.version.split("+")[0] != lock[name]:
            wrong[name] = (dist.version, lock[name])
    assert not wrong
