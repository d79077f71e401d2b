"""Settings: one pydantic model, every value with a sensible default.

Sources, later ones winning: built-in defaults, `custkit.toml` beside the workbook (or
`--config`), then the workbook's own settings sheet (设置/Settings), so staff can change rules
where they work. Each step keeps its settings in a section of its own (`[validation]`,
`[dedupe]`, `[tagging]`...). Loading and merging live in `toolkit.settings_io`.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from toolkit.fields import field_names
from toolkit.models.complaint_settings import ComplaintSettings
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.models.followup_settings import FollowupSettings
from toolkit.models.privacy_settings import PrivacySettings
from toolkit.models.scoring_settings import ScoringSettings
from toolkit.models.section import Section
from toolkit.models.tagging_settings import TaggingSettings
from toolkit.table import Lang


class SheetNames(Section):
    """Which sheet holds which table; found by content when not named."""

    customers: str | None = None
    transactions: str | None = None
    complaints: str | None = None


class ValidationSettings(Section):
    """What validation checks.

    >>> ValidationSettings().required
    ('name', 'phone')
    """

    required: tuple[str, ...] = ("name", "phone")
    default_region: str = Field("CN", min_length=2, max_length=2)
    day_first: bool = False  # 05/03/2024 is 5 March when true, 3 May when false
    earliest_year: int = Field(1900, ge=1000, le=2100)
    # Dates that may lie after the run's as_of date (e.g. a planned contact).
    future_allowed: tuple[str, ...] = ()

    @field_validator("required", "future_allowed")
    @classmethod
    def _known_fields(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = set(field_names("customers"))
        unknown = [name for name in value if name not in known]
        if unknown:
            raise ValueError(f"unknown field(s) {unknown}; known: {', '.join(sorted(known))}")
        return value

    @field_validator("default_region")
    @classmethod
    def _upper_region(cls, value: str) -> str:
        return value.upper()


class Settings(Section):
    """All settings of a run.

    >>> Settings().validation.default_region
    'CN'
    """

    lang: Lang | None = None  # None: follow the customer sheet's headers
    sheets: SheetNames = Field(default_factory=SheetNames)
    # Explicit header mapping, field -> header as written: [columns] email = "E-mail".
    columns: dict[str, str] = Field(default_factory=dict)
    transaction_columns: dict[str, str] = Field(default_factory=dict)
    complaint_columns: dict[str, str] = Field(default_factory=dict)
    validation: ValidationSettings = Field(default_factory=ValidationSettings)
    dedupe: DedupeSettings = Field(default_factory=DedupeSettings)
    followups: FollowupSettings = Field(default_factory=FollowupSettings)
    complaints: ComplaintSettings = Field(default_factory=ComplaintSettings)
    tagging: TaggingSettings = Field(default_factory=TaggingSettings)
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)

    @field_validator("columns")
    @classmethod
    def _customer_columns(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_mapping(value, "customers")

    @field_validator("transaction_columns")
    @classmethod
    def _transaction_columns(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_mapping(value, "transactions")

    @field_validator("complaint_columns")
    @classmethod
    def _complaint_columns(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_mapping(value, "complaints")


def _check_mapping(value: dict[str, str], kind: str) -> dict[str, str]:
    known = set(field_names(kind))  # type: ignore[arg-type]
    unknown = [name for name in value if name not in known]
    if unknown:
        raise ValueError(f"unknown {kind} field(s) {unknown}; known: {', '.join(sorted(known))}")
    return value
