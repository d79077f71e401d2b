"""The new package's bookkeeping: which parts are written anew, added or dropped, and the
final zip, written in the source's entry order with every other entry copied raw.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.backends.ooxml.opc import ContentTypes, Relationships, rels_part
from toolkit.backends.ooxml.package import PackageWriter, SourcePackage


@dataclass
class PackageChanges:
    """Parts of the new package that differ from the source."""

    pkg: SourcePackage
    types: ContentTypes
    outputs: dict[str, bytes] = field(default_factory=dict)  # small parts, new or changed
    streamed: set[str] = field(default_factory=set)  # big parts, in the scratch zip
    removed: set[str] = field(default_factory=set)
    added: list[str] = field(default_factory=list)  # new part names, in creation order

    def new_part(self, folder: str, stem: str) -> str:
        """An unused part name, e.g. new_part("xl", "drawings/drawing") -> xl/drawings/drawing3.xml.

        Names of parts being removed are not reused, so nothing is ever half replaced.
        """
        full = posixpath.join(folder, stem)
        pattern = re.compile(re.escape(full.casefold()) + r"(\d+)\.xml")
        taken = [*self.pkg.names(), *self.added]
        numbers = [int(m.group(1)) for n in taken if (m := pattern.fullmatch(n.casefold()))]
        name = f"{full}{max(numbers, default=0) + 1}.xml"
        self.added.append(name)
        return name

    def put(self, part: str, data: bytes) -> None:
        self.outputs[part] = data
        self.removed.discard(part)
        if not self.pkg.has(part) and part not in self.added:
            self.added.append(part)

    def mark_streamed(self, part: str) -> None:
        self.streamed.add(part)
        self.removed.discard(part)

    def remove(self, part: str) -> None:
        if self.pkg.has(part) and part not in self.outputs and part not in self.streamed:
            self.removed.add(part)
            self.types.remove_override(part)

    def remove_below(self, part: str) -> None:
        """Drop the parts only `part` uses (an old drawing, its charts...) and its rels."""
        graph = relationship_graph(self.pkg)
        reachable: set[str] = set()
        todo = [part]
        while todo:
            for child in graph.get(todo.pop(), set()):
                if child not in reachable and child != part:
                    reachable.add(child)
                    todo.append(child)
        dropped = set(reachable)
        while True:  # a part something else still uses stays, and so do its own parts
            users = [s for s in graph if s not in dropped and s != part]
            needed = {t for s in users for t in graph[s]} & dropped
            if not needed:
                break
            dropped -= needed
        for name in [*sorted(dropped), rels_part(part)]:
            self.remove(name)
            self.remove(rels_part(name))

    def parts_changed(self) -> tuple[str, ...]:
        names = [*self.pkg.names(), *self.added]
        return tuple(n for n in names if n in self.outputs or n in self.streamed)

    def parts_removed(self) -> tuple[str, ...]:
        return tuple(n for n in self.pkg.names() if n in self.removed)

    def assemble(self, target: Path, scratch: zipfile.ZipFile) -> None:
        """Write the package: source order first, then the new parts."""
        writer = PackageWriter(target)
        writer.zf.comment = self.pkg.zf.comment
        try:
            for info in self.pkg.infos:
                self._emit(writer, scratch, info.filename, info)
            for name in self.added:
                if not self.pkg.has(name):
                    self._emit(writer, scratch, name, None)
        finally:
            writer.close()

    def _emit(
        self,
        writer: PackageWriter,
        scratch: zipfile.ZipFile,
        name: str,
        info: zipfile.ZipInfo | None,
    ) -> None:
        if name in self.removed:
            return
        if name in self.streamed:
            writer.copy(scratch, scratch.getinfo(name))
        elif name in self.outputs:
            writer.write_bytes(name, self.outputs[name], like=info)
        elif info is not None:
            writer.copy(self.pkg.zf, info)


def relationship_graph(pkg: SourcePackage) -> dict[str, set[str]]:
    """Part -> the internal parts its relationships point at, for the whole package."""
    graph: dict[str, set[str]] = {}
    for name in pkg.names():
        if not name.endswith(".rels") or "/_rels/" not in f"/{name}":
            continue
        rels = Relationships(name, pkg.read(name))
        graph[rels.source] = {rels.target_part(r) for r in rels if not r.external}
    return graph
