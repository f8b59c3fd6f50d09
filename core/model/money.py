"""Whole-krona arithmetic and the one Swedish formatter for kronor and percent.

Money is always ``int`` kronor. Anything that scales money goes through :func:`apply_percent`
(round half up per amount) or :func:`split_largest_remainder` (parts that add up exactly).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MINUS = "\u2212"  # typographic minus, as in printed Swedish budgets
THIN = " "  # thousands separator; a plain space keeps copied figures searchable


def round_half_up(value: Fraction | Decimal) -> int:
    """Round to the nearest krona, halves away from zero (as finance staff round by hand)."""
    if isinstance(value, Decimal):
        return int(value.to_integral_value(rounding=ROUND_HALF_UP))
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if 2 * rest >= magnitude.denominator:
        whole += 1
    return sign * whole


def apply_percent(amount: int, percent: Decimal | int | float | str) -> int:
    """``amount`` changed by ``percent`` %, rounded half up to whole kronor."""
    factor = Fraction(Decimal(str(percent))) / 100
    return round_half_up(amount * (1 + factor))


def percent_of(amount: int, percent: Decimal | int | float | str) -> int:
    """``percent`` % of ``amount``, rounded half up to whole kronor."""
    return round_half_up(amount * Fraction(Decimal(str(percent))) / 100)


def split_largest_remainder(total: int, weights: Sequence[Fraction | Decimal | int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` so the parts add up exactly to ``total``.

    Each part gets the floor of its exact share; the kronor left over go one each to the parts
    with the largest remainders (ties to the earlier part, so the result is deterministic).
    Zero total weight splits evenly.
    """
    if not weights:
        if total != 0:
            raise ValueError("cannot split a non-zero total over no parts")
        return []
    exact_weights = [Fraction(Decimal(str(w))) if isinstance(w, Decimal) else Fraction(w) for w in weights]
    if any(w < 0 for w in exact_weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact_weights)
    if weight_sum == 0:
        exact_weights = [Fraction(1)] * len(weights)
        weight_sum = Fraction(len(weights))
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    shares = [magnitude * w / weight_sum for w in exact_weights]
    parts = [s.numerator // s.denominator for s in shares]
    left = magnitude - sum(parts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return [sign * p for p in parts]


def split_by_mapping(total: int, weights: Mapping[str, Fraction | Decimal | int]) -> dict[str, int]:
    names = list(weights)
    return dict(zip(names, split_largest_remainder(total, [weights[n] for n in names]), strict=True))


def _group_thousands(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.append(digits[-3:])
        digits = digits[:-3]
    groups.append(digits)
    return THIN.join(reversed(groups))


def format_number(amount: int) -> str:
    """``1362650`` → ``1 362 650``; ``-150000`` → ``−150 000``."""
    sign = MINUS if amount < 0 else ""
    return sign + _group_thousands(str(abs(int(amount))))


def format_kr(amount: int, *, signed: bool = False) -> str:
    """Swedish kronor: ``1 362 650 kr``, ``−150 000 kr``; ``signed`` adds ``+`` to gains (for deltas)."""
    text = format_number(amount) + " kr"
    if signed and amount > 0:
        return "+" + text
    return text


def format_pct(value: Fraction | Decimal | float, decimals: int = 1, *, signed: bool = False) -> str:
    """Swedish percent with decimal comma: ``55,2 %``. ``value`` is in percent, not a fraction."""
    quantum = Decimal(1).scaleb(-decimals)
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value))
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    text = f"{abs(rounded):.{decimals}f}".replace(".", ",")
    integer, _, frac = text.partition(",")
    text = _group_thousands(integer) + ("," + frac if frac else "")
    sign = MINUS if rounded < 0 else ("+" if signed and rounded > 0 else "")
    return f"{sign}{text} %"


def parse_amount(text: str) -> int:
    """Parse an amount as Swedish spreadsheets write it: ``1 234 567``, ``−150 000``, ``-150000``.

    Raises ``ValueError`` for anything that is not a whole number of kronor.
    """
    cleaned = text.strip().replace(MINUS, "-").replace("\u2013", "-")
    for space in (" ", "\u00a0", "\u202f", "\u2009"):
        cleaned = cleaned.replace(space, "")
    if cleaned.endswith("kr"):
        cleaned = cleaned[:-2]
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    negative = cleaned.startswith("-")
    digits = cleaned[1:] if negative else cleaned
    if "," in digits or "." in digits:
        whole, _, frac = digits.replace(",", ".").partition(".")
        if frac.strip("0") == "" and whole.isdigit():
            digits = whole
        else:
            raise ValueError("not whole kronor")
    if not digits.isdigit() or not digits.isascii():
        raise ValueError("not an amount")
    value = int(digits)
    return -value if negative else value


def join_words(words: Sequence[str]) -> str:
    """Words as Swedish prose lists them: ``a, b och c``."""
    return ", ".join(words[:-1]) + " och " + words[-1] if len(words) > 1 else "".join(words)
