"""Duplicate customers: found, explained, marked for review, merged on request.

Normalize (toolkit.normalize keys), block (several keys, big blocks windowed), compare field
by field into levels, weigh (Fellegi-Sunter: u from random pairs, m by EM, term-frequency
adjusted), cluster (components split around a core, so namesakes stay apart), explain.

>>> from toolkit.table import Column, Table
>>> from toolkit.models.dedupe_settings import DedupeSettings
>>> cols = (Column(1, "Name", "name"), Column(2, "Phone", "phone"))
>>> t = Table("C", "customers", 1, cols, (("Li Na", "13800138000"), ("LI NA", "138-0013-8000")))
>>> [g.rows for g in find_duplicates(t, DedupeSettings()).groups]
[(0, 1)]
"""

from __future__ import annotations

from toolkit.routines.dedupe.decisions import Decisions, action_of, read_decisions
from toolkit.routines.dedupe.explain import explain, written_values
from toolkit.routines.dedupe.find import DuplicateGroup, Duplicates, PairEvidence, find_duplicates
from toolkit.routines.dedupe.mark import mark_plan
from toolkit.routines.dedupe.merge import MergeGroup, merge_groups, merge_plan

__all__ = [
    "Decisions",
    "DuplicateGroup",
    "Duplicates",
    "MergeGroup",
    "PairEvidence",
    "action_of",
    "explain",
    "find_duplicates",
    "mark_plan",
    "merge_groups",
    "merge_plan",
    "read_decisions",
    "written_values",
]
