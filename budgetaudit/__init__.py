"""budgetaudit: a consistency auditor for Chinese government budget disclosures."""

__version__ = "0.1.0"

from budgetaudit import codecache as _codecache  # noqa: E402  before any dataclass is made

_codecache.install()
