"""budgetaudit: a consistency auditor for Chinese government budget disclosures."""

__version__ = "0.1.0"

from budgetaudit import codecache as _codecache  # noqa: E402  before any dataclass is made
from budgetaudit import lazymodules as _lazymodules  # noqa: E402

# The dataclasses module imports inspect (with ast, dis and tokenize: about a
# tenth of a check's start-up) for one call, made only for a class without a
# docstring; every dataclass of the package has one, so inspect's code runs
# only when something else reads from it (budgetaudit.lazymodules). Likewise
# ipaddress, which pathlib's import of urllib.parse brings for URLs with an
# IPv6 host.
_lazymodules.defer("inspect", "ipaddress")
_codecache.install()
