"""Field masks as Google APIs read them: `a.b,c(d,e/f)`; '/' and '.' both separate."""

from __future__ import annotations

from typing import Any

from tests.sheets_standin.errors import bad_request

Mask = dict[str, Any]  # key -> sub-mask, or None for "all of it"


def parse_mask(text: str) -> Mask | None:
    """The mask tree of `text`; None (everything) for an empty mask or '*'."""
    text = text.strip()
    if not text or text == "*":
        return None
    parser = _Parser(text)
    tree = parser.items()
    if parser.position != len(text):
        raise bad_request(f"Invalid field selection {text}")
    return tree


def mask_paths(text: str) -> list[list[str]]:
    """Every leaf path of a mask: 'a.b,c(d,e)' -> [[a,b],[c,d],[c,e]]."""
    tree = parse_mask(text)
    return [["*"]] if tree is None else list(_leaves(tree, []))


def _leaves(tree: Mask, prefix: list[str]) -> Any:
    for key, sub in tree.items():
        if sub is None:
            yield [*prefix, key]
        else:
            yield from _leaves(sub, [*prefix, key])


def apply_mask(value: Any, tree: Mask | None) -> Any:
    """Keep only what the mask selects; fields absent from `value` stay absent."""
    if tree is None:
        return value
    if isinstance(value, list):
        return [apply_mask(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    if "*" in tree:
        return value
    return {key: apply_mask(value[key], sub) for key, sub in tree.items() if key in value}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text, self.position = text, 0

    def items(self) -> Mask:
        tree: Mask = {}
        while True:
            path = self._path()
            sub: Mask | None = None
            if self._peek() == "(":
                self.position += 1
                sub = self.items()
                if self._peek() != ")":
                    raise bad_request(f"Invalid field selection {self.text}")
                self.position += 1
            _merge(tree, path, sub)
            if self._peek() != ",":
                return tree
            self.position += 1

    def _path(self) -> list[str]:
        names = [self._name()]
        while self._peek() in (".", "/"):
            self.position += 1
            names.append(self._name())
        return names

    def _name(self) -> str:
        start = self.position
        while self.position < len(self.text) and self.text[self.position] not in ".,/()":
            self.position += 1
        name = self.text[start : self.position].strip()
        if not name:
            raise bad_request(f"Invalid field selection {self.text}")
        return name

    def _peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""


def _merge(tree: Mask, path: list[str], sub: Mask | None) -> None:
    node = tree
    for key in path[:-1]:
        if key in node and node[key] is None:
            return
        node = node.setdefault(key, {})
    last = path[-1]
    if sub is None or node.get(last, {}) is None:
        node[last] = None
    else:
        existing = node.setdefault(last, {})
        for key, value in sub.items():
            _merge(existing, [key], value)
