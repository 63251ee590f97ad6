"""Japanese phone numbers via ``phonenumbers``: stored in national format
(090-1234-5678), searched by digits."""

from __future__ import annotations

import unicodedata

import phonenumbers


class InvalidPhone(ValueError):
    pass


def normalize_phone(text: str) -> str:
    """National format for a valid Japanese number, e.g. 「０９０ １２３４ ５６７８」 →
    「090-1234-5678」; raises :class:`InvalidPhone` with a Japanese message otherwise."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not cleaned:
        raise InvalidPhone("電話番号を入力してください。")
    try:
        number = phonenumbers.parse(cleaned, "JP")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone("電話番号の形式が正しくありません。") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("電話番号の桁数または市外局番が正しくありません。")
    if number.country_code != 81:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_digits(text: str) -> str:
    """Digits only, for search: 「090-1234-5678」 → 「09012345678」."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "") if ch.isdigit())
