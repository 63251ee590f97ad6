"""One way to write (issue 11, item 5; ADR 0021).

Domain models are saved, created, updated and deleted only in ``services.py`` or a
``services/`` package. This test scans every module under ``src/secondcareer`` (tests,
migrations and demo seeders exempt) for calls of the write methods and fails, naming
file:line, on any that is not in the allow-list below.

The allow-list is keyed by (module path, function) and holds no domain write: the audit
log's writer, sign-in machinery (django-otp devices, auth groups), the cache stamp and
test helpers, each with its reason. A stale entry fails the test too. Writes through
``core.sql`` (the booking hot path's hand-written statements, ADR 0011) are issued from
booking's services.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]

WRITE_METHODS = frozenset(
    {
        "save",
        "delete",
        "create",
        "update",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
    }
)

EXEMPT_FILES = frozenset({"demo.py", "demodata.py", "conftest.py"})
EXEMPT_DIRS = frozenset({"tests", "migrations"})

# (module, function) -> why that function may write although it is not in a service.
ALLOWED: dict[tuple[str, str], str] = {
    ("core/audit.py", "audit_records_shown"): "the audit log's one writer, called by services",
    ("core/audit.py", "audit_log_bulk"): "the audit log's one writer, called by services",
    ("core/models.py", "save"): "the append-only base model's save override",
    ("people/roles.py", "sync_role_groups"): "Django auth groups mirrored from the role table",
    ("people/twofactor.py", "totp_enrolment_start"): "django-otp devices: sign-in machinery",
    ("people/twofactor.py", "totp_enrolment_confirm"): "django-otp devices: sign-in machinery",
    ("people/twofactor.py", "recovery_codes_issue"): "django-otp recovery codes",
    ("people/twofactor.py", "second_factor_reset"): "django-otp devices: sign-in machinery",
    ("people/twofactor.py", "demo_second_factor"): "django-otp devices for the demo's staff",
    ("programs/signals.py", "program_schedule_changed"): (
        "the schedule stamp that invalidates the slot caches after any write (ADR 0010)"
    ),
    ("devtools/testing/staff.py", "totp_device_for"): "test helper: signs a staff user in",
    ("devtools/testing/staff.py", "sign_in_staff"): "test helper: the session store",
}

# Receivers that are not models: a dict's or a set's .update().
NOT_MODELS = frozenset(
    {"params", "connection.settings_dict", "environ", "found", "group_env", "env", "headers"}
)


def _exempt(rel: Path) -> bool:
    parts = rel.parts
    if EXEMPT_DIRS.intersection(parts[:-1]) or parts[-1] in EXEMPT_FILES:
        return True
    return parts[-1] == "services.py" or "services" in parts[:-1]


def _writes(package: Path = PACKAGE) -> list[tuple[str, int, str, str, str]]:
    """(module, line, method, receiver, enclosing function) of every write call."""
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if _exempt(rel):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes: list[tuple[ast.AST, str]] = [(tree, "<module>")]
        scopes += [
            (node, node.name)
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        seen: set[int] = set()
        # innermost function first, so a call is named after the function it is written in
        for scope, name in sorted(scopes, key=lambda s: -getattr(s[0], "lineno", 0)):
            for node in ast.walk(scope):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in WRITE_METHODS
                    and id(node) not in seen
                ):
                    seen.add(id(node))
                    receiver = ast.unparse(node.func.value)
                    if receiver not in NOT_MODELS:
                        found.append((rel.as_posix(), node.lineno, node.func.attr, receiver, name))
    return sorted(found)


def test_domain_writes_happen_only_in_services() -> None:
    offending = [
        f"{path}:{line}: .{method}() on {receiver} in {function}()"
        for path, line, method, receiver, function in _writes()
        if (path, function) not in ALLOWED
    ]
    assert not offending, (
        "Domain models are written only in services.py / services/ (ADR 0021). "
        "Move these writes into a service:\n" + "\n".join(offending)
    )


def test_allow_list_has_no_stale_entries() -> None:
    seen = {(path, function) for path, _, _, _, function in _writes()}
    stale = sorted(set(ALLOWED) - seen)
    assert not stale, f"Remove these allow-list entries, the write is gone: {stale}"


def test_the_scan_finds_a_write_outside_services(tmp_path: Path) -> None:
    for module, text in {
        "booking/views.py": "def book(r):\n    r.save()\n",
        "booking/services.py": "def reservation_create(r):\n    r.save()\n",
        "booking/services/bulk.py": "def many(M, rows):\n    M.objects.bulk_create(rows)\n",
        "booking/tests/test_x.py": "def test_x(r):\n    r.delete()\n",
        "booking/migrations/0002.py": "def forwards(M):\n    M.objects.update(a=1)\n",
        "booking/admin.py": "class A:\n    def save_model(self, o):\n        o.objects.filter(a=1).update(b=2)\n",
    }.items():
        (tmp_path / module).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / module).write_text(text)
    assert [(path, method, function) for path, _, method, _, function in _writes(tmp_path)] == [
        ("booking/admin.py", "update", "save_model"),
        ("booking/views.py", "save", "book"),
    ]
