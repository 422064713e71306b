"""How events are named and grouped on a screen, shared by the command line and the app: short
names of ACLED's types and sub-types, and periods of time (month, quarter, year) for a chart.

Plain strings and numbers: no Textual or Rich here (db runs without them), so each side styles
what it gets.
"""

from __future__ import annotations

from dataclasses import dataclass

# Short names of ACLED's types, and of the sub-types under each, for a column that fits
# ("sub-type where it fits").
SHORT_TYPES = {
    "Battles": "Battle",
    "Explosions/Remote violence": "Explosion",
    "Violence against civilians": "Civilians",
    "Protests": "Protest",
    "Riots": "Riot",
    "Strategic developments": "Strategic",
}
SUB_TYPES_OF = {
    "Battles": {
        "Armed clash": "Clash",
        "Government regains territory": "Gov regains",
        "Non-state actor overtakes territory": "Takeover",
    },
    "Explosions/Remote violence": {
        "Chemical weapon": "Chemical",
        "Air/drone strike": "Air strike",
        "Suicide bomb": "Suicide bomb",
        "Shelling/artillery/missile attack": "Shelling",
        "Remote explosive/landmine/IED": "IED/mine",
        "Grenade": "Grenade",
    },
    "Violence against civilians": {
        "Sexual violence": "Sexual viol.",
        "Attack": "Attack",
        "Abduction/forced disappearance": "Abduction",
    },
    "Protests": {
        "Peaceful protest": "Protest",
        "Protest with intervention": "Protest, int.",
        "Excessive force against protesters": "Force on prot",
    },
    "Riots": {"Violent demonstration": "Violent demo", "Mob violence": "Mob violence"},
    "Strategic developments": {
        "Agreement": "Agreement",
        "Arrests": "Arrests",
        "Change to group/activity": "Group change",
        "Disrupted weapons use": "Disrupted",
        "Headquarters or base established": "Base set up",
        "Looting/property destruction": "Looting",
        "Non-violent transfer of territory": "Handover",
        "Other": "Other",
    },
}
SHORT_SUB_TYPES = {sub: short for subs in SUB_TYPES_OF.values() for sub, short in subs.items()}
SHORT_TYPE_WIDTH = max(map(len, SHORT_TYPES.values()))
SHORT_SUB_TYPE_WIDTH = max(map(len, SHORT_SUB_TYPES.values()))


def short_type(type_: str, sub_type: str, width: int) -> str:
    """The sub-type's short name where it fits `width`, else the type's (a name ACLED does not
    define is kept as it is: the caller clips it)."""
    sub = SHORT_SUB_TYPES.get(sub_type, sub_type)
    return sub if len(sub) <= width else SHORT_TYPES.get(type_, type_)


# ---- periods of time ----------------------------------------------------------------------

# Months per column, finest first; past a year, whole years per column.
STEPS = ((1, "month"), (3, "quarter"), (12, "year"))


@dataclass(frozen=True)
class Period:
    first: str  # its first month, YYYY-MM
    label: str  # "2017-06", "2017-Q2", "2017", "2010–2014"
    count: int


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def periods(months: list[tuple[str, int]], width: int) -> tuple[list[Period], str]:
    """Every period between the first and the last month of `months` ((YYYY-MM, count), in any
    order), empty ones included, the finest whose columns fit `width`; and the unit's name.
    Quarters and years start where the calendar's do, so a column is always a whole period."""
    counts: dict[int, int] = {}
    for month, n in months:
        counts[_index(month)] = counts.get(_index(month), 0) + n
    if not counts:
        return [], "month"
    first, last = min(counts), max(counts)
    years = last // 12 - first // 12 + 1
    candidates = [*STEPS, *((12 * k, f"{k} years") for k in (2, 5, 10, 20, 50, 100))]
    step, unit = next(
        ((s, u) for s, u in candidates if last // s - first // s + 1 <= max(width, 1)),
        (12 * years, f"{years} years"),
    )
    out = []
    for column in range(first // step, last // step + 1):
        start = column * step
        count = sum(counts.get(m, 0) for m in range(start, start + step))
        out.append(Period(_month(start), _label(start, step), count))
    return out, unit


def _label(start: int, step: int) -> str:
    year, month = start // 12, start % 12 + 1
    if step == 1:
        return f"{year:04d}-{month:02d}"
    if step == 3:
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if step == 12:
        return f"{year:04d}"
    return f"{year:04d}–{year + step // 12 - 1:04d}"


def period_of(found: list[Period], month: str) -> int | None:
    """The column of `found` that holds `month` (YYYY-MM), or None outside them."""
    if not found or not month:
        return None
    step = _index(found[1].first) - _index(found[0].first) if len(found) > 1 else 1
    column = (_index(month) - _index(found[0].first)) // step
    return column if 0 <= column < len(found) else None


BLOCKS = " ▁▂▃▄▅▆▇█"


def bars(counts: list[int], height: int = 1) -> list[str]:
    """Columns of block characters, `height` lines from the top, one character per count: the
    tallest fills the height, and any count above zero shows at least its lowest eighth."""
    top = max(counts, default=0) or 1
    eighths = [0 if n == 0 else max(1, round(n * 8 * height / top)) for n in counts]
    lines = []
    for row in range(height - 1, -1, -1):  # the top line first
        lines.append("".join(BLOCKS[min(8, max(0, e - 8 * row))] for e in eighths))
    return lines


def year_ticks(found: list[Period], width: int | None = None) -> str:
    """A line under the columns naming years where their first column starts ("2017", or "'17"
    where years are close): every year when there is room, else every 2nd, 5th, 10th... A first
    year too short for its name is left unnamed. The line may run `width` past the columns."""
    if not found:
        return ""
    width = max(width or 0, len(found))
    step = _index(found[1].first) - _index(found[0].first) if len(found) > 1 else 1
    per_year = 12 / step  # columns per year
    every, text = next(
        ((k, t) for k in (1, 2, 5, 10, 20, 50, 100, 1000) for t in ("2017", "'17") if k * per_year >= len(t) + 1),
        (1000, "'17"),
    )
    line = [" "] * width
    free = 0  # the first column a name may start at
    for i, p in enumerate(found):
        year = int(p.label[:4])
        if (i > 0 and p.label[:4] == found[i - 1].label[:4]) or year % every:
            continue
        name = str(year) if len(text) == 4 else f"'{year % 100:02d}"
        first_year_short = i == 0 and step < 12 and (12 - int(p.first[5:7]) + 1) / step < len(name) + 1
        if i >= free and i + len(name) <= width and not first_year_short:
            line[i : i + len(name)] = name
            free = i + len(name) + 1
    return "".join(line).rstrip()
