"""The public booking limits (10 bookings an hour per address, 3 a day per phone
number) hold across web processes: two gunicorn processes on one database and its
shared cache, bookings sent to each in turn. Counted per process, each would have let
twice as many through."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from secondcareer.devtools.testing.servers import Browser, ServerGroup

KANA = "あいうえおかきくけこさしすせそ"


def _free_starts(group: ServerGroup, count: int) -> list[str]:
    """Load the Kobe preset into the processes' database and list free online slots."""
    out = group.python(
        "import datetime as dt, json\n"
        "from django.utils import timezone\n"
        "from secondcareer.booking.selectors import availability\n"
        "from secondcareer.programs.services import program_load_preset\n"
        "program = program_load_preset(path_or_name='kobe').program\n"
        "today = timezone.localdate()\n"
        "not_before = timezone.now() + dt.timedelta(days=1)\n"
        "rows = availability(program=program, service_code='online',\n"
        "    start=today + dt.timedelta(days=1), end=today + dt.timedelta(days=30))\n"
        "print(json.dumps([a.slot.start.isoformat() for a in rows\n"
        f"    if a.free > 0 and a.slot.start > not_before][:{count}]))"
    )
    starts = json.loads(out.strip().splitlines()[-1])
    assert len(starts) == count
    return starts


def _book(server: str, start: str, n: int, phone: str, *, ip: str) -> int:
    browser = Browser(source_ip=ip)
    form = browser.get(
        f"{server}/book/kobe/details/?{urlencode({'service': 'online', 'start': start})}"
    )
    assert form.status == 200 and "csrftoken" in browser.cookies  # as a browser gets it
    details = browser.post(
        f"{server}/book/kobe/details/",
        {
            "service": "online",
            "start": start,
            "family_name": "試験",
            "given_name": f"{n}郎",
            "family_name_kana": "しけん",
            "given_name_kana": KANA[n % len(KANA)] * 2,
            "birth_year": "1960",
            "birth_month": "1",
            "birth_day": str(n % 28 + 1),
            "phone": phone,
            "consent": "on",
            "method": "phone",
        },
    )
    assert details.status == 302, details.text[-2000:]
    return browser.post(f"{server}/book/kobe/confirm/").status


def test_the_booking_limits_hold_across_two_processes(gunicorn_pair: ServerGroup):
    a, b = gunicorn_pair.urls
    starts = _free_starts(gunicorn_pair, 15)

    # One address, eleven people: the 11th of the hour is refused, whichever process.
    by_address = [
        _book((a, b)[n % 2], starts[n], n, f"090-5100-{n:04d}", ip="127.0.0.5") for n in range(11)
    ]
    assert by_address == [302] * 10 + [429], gunicorn_pair.log_tail()

    # One phone number from four addresses: the 4th booking of the day is refused.
    by_phone = [
        _book((b, a)[n % 2], starts[11 + n], 11 + n, "090-5200-0001", ip=f"127.0.0.{6 + n}")
        for n in range(4)
    ]
    assert by_phone == [302, 302, 302, 429]
