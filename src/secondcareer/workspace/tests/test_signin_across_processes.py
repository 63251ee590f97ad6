"""The lockout holds across web processes: two gunicorn processes on one database and
its shared cache, wrong passwords sent to each in turn."""

from __future__ import annotations

from secondcareer.devtools.testing.servers import Browser, ServerGroup

PASSWORD = "harbour-lantern-quietly-42"
LOCKED = "ログインに続けて失敗したため"


def _create_staff(group: ServerGroup, *usernames: str) -> None:
    group.python(
        "from secondcareer.people.models import User\n"
        f"for name in {list(usernames)!r}:\n"
        f"    User.objects.create_user(name, password={PASSWORD!r}, is_staff=True)"
    )


def _sign_in(server: str, username: str, password: str, *, ip: str):
    browser = Browser(source_ip=ip)
    browser.get(f"{server}/staff/login/")  # the CSRF cookie, as a browser gets it
    return browser.post(f"{server}/staff/login/", {"username": username, "password": password})


def _passed_the_password(response) -> bool:
    return response.status == 302 and "/staff/login/second-factor/" in response.headers["location"]


def test_the_sixth_wrong_password_locks_on_both_processes(gunicorn_pair: ServerGroup):
    a, b = gunicorn_pair.urls
    _create_staff(gunicorn_pair, "across-1", "across-2")
    ip = "127.0.0.2"

    wrong = [_sign_in(s, "across-1", "wrong-password", ip=ip) for s in (a, b, a, b, a)]
    assert [r.status for r in wrong] == [200] * 5, gunicorn_pair.log_tail()
    # Five failures, counted together: the right password still passes (on the other one).
    assert _passed_the_password(_sign_in(b, "across-1", PASSWORD, ip=ip))

    sixth = _sign_in(b, "across-1", "wrong-password", ip=ip)
    assert sixth.status == 429 and LOCKED in sixth.text
    for server in (a, b):
        refused = _sign_in(server, "across-1", PASSWORD, ip="127.0.0.3")  # by username
        assert refused.status == 429 and LOCKED in refused.text, server
        other = _sign_in(server, "across-2", PASSWORD, ip=ip)  # by address
        assert other.status == 429, server
    # Someone else, from elsewhere, is not affected.
    assert _passed_the_password(_sign_in(a, "across-2", PASSWORD, ip="127.0.0.4"))
