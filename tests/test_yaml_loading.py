"""Configs, agent specs, leak registries and checksums are read through libyaml where PyYAML has it
(`utils.safe_load_yaml`): it must give exactly what `yaml.safe_load` gives for every file we ship."""

from pathlib import Path

import yaml

import mlebench
from mlebench.utils import safe_load_yaml

PACKAGE = Path(mlebench.__file__).parent


def test_every_shipped_yaml_file_loads_as_safe_load_does() -> None:
    files = sorted([*PACKAGE.rglob("*.yaml"), *PACKAGE.rglob("*.yml")])
    assert len(files) > 80  # every competition's config at least
    for path in files:
        text = path.read_text()
        assert repr(safe_load_yaml(text)) == repr(yaml.safe_load(text)), path


def test_safe_loader_refuses_python_objects() -> None:
    try:
        safe_load_yaml("!!python/object/apply:os.system ['true']")
    except yaml.YAMLError:
        return
    raise AssertionError("a python object tag was constructed")
