"""The package's modules import downwards only: documents → sentences → vectors → index → hits
→ answer → edges. A lower layer that imports a higher one fails here."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "qa"

LAYERS = [
    {"records", "errors"},
    {"config", "normalize"},
    {"formats"},
    {"ingest", "split", "onnx_export"},
    {"embed"},
    {"corpus", "vectors", "lexical"},
    {"store"},
    {"indexer", "features"},
    {"ranker"},
    {"rank"},
    {"retrieve", "answer"},
    {"conversation", "evaluate"},
    {"listen"},  # where the chat listens: checked by the CLI before it imports the web app
    {"cli", "web", "__init__", "__main__"},
]


def layer_of(module: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if module in names)


def modules() -> list[tuple[str, Path]]:
    """(layer name, file) of every module; a subpackage's files share the package's name."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        found.append((rel.parts[0] if len(rel.parts) > 1 else path.stem, path))
    return found


def imported(name: str, path: Path) -> set[str]:
    """The qa modules a file imports, by layer name."""
    inside = path.parent != PACKAGE  # a subpackage file: "." is its package, ".." is qa
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = node.module or ""
        if node.level == 1:
            names.add(name if inside else module.split(".")[0])
        elif node.level == 2 and inside:
            names.add(module.split(".")[0])
        elif module.startswith("qa."):
            names.add(module.split(".")[1])
    names.discard("")
    return names


def test_every_module_has_a_layer_and_a_docstring():
    for name, path in modules():
        layer_of(name)
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path.name} needs a one-line docstring"


def test_imports_only_go_down():
    for name, path in modules():
        mine = layer_of(name)
        for other in imported(name, path):
            assert layer_of(other) <= mine, f"{path} (layer {mine}) imports {other} (layer {layer_of(other)})"


def test_library_never_prints_or_exits():
    for name, path in modules():
        if name in ("cli", "web", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("print", "exit", "quit"), f"{path.name} calls {node.func.id}()"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) != ("sys", "exit"), f"{path.name} calls sys.exit"
