"""The package's shape holds: its layers import one way (pyproject.toml's import-linter
contracts), the command line calls only the library's face, and the engine's functions stay
readable."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import REPO

import pipeline

# An engine function's branch points: about ten at most (Sphinx's busiest parallel function
# has six). Counted as tests/test_architecture.py counts them, below.
MOST_BRANCHES = 10


def test_the_layers_import_one_way():
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([lint], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 3 kept, 0 broken." in done.stdout


def branches(function: ast.FunctionDef) -> int:
    """if and elif, conditional expressions, loops, except clauses, each `and` and `or`, each
    comprehension's loops and conditions, match cases (nested functions apart)."""
    found = 0
    for node in ast.walk(function):
        if node is not function and isinstance(node, ast.FunctionDef | ast.Lambda):
            continue
        if isinstance(
            node, ast.If | ast.IfExp | ast.For | ast.While | ast.ExceptHandler | ast.match_case
        ):
            found += 1
        elif isinstance(node, ast.BoolOp):
            found += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            found += 1 + len(node.ifs)
    return found


def test_no_engine_function_has_more_than_ten_branch_points():
    busy = {}
    for path in sorted((REPO / "pipeline/engine").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and branches(node) > MOST_BRANCHES:
                busy[f"{path.name}:{node.lineno} {node.name}"] = branches(node)
    assert busy == {}


def test_the_face_names_what_it_promises():
    for name in pipeline.__all__:
        assert getattr(pipeline, name) is not None, name
    assert sorted(dir(pipeline)) == sorted(pipeline.__all__)
