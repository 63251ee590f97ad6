"""Japanese dates in templates: ``{% load jp %}`` then ``{{ day|jdate }}`` (2026年12月3日(木)),
``{{ moment|jdatetime }}`` (… 14:00) and ``{{ moment|jtime }}`` (14:00), always in Asia/Tokyo
whatever the server's time zone."""

from __future__ import annotations

import datetime as dt

from django import template

from secondcareer.core.jpcalendar import TOKYO, format_date_ja, format_datetime_ja

register = template.Library()


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(TOKYO) if moment.tzinfo else moment


@register.filter
def jdate(value: dt.date | dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return format_date_ja(value)


@register.filter
def jdatetime(value: dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    return format_datetime_ja(_local(value))


@register.filter
def jtime(value: dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    return f"{_local(value):%H:%M}"
