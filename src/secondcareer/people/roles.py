"""What each role may do, as Django permissions. One Django group per role holds them
(kept in sync after every migrate); *where* a user may use them comes from
:class:`~secondcareer.people.models.Membership` — see :mod:`secondcareer.people.access`.

Each app declares what the roles may do with its own models by calling
:func:`register_role_permissions` from its ``AppConfig.ready()``; people keeps the
registry and computes ``ROLE_PERMISSIONS`` from it. No app changes another's table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from secondcareer.people.models import Role

ROLE_GROUP_NAMES: dict[str, str] = {
    Role.RECEPTION: "役割: 受付事務",
    Role.CONSULTANT: "役割: キャリアコンサルタント",
    Role.JOB_DEVELOPER: "役割: 求人開拓員",
    Role.MANAGER: "役割: 運営管理責任者",
    Role.MUNICIPALITY: "役割: 委託元（自治体）",
}

# people's own grants: "app_label.codename" permissions of each role within its program.
_PEOPLE_GRANTS: dict[str, set[str]] = {
    Role.RECEPTION: {
        "people.view_seeker",
        "people.add_seeker",
        "people.change_seeker",
        "people.view_consentrecord",
        "people.add_consentrecord",
    },
    Role.CONSULTANT: {
        "people.view_seeker",
        "people.add_seeker",
        "people.change_seeker",
        "people.view_consentrecord",
        "people.add_consentrecord",
    },
    # Job developers see a seeker's matching profile, never case notes.
    Role.JOB_DEVELOPER: {"people.view_seeker"},
    Role.MANAGER: {
        "people.view_seeker",
        "people.add_seeker",
        "people.change_seeker",
        "people.view_consentrecord",
        "people.add_consentrecord",
        "people.view_membership",
        "people.view_program_reports",
        "people.manage_program",
    },
    # The municipality sees aggregated reports and KPIs only — never a person's record.
    Role.MUNICIPALITY: {"people.view_program_reports"},
}

_REGISTRY: dict[str, dict[str, frozenset[str]]] = {}

# What each role grants, every app's registrations together (read it, never change it).
ROLE_PERMISSIONS: dict[str, set[str]] = {}


def register_role_permissions(app_label: str, grants: Mapping[str, Iterable[str]]) -> None:
    """Declare what each role may do with ``app_label``'s models (called from the app's
    ``ready()``; calling again replaces that app's grants). Only the app's own
    permissions may be given, to roles that exist."""
    for role, perms in grants.items():
        if role not in ROLE_GROUP_NAMES:
            raise ValueError(f"unknown role {role!r} in the grants of {app_label}")
        foreign = sorted(p for p in perms if not p.startswith(f"{app_label}."))
        if foreign:
            raise ValueError(f"{app_label} may grant only its own permissions, not {foreign}")
    _REGISTRY[app_label] = {role: frozenset(perms) for role, perms in grants.items()}
    ROLE_PERMISSIONS.clear()
    for role in ROLE_GROUP_NAMES:
        ROLE_PERMISSIONS[role] = set().union(
            *(app_grants.get(role, frozenset()) for app_grants in _REGISTRY.values())
        )


register_role_permissions("people", _PEOPLE_GRANTS)


def sync_role_groups(**kwargs: object) -> None:
    """Create or update the role groups with exactly their permissions (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, group_name in ROLE_GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = ROLE_PERMISSIONS[role]
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
