"""The community's time zone: what a post's time written without an offset means.

People write local times (``date: 2025-03-05 09:40`` is nine forty where the community lives). The
model keeps naive datetimes in that zone; a time written with an offset (``…T09:30:00+05:30``, ``…Z``
from an export) is converted to it when read, and feeds give every time its offset. The zone is the
plugin's ``time_zone`` option (default Europe/Paris), set once per process from the project's
configuration (``Project.from_config`` for the CLI and the intake, the plugin for builds).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from entraide.errors import EntraideError

DEFAULT = "Europe/Paris"
_zone: tzinfo = ZoneInfo(DEFAULT)


def parse_zone(name: object) -> tzinfo:
    """The zone an IANA name names; a clear error for anything else."""
    try:
        if not isinstance(name, str) or not name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise EntraideError(f"time_zone {name!r} is not a known time zone, such as Europe/Paris or UTC") from None


def set_zone(zone: tzinfo) -> None:
    global _zone
    _zone = zone


def zone() -> tzinfo:
    return _zone


def now() -> datetime:
    """The community's wall-clock time now, as posts write it."""
    return datetime.now(_zone).replace(tzinfo=None)


def local(value: datetime) -> datetime:
    """``value`` as a naive wall-clock time of the community's zone (naive values are already that)."""
    return value.astimezone(_zone).replace(tzinfo=None) if value.tzinfo is not None else value


def aware(value: datetime) -> datetime:
    """A model time with the community's offset, for feeds."""
    return value.replace(tzinfo=_zone) if value.tzinfo is None else value
