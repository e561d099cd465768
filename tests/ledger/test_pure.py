"""The ledger core stays pure: standard library and ``cryptography`` only, nothing else from gongzhi."""

from __future__ import annotations

import ast
import doctest
import importlib
import sys
from pathlib import Path

import pytest

import gongzhi.ledger

CORE = ["canonical", "merkle", "entry", "signing", "verify"]
ALLOWED_THIRD_PARTY = {"cryptography"}


@pytest.mark.parametrize("name", CORE)
def test_core_module_imports_only_stdlib_cryptography_and_the_core(name: str) -> None:
    source = Path(gongzhi.ledger.__file__).with_name(f"{name}.py").read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module)
    for module in imported:
        top = module.split(".")[0]
        if top == "gongzhi":
            assert module in {f"gongzhi.ledger.{core}" for core in CORE}, module
        else:
            assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, module


@pytest.mark.parametrize("name", CORE)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(f"gongzhi.ledger.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
