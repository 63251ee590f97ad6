"""What each role may do, as Django permissions. One Django group per role holds them
(kept in sync after every migrate); *where* a user may use them comes from
:class:`~secondcareer.people.models.Membership` — see :mod:`secondcareer.people.access`.

Later apps extend ``ROLE_PERMISSIONS`` for their own models (bookings, case records…).
"""

from __future__ import annotations

from secondcareer.people.models import Role

ROLE_GROUP_NAMES: dict[str, str] = {
    Role.RECEPTION: "役割: 受付事務",
    Role.CONSULTANT: "役割: キャリアコンサルタント",
    Role.JOB_DEVELOPER: "役割: 求人開拓員",
    Role.MANAGER: "役割: 運営管理責任者",
    Role.MUNICIPALITY: "役割: 委託元（自治体）",
}

# "app_label.codename" permissions granted by each role within its program.
ROLE_PERMISSIONS: dict[str, set[str]] = {
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
