"""Places of the world: countries, first-level divisions and towns, with their names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    kind: str  # city | country | region | unresolved
