"""Reception's list of the day's phone consultations: whom to ring, when, on which
number, and a link to record each consultation once held."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from secondcareer.booking.forms import staff_name
from secondcareer.booking.selectors import program_consultants, todays_consultations
from secondcareer.booking.staff_views.common import _booking_program, _context, _local, _url
from secondcareer.core.audit import audit_records_listed
from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import parse_iso_date
from secondcareer.core.jpcalendar import format_date_ja
from secondcareer.people.models import User
from secondcareer.programs.choices import Method


def _day(raw: str, errors: list[str]) -> dt.date:
    today = timezone.localdate()
    if not raw:
        return today
    try:
        return parse_iso_date(raw, field="day")
    except (ValueError, DomainError):
        errors.append(
            _(
                "日付は 2027-01-06 のように、年-月-日で指定してください。今日の一覧を表示しています。"
            )
        )
        return today


def _consultant(raw: str, consultants: list[User], errors: list[str]) -> User | None:
    if not raw:
        return None
    by_id = {str(u.pk): u for u in consultants}
    found = by_id.get(raw.strip())
    if found is None:
        errors.append(
            _(
                "指定されたキャリアコンサルタントは、この事業にいません。全員の一覧を表示しています。"
            )
        )
    return found


@login_required
@require_GET
def call_list(request: HttpRequest, program: str) -> HttpResponse:
    """``?day=YYYY-MM-DD&consultant=ID``: the day's phone consultations in start order,
    with the seeker's phone number (booking permission only; every seeker shown is
    audited as listed, note ``call-list``)."""
    current = _booking_program(request, program)
    errors: list[str] = []
    day = _day(request.GET.get("day", ""), errors)
    consultants = list(program_consultants(current))
    consultant = _consultant(request.GET.get("consultant", ""), consultants, errors)
    rows = [r for r in todays_consultations([current], consultant, day) if r.method == Method.PHONE]
    audit_records_listed(
        request, [r.seeker for r in rows], program_slug=current.slug, note="call-list"
    )
    record_url = reverse("consultations:record_create", args=[current.slug])
    calls: list[dict[str, Any]] = [
        {
            "reservation": r,
            "time": f"{_local(r.starts_at):%H:%M}〜{_local(r.ends_at):%H:%M}",
            "name": r.seeker.full_name,
            "phone": r.seeker.phone,
            "consultant": staff_name(r.consultant) if r.consultant else "",
            "record_url": f"{record_url}?reservation={r.pk}",
        }
        for r in rows
    ]
    chosen = str(consultant.pk) if consultant else ""

    def link(moved: dt.date) -> str:
        return _url("call_list", current.slug, day=moved.isoformat(), consultant=chosen)

    return render(
        request,
        "booking/staff/call_list.html",
        _context(
            request,
            current,
            nav_section="calls",
            title=_("%(date)sの電話相談") % {"date": format_date_ja(day)},
            day=day,
            calls=calls,
            errors=errors,
            consultants=[{"id": str(u.pk), "name": staff_name(u)} for u in consultants],
            chosen=chosen,
            prev_url=link(day - dt.timedelta(days=1)),
            next_url=link(day + dt.timedelta(days=1)),
            today_url=link(timezone.localdate()),
        ),
        status=400 if errors else 200,
    )
