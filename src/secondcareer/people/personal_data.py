"""What people holds on a seeker (docs/personal-data.md): the registration itself and
the consents. Names, kana, phone, email, postcode and address go at anonymising; the
birth date keeps its year and month (the day becomes the 1st), so age groups stay
countable; area, gender, channel, how they heard of us, status and dates stay."""

from __future__ import annotations

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, TruncMonth
from django.utils.translation import gettext_lazy as _

from secondcareer.core.personal_data import TODAY, register, register_subject
from secondcareer.people.models import ConsentRecord, Seeker

ANONYMISED_NAME = "匿名化済み"  # stored in the name, in place of it

register_subject(model=Seeker, program_field="program", anonymised_field="anonymised_on")

register(
    key="people.seeker",
    title=_("利用者の登録情報（利用者カードの番号を含む）"),
    model=Seeker,
    seeker="pk",
    secret=("name_search_key", "phone_digits"),
    anonymise={
        "card_number": Concat(Value("ANON-"), Cast("pk", CharField())),
        "family_name": ANONYMISED_NAME,
        "given_name": "",
        "family_name_kana": "",
        "given_name_kana": "",
        "name_search_key": "",
        "birth_date": TruncMonth("birth_date"),
        "phone": "",
        "phone_digits": "",
        "email": "",
        "postal_code": "",
        "address": "",
        "anonymised_on": TODAY,
    },
    order=10,
)

register(
    key="people.consents",
    title=_("同意の記録"),
    model=ConsentRecord,
    seeker="seeker",
    order=11,
)
