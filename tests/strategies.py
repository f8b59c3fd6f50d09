"""Hypothesis strategies for whole, valid budgets and scenarios on them."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from core.engine.scenario import ContributionChange, LineChange, NewLine, Scenario
from core.model.budget import CATEGORIES, Budget, BudgetYear, CostKey, CostLine, EquityUse, Member, RevenueLine

money = st.integers(min_value=0, max_value=50_000_000)
name_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖ -!", min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def budgets(draw, *, samordningsforbund: bool | None = None, max_costs: int = 8) -> Budget:
    first = draw(st.integers(min_value=2015, max_value=2030))
    count = draw(st.integers(min_value=1, max_value=5))
    kinds = sorted(
        draw(st.lists(st.sampled_from(["utfall", "prognos", "plan"]), min_size=count, max_size=count)),
        key=["utfall", "prognos", "plan"].index,
    )
    kinds[-1] = "plan"
    years = [BudgetYear(year=first + i, kind=k) for i, k in enumerate(kinds)]
    numbers = [y.year for y in years]

    def amounts(strategy=money):
        return {y: draw(strategy) for y in numbers}

    state_member = samordningsforbund if samordningsforbund is not None else draw(st.booleans())
    members: list[Member] = []
    if state_member:
        members.append(Member(name="Staten", kind="stat", contributions=amounts()))
        members.append(Member(name="Regionen", kind="region", contributions=amounts()))
    for i in range(draw(st.integers(min_value=1, max_value=6))):
        key = draw(st.none() | st.decimals(min_value=1, max_value=100000, places=2))
        members.append(Member(name=f"Kommun {i}", kind="kommun", key=key, contributions=amounts()))
    names = draw(st.lists(name_text, min_size=0, max_size=max_costs, unique_by=str.casefold))
    costs = [CostLine(name=n, category=draw(st.none() | st.sampled_from(CATEGORIES)), amounts=amounts()) for n in names]
    revenues = [RevenueLine(name="Ränta", kind="ranta", amounts=amounts(st.integers(0, 500_000)))]
    plan = [y.year for y in years if y.kind == "plan"]
    uses = [
        EquityUse(year=draw(st.sampled_from(plan)), amount=draw(st.integers(1, 1_000_000)), decision="Beslut")
        for _ in range(draw(st.integers(0, 2)))
    ]
    return Budget(
        name="Testförbundet",
        years=years,
        opening_equity=draw(st.integers(min_value=0, max_value=20_000_000)),
        members=members,
        revenues=revenues,
        costs=costs,
        equity_uses=uses,
    )


@st.composite
def scenarios_for(draw, budget: Budget) -> Scenario:
    """Valid scenarios for ``budget``: only lines and plan years that exist."""
    plan = budget.plan_years
    cost_names = [c.name for c in budget.costs]
    removed = draw(st.lists(st.sampled_from(cost_names), unique=True, max_size=2)) if cost_names else []
    changeable = [n for n in cost_names if n not in removed]
    changes = []
    for name in draw(st.lists(st.sampled_from(changeable), max_size=4)) if changeable else []:
        years = draw(st.none() | st.lists(st.sampled_from(plan), min_size=1, unique=True))
        kind = draw(st.sampled_from(["percent", "amount"]))
        value = (
            Decimal(draw(st.integers(min_value=-100, max_value=200)))
            if kind == "percent"
            else draw(st.integers(min_value=0, max_value=10_000_000))
        )
        changes.append(LineChange(line=name, years=years, **{kind: value}))
    existing = {n.casefold() for n in cost_names} | {r.name.casefold() for r in budget.revenues}
    new_lines = [
        NewLine(name=f"Ny {i}", category="ny verksamhet", amounts={y: draw(money) for y in plan})
        for i in range(draw(st.integers(0, 2)))
        if f"ny {i}" not in existing
    ]
    percents = draw(st.dictionaries(st.sampled_from(plan), st.integers(min_value=-50, max_value=50).map(Decimal)))
    rate = draw(st.none() | st.decimals(min_value=0, max_value=10, places=2))
    return Scenario(
        name="Hypotes",
        remove=removed,
        change=changes,
        new_line=new_lines,
        contributions=ContributionChange(percent=percents) if percents else None,
        interest_rate=rate,
    )


ACTIVITY_NAMES = ("Höglandets IT", "Ekonomiservice", "Familjerätt")
weights = st.decimals(min_value=0, max_value=100_000, places=2)


@st.composite
def fee_budgets(draw, *, max_members: int = 5) -> Budget:
    """Valid ``avgifter`` budgets: activities with lines and one to three keys each, every activity with a
    member that has weight in each plan year of its first key, a planned result financed through Gemensamt."""
    first = draw(st.integers(min_value=2015, max_value=2030))
    history = draw(st.sampled_from([[], ["utfall"], ["prognos"], ["utfall", "prognos"]]))
    kinds = [*history, *(["plan"] * draw(st.integers(min_value=1, max_value=3)))]
    years = [BudgetYear(year=first + i, kind=k) for i, k in enumerate(kinds)]
    numbers = [y.year for y in years]
    plan = [y.year for y in years if y.kind == "plan"]
    names = [f"Kommun {i}" for i in range(draw(st.integers(min_value=1, max_value=max_members)))]
    members = [Member(name=n, kind="kommun", contributions={y: draw(money) for y in numbers}) for n in names]
    activities = [None, *draw(st.lists(st.sampled_from(ACTIVITY_NAMES), unique=True, max_size=3))]
    costs, revenues, keys = [], [], []
    for a, activity in enumerate(activities):
        for j in range(draw(st.integers(min_value=1, max_value=3))):
            costs.append(
                CostLine(name=f"Kostnad {a}.{j}", activity=activity, amounts={y: draw(money) for y in numbers})
            )
        if draw(st.booleans()):
            amounts = {y: draw(st.integers(0, 5_000_000)) for y in numbers}
            revenues.append(RevenueLine(name=f"Intäkt {a}", activity=activity, amounts=amounts))
        for k in range(draw(st.integers(min_value=1, max_value=3))):
            table = {n: {y: draw(weights) for y in numbers} for n in names}
            for y in plan:  # somebody takes part every plan year
                table[draw(st.sampled_from(names))][y] = draw(st.decimals(min_value=1, max_value=100_000, places=2))
            keys.append(CostKey(activity=activity, name=f"nyckel {k}", weights=table))
    planned = {y: draw(st.integers(-1_000_000, 1_000_000)) for y in plan}
    return Budget(
        name="Avgiftsförbundet",
        financing="avgifter",
        years=years,
        opening_equity=draw(st.integers(min_value=0, max_value=20_000_000)),
        members=members,
        revenues=revenues,
        costs=costs,
        keys=keys,
        planned_result=planned,
    )
