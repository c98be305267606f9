"""The order of a day's visits: least travel from the rep's start address and back, within
each practice's hours and at the fixed appointments.

Why it is shaped like this: a rep's day has a dozen or two stops, planned on a laptop that may
be offline, so there is no road network and no routing service. Distances are great-circle
distances times a road factor (roads are rarely straight; 1.3 is the usual figure for German
towns and countryside), travel time that distance at an average speed. The order comes from
cheapest insertion (each stop where it adds least) and is then improved by 2-opt (reverse a
stretch) and Or-opt (move a stretch of one to three stops elsewhere) until no move helps.
A move is first judged by its change in distance, in constant time; only one that shortens
the day, or any while the day is still late somewhere, is scheduled in full. Lateness
(arriving after a practice closes or after an appointment) costs far more than any detour,
so a feasible day always wins over a shorter late one; waiting for a practice to open costs
nothing but shows in the schedule.

Pure Python, no Qt and no store: the day's stops are plain values, so tests can compare the
result with the optimum found by trying every order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0
#: Road distance per great-circle distance.
ROAD_FACTOR = 1.3
#: Average speed between practices, km/h (town and country roads, parking included).
SPEED_KMH = 40.0
#: Cost of one minute late, in km: any lateness outweighs any detour of a day.
LATE_PENALTY_KM = 1000.0
_EPS = 1e-9
#: Days up to this many stops are searched from every construction, longer ones from the best.
SEARCH_ALL_UP_TO = 10


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Stop:
    """One visit: where, how long, and when it may start (minutes after midnight).

    A fixed appointment has `earliest == latest`: the visit starts then, not before."""

    key: str
    point: Point
    service_min: int = 20
    earliest: int = 0
    latest: int = 24 * 60

    @staticmethod
    def fixed(key: str, point: Point, at_min: int, service_min: int = 20) -> Stop:
        return Stop(key, point, service_min, at_min, at_min)

    @property
    def is_fixed(self) -> bool:
        return self.earliest == self.latest


@dataclass(frozen=True)
class Leg:
    """A stop in the planned order: when the rep arrives, starts and leaves (minutes)."""

    stop: Stop
    km: float
    arrive: float
    start: float
    leave: float
    late: float


@dataclass(frozen=True)
class Route:
    legs: tuple[Leg, ...]
    km: float  # the whole day, home to home
    home_km: float  # the last leg, back to the start
    back_at: float  # minutes after midnight
    late: float  # total minutes late over all stops

    @property
    def order(self) -> list[str]:
        return [leg.stop.key for leg in self.legs]

    @property
    def cost(self) -> float:
        return self.km + LATE_PENALTY_KM * self.late


def great_circle_km(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Day:
    """The distance matrix (index 0 is the start address) and the schedule of an order."""

    def __init__(self, start: Point, stops: Sequence[Stop], day_start_min: int,
                 road_factor: float, speed_kmh: float) -> None:
        points = [start, *(s.point for s in stops)]
        self.stops = list(stops)
        self.km = [[great_circle_km(a, b) * road_factor for b in points] for a in points]
        self.min_per_km = 60.0 / speed_kmh
        self.day_start = day_start_min

    def evaluate(self, order: Sequence[int]) -> tuple[float, float]:
        """(km, minutes late) of visiting stop indices `order` (1-based) from home and back."""
        km_rows, per_km, stops = self.km, self.min_per_km, self.stops
        now, here, km, late = float(self.day_start), 0, 0.0, 0.0
        for node in order:
            d = km_rows[here][node]
            km += d
            now += d * per_km
            stop = stops[node - 1]
            if now < stop.earliest:
                now = stop.earliest
            elif now > stop.latest:
                late += now - stop.latest
            now += stop.service_min
            here = node
        return km + km_rows[here][0], late

    def cost(self, order: Sequence[int], bound: float = math.inf, first: int = 0,
             state: tuple[float, int, float] | None = None) -> float:
        """km + the lateness penalty; `inf` as soon as it reaches `bound` (both only grow
        along the day, so most rejected moves stop after a few stops). `state` is the
        (time, place, cost) after `order[:first]`, when the caller knows it already."""
        km_rows, per_km, stops = self.km, self.min_per_km, self.stops
        now, here, cost = state if state is not None else (float(self.day_start), 0, 0.0)
        for index in range(first, len(order)):
            node = order[index]
            d = km_rows[here][node]
            cost += d
            now += d * per_km
            stop = stops[node - 1]
            if now < stop.earliest:
                now = stop.earliest
            elif now > stop.latest:
                cost += LATE_PENALTY_KM * (now - stop.latest)
            if cost >= bound:
                return math.inf
            now += stop.service_min
            here = node
        cost += km_rows[here][0]
        return math.inf if cost >= bound else cost

    def states(self, order: Sequence[int]) -> list[tuple[float, int, float]]:
        """(time, place, cost) before each position of `order`: where a changed order that
        keeps the first stops can resume its schedule."""
        km_rows, per_km, stops = self.km, self.min_per_km, self.stops
        now, here, cost = float(self.day_start), 0, 0.0
        out = [(now, here, cost)]
        for node in order:
            d = km_rows[here][node]
            cost += d
            now += d * per_km
            stop = stops[node - 1]
            if now < stop.earliest:
                now = stop.earliest
            elif now > stop.latest:
                cost += LATE_PENALTY_KM * (now - stop.latest)
            now += stop.service_min
            here = node
            out.append((now, here, cost))
        return out

    def route(self, order: Sequence[int]) -> Route:
        legs: list[Leg] = []
        now, here, total, late = float(self.day_start), 0, 0.0, 0.0
        for node in order:
            d = self.km[here][node]
            total += d
            arrive = now + d * self.min_per_km
            stop = self.stops[node - 1]
            start = max(arrive, float(stop.earliest))
            over = max(0.0, arrive - stop.latest)
            late += over
            now = start + stop.service_min
            legs.append(Leg(stop, d, arrive, start, now, over))
            here = node
        home = self.km[here][0]
        return Route(tuple(legs), total + home, home, now + home * self.min_per_km, late)


def _insertion(day: Day, nodes: list[int]) -> list[int]:
    """Cheapest insertion, stops taken in the order given."""
    order: list[int] = []
    for node in nodes:
        best, where = math.inf, 0
        for i in range(len(order) + 1):
            cost = day.cost([*order[:i], node, *order[i:]], best)
            if cost < best - _EPS:
                best, where = cost, i
        order.insert(where, node)
    return order


class _Search:
    """First-improvement local search over one order: each pass applies every improving move
    it meets and goes on scanning, rather than starting over after each."""

    def __init__(self, day: Day, order: list[int]) -> None:
        self.day = day
        self.order = order
        self.current = day.cost(order)
        self.late = day.evaluate(order)[1]
        self.states = day.states(order)

    def _try(self, candidate: list[int], delta_km: float, first: int) -> bool:
        """Take `candidate` if it is cheaper; it equals the current order before `first`."""
        # On a day without lateness only a shorter day can be cheaper.
        if delta_km >= -_EPS and self.late <= 0:
            return False
        cost = self.day.cost(candidate, self.current - _EPS, first, self.states[first])
        if cost == math.inf:
            return False
        self.order, self.current = candidate, cost
        self.late = self.day.evaluate(candidate)[1]
        self.states = self.day.states(candidate)
        return True

    def two_opt(self) -> bool:
        """Reverse order[i..j]."""
        km, improved = self.day.km, False
        n = len(self.order)
        for i in range(n - 1):
            for j in range(i + 1, n):
                tour = self.order
                a = tour[i - 1] if i else 0
                d = tour[j + 1] if j + 1 < n else 0
                b, c = tour[i], tour[j]
                delta = km[a][c] + km[b][d] - km[a][b] - km[c][d]
                if self._try(tour[:i] + tour[i:j + 1][::-1] + tour[j + 1:], delta, i):
                    improved = True
        return improved

    def or_opt(self) -> bool:
        """Move a stretch of one to three stops, as it is or reversed, to another place."""
        km, improved = self.day.km, False
        n = len(self.order)
        for length in (1, 2, 3):
            for i in range(n - length + 1):
                order = self.order
                segment = order[i:i + length]
                rest = order[:i] + order[i + length:]
                before = order[i - 1] if i else 0
                after = order[i + length] if i + length < n else 0
                removed = km[before][segment[0]] + km[segment[-1]][after] - km[before][after]
                for k in range(len(rest) + 1):
                    if k == i:
                        continue
                    p = rest[k - 1] if k else 0
                    q = rest[k] if k < len(rest) else 0
                    for piece in ((segment, segment[::-1]) if length > 1 else (segment,)):
                        added = km[p][piece[0]] + km[piece[-1]][q] - km[p][q]
                        if self._try(rest[:k] + piece + rest[k:], added - removed, min(i, k)):
                            improved = True
                            break
                    if improved and self.order is not order:
                        break
        return improved

    def run(self) -> list[int]:
        while self.two_opt() | self.or_opt():
            pass
        return self.order


def plan_route(start: Point, stops: Sequence[Stop], day_start_min: int = 8 * 60, *,
               road_factor: float = ROAD_FACTOR, speed_kmh: float = SPEED_KMH) -> Route:
    """The day's stops in the order of least travel that keeps the hours and appointments.

    Builds several orders by cheapest insertion (taking the stops by latest start, by
    earliest start, farthest from home first) and improves them by local search: all of them
    on a small day, where it is cheap and finds the optimum more often; on a long day only the
    best one, which keeps a day of 25 stops within the blink of an eye. The order given (the
    rep's own) is improved too whenever it is better than that result, so re-planning never
    makes a hand-made order worse."""
    day = Day(start, stops, day_start_min, road_factor, speed_kmh)
    nodes = list(range(1, len(stops) + 1))
    by_latest = sorted(nodes, key=lambda n: (day.stops[n - 1].latest, n))
    by_earliest = sorted(nodes, key=lambda n: (day.stops[n - 1].earliest, n))
    farthest = sorted(nodes, key=lambda n: -day.km[0][n])
    seeds = sorted((_insertion(day, by_latest), _insertion(day, by_earliest),
                    _insertion(day, farthest)), key=day.cost)
    best = _Search(day, seeds[0]).run()
    for seed in (seeds[1:] if len(stops) <= SEARCH_ALL_UP_TO else []):
        order = _Search(day, seed).run()
        if day.cost(order) < day.cost(best) - _EPS:
            best = order
    if day.cost(nodes) < day.cost(best) - _EPS:
        best = _Search(day, nodes).run()
    return day.route(best)


def route_in_order(start: Point, stops: Sequence[Stop], day_start_min: int = 8 * 60, *,
                   road_factor: float = ROAD_FACTOR, speed_kmh: float = SPEED_KMH) -> Route:
    """The schedule of the stops in exactly the order given (the rep's own order)."""
    day = Day(start, stops, day_start_min, road_factor, speed_kmh)
    return day.route(list(range(1, len(stops) + 1)))
