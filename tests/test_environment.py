"""The lock, environment.yml, requirements.in and pyproject agree."""

from __future__ import annotations

import re
from importlib import metadata

import pytest
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


TORCH_INDEX = "https://download.pytorch.org/whl/cpu"


@pytest.mark.parametrize("path, editable", [("environment.yml", True),
                                            ("binder/environment.yml", False)])
def test_environment_yml_installs_the_lock(path, editable):
    env = yaml.safe_load((config.ROOT / path).read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert _pins(pip) == _lock()
    assert "python=3.11" in env["dependencies"]
    # torch from PyTorch's CPU index, not PyPI's CUDA build
    assert pip[0] == f"--extra-index-url {TORCH_INDEX}"
    assert ("-e ." in pip) is editable


def test_makefile_installs_torch_from_the_cpu_index():
    makefile = (config.ROOT / "Makefile").read_text()
    assert f"TORCH_INDEX ?= {TORCH_INDEX}" in makefile
    assert "--retries 1 --timeout 15" in makefile


def test_installed_torch_is_a_working_cpu_build():
    import torch

    assert torch.__version__.split("+")[0] == _lock()["torch"]
    assert torch.version.cuda is None
    assert not torch.backends.cudnn.is_available()  # asks, and needs no libcudnn
    assert not torch.cuda.is_available()
    # The CPU build declares no CUDA libraries (PyPI's CUDA build needs nvidia-*).
    requires = metadata.requires("torch") or []
    assert not [r for r in requires if r.lower().startswith(("nvidia-", "triton", "cuda-"))]
    x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    assert (x @ x.T).tolist() == [[5.0, 14.0], [14.0, 50.0]]


def test_python_versions_agree():
    import tomllib

    project = tomllib.loads((config.ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    torch_req = next(d for d in project["dependencies"] if d.startswith("torch"))
    assert "==" not in torch_req  # a range for users; the lock pins it


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
