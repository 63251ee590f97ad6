from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from secondcareer.core.audit import audit_record_view, audit_records_listed
from secondcareer.core.jpcalendar import format_date_ja, format_wareki
from secondcareer.people.access import program_object_or_404, programs_with_perm
from secondcareer.people.ages import AGE_BAND_LABELS, age_band
from secondcareer.people.card_pdf import user_card_pdf
from secondcareer.people.models import Seeker
from secondcareer.people.selectors import seeker_search


@login_required
@require_GET
def seeker_list(request: HttpRequest) -> HttpResponse:
    programs = programs_with_perm(request.user, "people.view_seeker")
    if not programs.exists():
        # Staff without seeker access (the municipality) never see a list of people.
        raise PermissionDenied
    query = request.GET.get("q", "")[:100]
    program_id = request.GET.get("program")
    selected = None
    if program_id and program_id.isdigit():
        selected = programs.filter(pk=int(program_id)).first()
    seekers = list(
        seeker_search(user=request.user, query=query, program_id=selected.pk if selected else None)[
            :50
        ]
    )
    # Results list names and card numbers: one view entry per seeker, per program.
    by_program: dict[str, list[Seeker]] = {}
    for found in seekers:
        by_program.setdefault(found.program.slug, []).append(found)
    for slug, shown in by_program.items():
        audit_records_listed(request, shown, program_slug=slug, note="search")
    return render(
        request,
        "people/seeker_list.html",
        {"seekers": seekers, "query": query, "programs": programs, "selected": selected},
    )


@login_required
@require_GET
def seeker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    seeker = program_object_or_404(
        request.user,
        Seeker.objects.select_related("program", "area").filter(pk=pk),
        "people.view_seeker",
    )
    audit_record_view(request, seeker, program_slug=seeker.program.slug)
    today = timezone.localdate()
    age = seeker.age_on(today)
    return render(
        request,
        "people/seeker_detail.html",
        {
            "seeker": seeker,
            "age": age,
            "age_band": AGE_BAND_LABELS[age_band(age)],
            "birth_date_ja": format_wareki(seeker.birth_date),
            "registered_on_ja": format_date_ja(seeker.registered_on),
            "consents": seeker.consents.all(),
        },
    )


@login_required
@require_GET
def seeker_card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The seeker's user card (利用者カード) to print at the first visit: the same access
    as the record itself, and one audit entry, since the card shows name and number."""
    seeker = program_object_or_404(
        request.user,
        Seeker.objects.select_related("program").filter(pk=pk),
        "people.view_seeker",
    )
    audit_record_view(request, seeker, program_slug=seeker.program.slug)
    response = HttpResponse(user_card_pdf(seeker), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="user-card-{seeker.pk}.pdf"'
    return response
