"""The rule set of each kind of federation, as data: one place for what differs between them.

A *samordningsförbund* (lag 2003:1210) has the state, a region and municipalities as members, fixed
contributions split by law 50/25/25 (:data:`STATUTORY_SPLIT`, the one place that split is written) and
the municipal quarter split by an agreed key. A *kommunalförbund* (kommunallagen 9 kap.) has
municipalities and regions as members, financed by fixed contributions or by fees that cover each
activity's net cost. Code asks :func:`kind_of` for the rule set instead of branching on the kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from core.model.budget import Budget, Financing, MemberKind
from core.model.money import round_half_up

# Lag (2003:1210) 5 §: the state pays half, the region a quarter, the municipalities a quarter.
STATUTORY_SPLIT: dict[MemberKind, int] = {"stat": 2, "region": 1, "kommun": 1}
STATUTORY_LAW = "lag (2003:1210) 5 §"

# How a change of the total contributions is split, worded for where it is shown.
SplitTextForm = Literal["styrelse", "intakter", "analys"]


@dataclass(frozen=True, slots=True)
class FederationKind:
    code: str
    label: str  # as in running Swedish text
    law: str
    member_kinds: tuple[MemberKind, ...]
    financing_modes: tuple[Financing, ...]
    statutory_split: dict[MemberKind, int] | None  # weights per member kind, None: no split by law
    checks: tuple[str, ...]  # rule names in the order they are checked each year (core.rules.checks)
    no_borrowing: str  # why equity may not be negative, for the equity floor check
    split_texts: dict[str, str] = field(default_factory=dict)  # see :func:`contribution_split_text`

    def statutory_shares(self) -> dict[MemberKind, Fraction]:
        """Each member kind's share of the contributions by law (empty when there is no such split)."""
        if not self.statutory_split:
            return {}
        total = sum(self.statutory_split.values())
        return {kind: Fraction(weight, total) for kind, weight in self.statutory_split.items()}

    def split_label(self) -> str:
        """``50/25/25``: the statutory split in percent, as people say it."""
        return "/".join(str(round_half_up(share * 100)) for share in self.statutory_shares().values())


SAMORDNINGSFORBUND = FederationKind(
    code="samordningsforbund",
    label="samordningsförbund",
    law="lag (2003:1210) om finansiell samordning av rehabiliteringsinsatser",
    member_kinds=("stat", "region", "kommun"),
    financing_modes=("fasta",),
    statutory_split=STATUTORY_SPLIT,
    checks=("lagstadgad_fordelning", "kommunal_nyckel", "budget_i_balans", "eget_kapital_golv", "eget_kapital_tak"),
    no_borrowing="Förbundet får inte låna (lag 2003:1210 21 §), så eget kapital får inte bli negativt.",
    split_texts={
        "styrelse": (
            "fördelat 50/25/25 mellan staten, regionen och kommunerna enligt lag (2003:1210) 5 § och mellan "
            "kommunerna enligt fördelningsnyckeln"
        ),
        "intakter": (
            "Ändra de totala medlemsavgifterna per år. Ändringen fördelas enligt lag (2003:1210) 5 § – staten "
            "hälften, regionen en fjärdedel, kommunerna en fjärdedel – och mellan kommunerna enligt nyckeln."
        ),
        "analys": (
            "fördelad enligt lag (2003:1210) 5 § – staten hälften, regionen och kommunerna en fjärdedel var – "
            "och mellan kommunerna enligt nyckeln"
        ),
    },
)

KOMMUNALFORBUND = FederationKind(
    code="kommunalforbund",
    label="kommunalförbund",
    law="kommunallagen (2017:725) 9 kap.",
    member_kinds=("region", "kommun"),
    financing_modes=("fasta", "avgifter"),
    statutory_split=None,
    checks=("beslutad_avgift", "budget_i_balans", "eget_kapital_golv", "eget_kapital_tak"),
    no_borrowing=(
        "Eget kapital får inte bli negativt; ett underskott ska regleras inom tre år (kommunallagen 11 kap. 12 §)."
    ),
    split_texts={
        "styrelse": "fördelat enligt fördelningsnyckeln",
        "intakter": "Ändra de totala medlemsavgifterna per år; ändringen fördelas mellan medlemmarna enligt nyckeln.",
        "analys": "fördelad mellan medlemmarna enligt nyckeln",
    },
)

# Avgifter: the fees follow the activities' net costs, so there is no total to change and split.
_FEES_SPLIT_TEXT = {
    "styrelse": "fördelat enligt verksamheternas nycklar",
    "intakter": (
        "Avgifterna följer verksamheternas nettokostnader och fördelas enligt varje verksamhets nyckel; "
        "ändra kostnader, intäkter eller nycklar i stället för avgifterna."
    ),
    "analys": "fördelad enligt verksamheternas nycklar",
}

KINDS: dict[str, FederationKind] = {k.code: k for k in (SAMORDNINGSFORBUND, KOMMUNALFORBUND)}


def kind_of(budget: Budget) -> FederationKind:
    """The rule set ``budget`` follows: a federation with a state member is a samordningsförbund."""
    return SAMORDNINGSFORBUND if any(m.kind == "stat" for m in budget.members) else KOMMUNALFORBUND


def fees_follow_costs(budget: Budget) -> bool:
    """True when members pay fees computed from the activities' net costs (financing ``avgifter``)."""
    return budget.financing == "avgifter"


def contribution_split_text(budget: Budget, form: SplitTextForm) -> str:
    """How a change of the total member contributions is split, in Swedish, for the board paper
    (``styrelse``: "fördelat …"), the Intäkter page's caption (``intakter``) or Analys (``analys``:
    "fördelad …"). Pages call this instead of branching on the kind of federation."""
    if fees_follow_costs(budget):
        return _FEES_SPLIT_TEXT[form]
    return kind_of(budget).split_texts[form]
