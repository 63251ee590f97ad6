from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from secondcareer.people.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    verbose_name = _("所属・役割")
    verbose_name_plural = _("所属・役割（事業ごとの役割）")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "last_name", "first_name", "is_active", "roles")

    @admin.display(description=_("役割"))
    def roles(self, obj: User) -> str:
        return "、".join(
            f"{m.program.slug}: {m.get_role_display()}"
            for m in obj.memberships.select_related("program")
        )
