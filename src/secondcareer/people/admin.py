from typing import cast

from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from secondcareer.core.audit import audit_log
from secondcareer.core.models import AuditAction
from secondcareer.people.models import Membership, User
from secondcareer.people.twofactor import second_factor_reset


class MembershipInline(admin.TabularInline):
    """Shown, not edited: a role is given by ``people.services.membership_grant`` (which
    also gives the role's group and clears the permission cache), never by a bare row."""

    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ("program", "role")
    verbose_name = _("所属・役割")
    verbose_name_plural = _("所属・役割（事業ごとの役割）")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "last_name", "first_name", "is_active", "roles")
    actions = ["unlock_sign_in", "reset_second_factor"]

    @admin.action(description=_("ログインの一時停止を解除する"))
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            axes_reset(username=user.get_username())
            audit_log(actor=request.user, action=AuditAction.UNLOCK, obj=user, request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d人のログイン停止を解除しました。",
                "%(count)d人のログイン停止を解除しました。",
                queryset.count(),
            )
            % {"count": queryset.count()},
            messages.SUCCESS,
        )

    @admin.action(description=_("二要素認証をリセットする（次回ログインで再登録）"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            second_factor_reset(user=user, actor=cast(User, request.user), request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d人の二要素認証をリセットしました。次回のログインで認証アプリを登録し直します。",
                "%(count)d人の二要素認証をリセットしました。次回のログインで認証アプリを登録し直します。",
                queryset.count(),
            )
            % {"count": queryset.count()},
            messages.SUCCESS,
        )

    @admin.display(description=_("役割"))
    def roles(self, obj: User) -> str:
        return "、".join(
            f"{m.program.slug}: {m.get_role_display()}"
            for m in obj.memberships.select_related("program")
        )
