"""The package's modules import downwards only: documents → sentences → vectors → index → hits
→ answer → edges. A lower layer that imports a higher one fails here."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "qa"

LAYERS = [
    {"records", "errors"},
    {"config", "normalize"},
    {"formats"},
    {"ingest", "split", "embed"},
    {"corpus", "vectors", "lexical"},
    {"store"},
    {"indexer", "rank"},
    {"retrieve", "answer"},
    {"conversation", "evaluate"},
    {"cli", "web", "__init__", "__main__"},
]


def layer_of(module: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if module in names)


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("qa."):
            names.add(node.module.split(".")[1])
    names.discard("")
    return names


def test_every_module_has_a_layer_and_a_docstring():
    for path in PACKAGE.glob("*.py"):
        layer_of(path.stem)
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path.name} needs a one-line docstring"


def test_imports_only_go_down():
    for path in PACKAGE.glob("*.py"):
        mine = layer_of(path.stem)
        for other in imported(path):
            assert layer_of(other) <= mine, f"{path.stem} (layer {mine}) imports {other} (layer {layer_of(other)})"


def test_library_never_prints_or_exits():
    for path in PACKAGE.glob("*.py"):
        if path.stem in ("cli", "web", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("print", "exit", "quit"), f"{path.name} calls {node.func.id}()"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) != ("sys", "exit"), f"{path.name} calls sys.exit"
