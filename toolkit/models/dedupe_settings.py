"""Settings of the dedupe step: which fields to compare, how to block, thresholds, merge rules.

Every value has a default that works on a plain customer list; `[dedupe]` in custkit.toml or
`dedupe.*` rows of the settings sheet change them. Weights are estimated from the data itself
(u from random pairs, m by EM, as splink does) unless `m_probabilities`/`u_probabilities` pin
them: `[dedupe.m_probabilities] phone = {exact = 0.8, typo = 0.05, different = 0.15}`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from toolkit.fields import field_names
from toolkit.models.section import Section

# Levels of each comparison, best first; "missing" (either side blank) is always implied.
LEVELS: dict[str, tuple[str, ...]] = {
    "name": ("exact", "pinyin", "close", "surname", "different"),
    "phone": ("exact", "typo", "different"),
    "email": ("exact", "different"),
    "company": ("exact", "close", "different"),
    "city": ("exact", "different"),
    "birthday": ("exact", "close", "different"),
    "address": ("exact", "close", "different"),
}

# Blocking keys and the compared fields each one fixes (EM does not learn those from it).
BLOCKING_KEYS: dict[str, tuple[str, ...]] = {
    "phone": ("phone",),
    "email": ("email",),
    "name_city": ("name", "city"),
    "pinyin_city": ("name", "city"),
    "company": ("company", "name"),
    "name_birthday": ("name", "birthday"),
    "pinyin_birthday": ("name", "birthday"),
    "name_company": ("name", "company"),
    "address": ("address",),
    "initials_birthday": ("birthday",),
    "initials_phone_head": (),
    "initials_phone_tail": (),
}

# Per blocking key, the biggest block that still gives pairs (see DedupeSettings.skip_blocks_over).
# Measured with bench/blocking_economy.py on the labelled tables (10k-1M rows): a name in a
# city (namesakes) or an address found no duplicate in blocks over 20 rows that no other key
# found; company and the surname initials with a birthday or half a phone still found one
# duplicate per 5,000-10,000 pairs in blocks of 21-50 rows, one per 8,000-150,000 above.
COMMON_BLOCK_LIMITS: dict[str, int] = {
    "name_city": 20,
    "pinyin_city": 20,
    "address": 20,
    "company": 50,
    "initials_birthday": 50,
    "initials_phone_head": 50,
    "initials_phone_tail": 50,
}

SurvivorRule = Literal["most_complete", "most_recent", "earliest_id", "first_row"]
FieldRule = Literal[
    "survivor", "most_recent", "longest", "join", "sum", "earliest", "latest", "max"
]

DEFAULT_FIELD_RULES: dict[str, FieldRule] = {
    "purchase_count": "sum",
    "total_amount": "sum",
    "signup_date": "earliest",
    "last_purchase_date": "latest",
    "last_contact_date": "latest",
    "address": "longest",
    "notes": "join",
    "company": "most_recent",
    "title": "most_recent",
    "owner": "most_recent",
    "status": "most_recent",
}


class DedupeSettings(Section):
    """How duplicates are found, scored, grouped and merged.

    >>> DedupeSettings().match_threshold, DedupeSettings().review_threshold
    (0.8, 0.5)
    """

    fields: tuple[str, ...] = ("name", "phone", "email", "company", "city", "birthday", "address")
    blocking: tuple[str, ...] = (
        "phone",
        "email",
        "name_city",
        "pinyin_city",
        "company",
        "name_birthday",
        "pinyin_birthday",
        "initials_birthday",
        "address",
        "initials_phone_head",
        "initials_phone_tail",
    )
    # A block of more rows than this (王伟 in 北京) is compared only with its nearest neighbours
    # in a sorted window, so pairs stay near-linear in rows.
    max_block_size: int = Field(100, ge=2, le=10_000)
    window: int = Field(10, ge=2, le=1_000)
    # Per blocking key, blocks of more rows than this give no pairs at all (not even a
    # window): a company or a common name shared by many rows says little, and the
    # duplicates in such blocks meet under another key (bench/blocking_economy.py).
    # The identifier keys (phone, e-mail, name + birthday) have no limit. A table given in
    # custkit.toml replaces this one whole ({} for no limit at all).
    skip_blocks_over: dict[str, int] = Field(default_factory=lambda: dict(COMMON_BLOCK_LIMITS))
    # Match probability for a duplicate. The probabilities are calibrated (the prior is the
    # share of matches among all pairs, as the weights assume): 0.8 keeps precision and recall
    # level from ten thousand to a million rows (0.95 cost 1-2 points of recall).
    match_threshold: float = Field(0.8, gt=0.0, lt=1.0)
    review_threshold: float = Field(0.5, gt=0.0, lt=1.0)  # pairs in between are for review
    # A row joins a group only if, with every member, the fields both have agree at least
    # this much (match weight without the prior, in bits): stops chains such as
    # 王伟 (phone A) ~ 王伟 (no phone) ~ 王伟 (phone B).
    min_link_evidence: float = Field(0.0, ge=-50.0, le=50.0)
    # ...and their own match probability is at least this: in a million rows the prior is so
    # low that agreeing names, company and city alone (namesakes) must not link two groups.
    min_link_probability: float = Field(0.0, ge=0.0, lt=1.0)
    # ...and their disagreeing fields weigh no more than this against them (bits).
    max_link_disagreement: float = Field(10.0, ge=0.0, le=100.0)
    name_close: float = Field(0.88, gt=0.0, le=1.0)  # Jaro-Winkler on name keys
    company_close: float = Field(0.9, gt=0.0, le=1.0)
    address_close: float = Field(0.85, gt=0.0, le=1.0)
    estimate: bool = True  # learn m and u from the data; else use the defaults below
    random_pairs: int = Field(200_000, ge=1_000)  # sample size for u probabilities
    min_pairs_for_em: int = Field(1_000, ge=10)
    em_iterations: int = Field(30, ge=1, le=1_000)
    # Smoothing: a value's frequency counts as if the table had this many more typical rows,
    # so a name seen twice in a ten-row sheet is not taken for a common name.
    tf_prior_rows: int = Field(10_000, ge=0)
    m_probabilities: dict[str, dict[str, float]] = Field(default_factory=dict)
    u_probabilities: dict[str, dict[str, float]] = Field(default_factory=dict)
    survivor: tuple[SurvivorRule, ...] = ("most_complete", "most_recent", "earliest_id")
    field_rules: dict[str, FieldRule] = Field(default_factory=dict)  # over DEFAULT_FIELD_RULES

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in LEVELS]
        if unknown:
            raise ValueError(f"unknown field(s) {unknown}; known: {', '.join(LEVELS)}")
        if "name" not in value:
            raise ValueError("'name' must be compared")
        return value

    @field_validator("blocking")
    @classmethod
    def _known_keys(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in BLOCKING_KEYS]
        if unknown:
            raise ValueError(
                f"unknown blocking key(s) {unknown}; known: {', '.join(BLOCKING_KEYS)}"
            )
        if not value:
            raise ValueError("at least one blocking key is needed")
        return value

    @field_validator("skip_blocks_over")
    @classmethod
    def _known_skips(cls, value: dict[str, int]) -> dict[str, int]:
        problems = [f"unknown blocking key {key!r}" for key in value if key not in BLOCKING_KEYS]
        problems += [f"{key}: {size} is below 2" for key, size in value.items() if size < 2]
        if problems:
            raise ValueError("skip_blocks_over: " + "; ".join(problems))
        return value

    @field_validator("m_probabilities", "u_probabilities")
    @classmethod
    def _known_levels(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        problems = []
        for field, levels in value.items():
            if field not in LEVELS:
                problems.append(f"unknown field {field!r}")
                continue
            for level, probability in levels.items():
                if level not in LEVELS[field]:
                    problems.append(
                        f"{field}: unknown level {level!r} ({', '.join(LEVELS[field])})"
                    )
                elif not 0.0 < probability <= 1.0:
                    problems.append(f"{field}.{level}: {probability} is not in (0, 1]")
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("field_rules")
    @classmethod
    def _known_rule_fields(cls, value: dict[str, FieldRule]) -> dict[str, FieldRule]:
        known = set(field_names("customers"))
        unknown = [name for name in value if name not in known]
        if unknown:
            raise ValueError(f"field_rules: unknown field(s) {unknown}; known: {sorted(known)}")
        return value

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> DedupeSettings:
        if self.review_threshold > self.match_threshold:
            raise ValueError(
                f"review_threshold {self.review_threshold} is above match_threshold "
                f"{self.match_threshold}; the review band lies below the match threshold"
            )
        return self

    def rule_for(self, field: str) -> FieldRule:
        """The survivorship rule of a field.

        >>> DedupeSettings().rule_for("total_amount"), DedupeSettings().rule_for("name")
        ('sum', 'survivor')
        """
        return self.field_rules.get(field) or DEFAULT_FIELD_RULES.get(field, "survivor")
