"""Staff booking screens, one module per subject: the calendar (``calendar``), phone
booking (``phone``), reservation actions (``reservations``), absences (``absence``).

Every view starts with ``common._booking_program`` (or ``common._absence_program``): the
program of the URL, 404 where the user has no role (ids cannot be probed), 403 for a
role that does not book (job developers, the municipality). Then one form, one service
or selector, one template. A service's :class:`DomainError` is shown on the form.
"""

from secondcareer.booking.staff_views.absence import absence, absence_reassign
from secondcareer.booking.staff_views.calendar import calendar, index
from secondcareer.booking.staff_views.calls import call_list
from secondcareer.booking.staff_views.phone import (
    phone_confirm,
    phone_done,
    phone_find,
    phone_slots,
)
from secondcareer.booking.staff_views.reservations import (
    reservation_cancel_view,
    reservation_detail,
    reservation_outcome,
    reservation_reschedule_view,
)

__all__ = [
    "absence",
    "absence_reassign",
    "calendar",
    "call_list",
    "index",
    "phone_confirm",
    "phone_done",
    "phone_find",
    "phone_slots",
    "reservation_cancel_view",
    "reservation_detail",
    "reservation_outcome",
    "reservation_reschedule_view",
]
