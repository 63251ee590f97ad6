"""The outbound policy: the one check every message leaving for LINE passes.

DESIGN.md invariant 2 — *nothing confidential on the SNS*. LINE carries prompts,
dates, times, links and public information; where a seeker needs personal details the
bot sends a link to the platform's own authenticated page instead. This module decides
whether a LINE message object (or a plain string) may go out. It is pure Python (no
ORM, no settings), so the fake LINE platform runs it too, as a second line of defence.

What is refused (every string in the message is inspected, after NFKC normalisation so
that full-width digits, ``＋８１`` and ``－`` are caught; kanji-digit phone numbers such
as 「〇九〇―一二三四―五六七八」 are folded to digits first):

``phone``
    Anything shaped like a Japanese phone number: ``0`` and 9–10 more digits, or
    ``+81`` and 9–10 digits, with or without hyphens, spaces, dots or brackets
    (landline, mobile, 0120/0800 free dial, 0570, 050 IP). The shape decides, not the
    numbering plan: an unassigned number is refused too. A lone 「0120」 passes.
``postal_code``
    〒 with digits, 「郵便番号」 with 7 digits, and any bare ``NNN-NNNN`` (a postal code
    or a local phone number — both personal).
``address``
    A municipality or ward (都道府県市区町村郡) followed by a place name and a lot
    number: 「所沢市並木1-8-1」, 「神戸市中央区御幸通6-1-12」, 「…2丁目3番地」,
    「伊奈町小室5161」. Published venue addresses are public: pass them in ``allow``.
``email``
    An e-mail address.
``birth_date``
    A date in an old era (明治・大正・昭和・平成 with a month, or S33.4.2), any
    20th-century date with a month (1958年4月, 1958/04/02), a date followed by
    生まれ／生／誕生, and 生年月日／誕生日 followed by a date or a colon (a labelled
    field). A prompt that names the field without a value passes
    (「生年月日と本人確認書類をお持ちください」). Booking dates
    (「2026年12月3日(木) 14:00」, 「令和8年12月3日」, 「12月3日」) pass.
``card_number``
    A user card number: 1–4 capital letters, 2 + 5 digits and a check digit
    (``ST-26-00042-7``), hyphens or spaces optional. Refused whether or not the check
    digit is right: a mistyped card number is still a card number.
``consultation``
    Case notes, health, disability, income and family circumstances, by four rules:

    1. a *labelled field* — one of the sensitive labels (相談内容, 相談記録, 支援計画,
       カルテ, 病名, 病気, 持病, 障害, 収入, 年収, 借金, 生活保護, 家族構成 …)
       followed by a colon or equals sign, or written as a heading 【相談内容】;
    2. an *honorific about the recipient* — 「ご病気」「ご持病」「ご年収」「ご家族構成」 …:
       in a one-to-one message these speak of the reader's own circumstances;
    3. an *amount* after a money word — 「年収300万円」「借金が200万円」「年金は月15万円」;
    4. a *welfare or disability status* — 「生活保護を受給」「障害者手帳2級」.

    Mentioning a subject without content passes: 「相談内容はマイページでご確認ください」,
    「障害者雇用セミナーのご案内」. Generic sentences that happen to use an honorific
    form (「ご病気の方もご相談ください」) are refused; phrase them otherwise or put the
    public sentence in ``allow``.
``staff_text``
    Text typed by staff (``source="staff"``) unless a person marked it ``public=True``
    (a reviewed public announcement). Public staff text is still checked for all of
    the above. Texts the platform builds from its own templates use
    ``source="system"`` and are checked for personal data only.
``link``
    Links are allowed — the platform's own pages are how personal details reach a
    seeker — but a link must not carry personal data: a query parameter named like a
    personal field (tel, phone, email, address, zip, birth, dob, name, card …) is
    refused, decoded query values are checked like text, and a path segment that is
    itself a phone number, e-mail or card number is refused.

``deny`` lists address templates with ``{room}`` (a program's video room address,
``Program.video_room_url``): a link to any room of such a template is refused as
``link``, whatever the room id. A room's address is a key to the consultation: it is
given only on the platform's own page, which LINE messages link to (docs/video.md).

``allow`` is a list of public strings (venue addresses, the centre's published phone
number, a public seminar title): they are removed before the check, compared after the
same normalisation, so 「所沢市並木１－８－１」 matches 「所沢市並木1-8-1」. Only whole
strings are removed: an allowed number or address does not cover a longer one that
begins or ends with it (「078-000-00001」, 「所沢市並木1-8-12」).

The refusal never repeats the personal data it found: :class:`OutboundRefused` names
the reason and where in the message (a JSON path), so it can be logged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import CURRENT_ERA, ERAS

Source = Literal["system", "staff"]


class Reason(StrEnum):
    PHONE = "phone"
    POSTAL_CODE = "postal_code"
    ADDRESS = "address"
    EMAIL = "email"
    BIRTH_DATE = "birth_date"
    CARD_NUMBER = "card_number"
    CONSULTATION = "consultation"
    STAFF_TEXT = "staff_text"
    LINK = "link"


_WHAT = {
    Reason.PHONE: "電話番号",
    Reason.POSTAL_CODE: "郵便番号",
    Reason.ADDRESS: "住所",
    Reason.EMAIL: "メールアドレス",
    Reason.BIRTH_DATE: "生年月日",
    Reason.CARD_NUMBER: "利用者カード番号",
    Reason.CONSULTATION: "相談内容・健康・収入・家族などの個人的な事情",
    Reason.LINK: "個人情報を含むリンク",
}


@dataclass(frozen=True)
class Violation:
    reason: Reason
    path: str

    @property
    def detail(self) -> str:
        where = f"（{self.path}）" if self.path else ""
        if self.reason is Reason.STAFF_TEXT:
            return (
                "職員が入力した文章は、公開してよい内容と確認されたもの（public=True）"
                f"でなければLINEで送れません{where}。"
            )
        return f"LINEでは送れない{_WHAT[self.reason]}が含まれています{where}。"


class OutboundRefused(DomainError):
    """A message that must not go out over LINE.

    ``reason_code`` is a :class:`Reason` value; ``detail`` a Japanese sentence naming
    the reason and the JSON path, never the personal data itself.
    """

    def __init__(
        self, reason_code: str, detail: str, *, violations: tuple[Violation, ...] = ()
    ) -> None:
        super().__init__(
            detail, code="outbound_refused", status=422, details={"reason": reason_code}
        )
        self.reason_code = reason_code
        self.detail = detail
        self.violations = violations


# --- normalisation -------------------------------------------------------------------

_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−﹣", "-"))
_KANJI_DIGITS = str.maketrans("〇○一二三四五六七八九ー", "00123456789-")
# Phone numbers start with 0, so a kanji-digit run is folded only when it starts with 〇
# (or ○, often typed for it) and is long enough to be one; 「一二三」 in a name stays as it is.
_KANJI_PHONE_RUN = re.compile(r"[〇○][〇○一二三四五六七八九ー\-]{8,}")
_CHOONPU_BETWEEN_DIGITS = re.compile(r"(?<=\d)ー(?=\d)")
# Put in place of an allowed public string: no pattern matches across it.
_GAP = "\x00"


def normalize(text: str) -> str:
    """NFKC, dash-like characters to ``-``, kanji-digit phone numbers to digits."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = _KANJI_PHONE_RUN.sub(lambda m: m.group().translate(_KANJI_DIGITS), text)
    return _CHOONPU_BETWEEN_DIGITS.sub("-", text)


# --- detectors (compiled once) -----------------------------------------------------------

_SEP = r"[\s\-().]{0,2}"
_PHONE = re.compile(rf"(?<![\d+])(?:\+81{_SEP}(?:\(0\))?{_SEP}|0)\d(?:{_SEP}\d){{8,9}}(?!\d)")
_POSTAL = re.compile(
    r"〒\s*\d{3}(?:-?\d{4})?"
    r"|郵便番号\s*:?\s*\d{3}-?\d{4}"
    r"|(?<![\d\-.,:/])\d{3}-\d{4}(?![\d\-])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_CARD = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,4}[\-\s]?\d{2}[\-\s]?\d{5}[\-\s]?\d(?!\d)")

_KANJI_NUM = "[一二三四五六七八九十]"
_ADDRESS = re.compile(
    r"[都道府県市区町村郡][々\u3041-\u30ff\u4e00-\u9fff]{0,10}?"
    r"(?:\s?(?!(?:19|20)\d\d-\d{1,2}-\d{1,2})"  # an ISO date is not a lot number
    r"(?:\d{1,4}(?:丁目|-)\d{1,4}(?:(?:番地?|-)\d{1,4}号?|番地?)?"
    r"|\d{1,4}番地(?:\d{1,4}号?)?"
    r"|\d{1,4}番\d{1,4}号?"
    rf"|{_KANJI_NUM}+丁目)"
    r"|\d{3,5}(?=$|[\s、。,)]|番))"  # a bare lot number: 「伊奈町小室5161」
    r"(?![\d階F])"
)

_DATE_YMD = r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{4}[./\-]\d{1,2}[./\-]\d{1,2}"
_DATE_MD = r"\d{1,2}\s*月\s*\d{1,2}\s*日"
_BORN = r"(?:生まれ|誕生|生(?![活涯産徒協命]))"
_OLD_ERAS = "|".join(name for _start, name in ERAS if name != CURRENT_ERA)  # a birth year's era
_BIRTH_DATE = re.compile(
    "(?:" + _OLD_ERAS + r")\s*(?:\d{1,2}|元|" + _KANJI_NUM + r"{1,3})\s*年\s*"
    r"(?:\d{1,2}|" + _KANJI_NUM + r"{1,3})\s*月"
    r"|(?<![A-Za-z])[MTSH]\s?\d{1,2}[./\-]\d{1,2}[./\-]\d{1,2}(?!\d)"
    r"|(?<!\d)19\d\d\s*(?:年\s*\d{1,2}\s*月|[./\-]\d{1,2}[./\-]\d{1,2}(?!\d))"
    rf"|(?:{_DATE_YMD}|{_DATE_MD})\s*{_BORN}"
    rf"|(?:生年月日|誕生日)(?:は|が|\s)*(?:{_DATE_YMD}|{_DATE_MD}|\d{{1,2}}/\d{{1,2}})"
    r"|(?:生年月日|誕生日)\s*[:=]"
)

_LABELS = (
    "相談内容|相談の内容|相談記録|面談記録|ケース記録|支援記録|支援経過|支援計画|カルテ|所見"
    "|病名|診断名|病気|病状|症状|持病|既往歴|病歴|服薬|障害等級|障害|障がい"
    "|収入|年収|月収|手取り|貯金|預金|借金|負債|債務|年金額|生活保護|家族構成"
)
_CONSULTATION = re.compile(
    rf"(?:{_LABELS})\s*[:=]"
    rf"|[【\[](?:{_LABELS})[】\]]"
    r"|ご(?:病気|持病|病状|症状|病歴|既往歴|障害|障がい|収入|年収|月収|借金|負債|家族構成)"
    r"|(?:年収|月収|収入|手取り|借金|負債|債務|貯金|預金|貯蓄|年金)"
    r"(?:は|が|の|約|およそ|月|年|\s)*\d[\d,]*\s*(?:万|千|円)"
    r"|生活保護\s*(?:を|の)?\s*(?:受給|受けて|申請|利用)"
    r"|手帳\s*(?:\d|" + _KANJI_NUM + r")\s*級"
)

_TEXT_RULES: tuple[tuple[Reason, re.Pattern[str]], ...] = (
    (Reason.EMAIL, _EMAIL),
    (Reason.CARD_NUMBER, _CARD),
    (Reason.PHONE, _PHONE),
    (Reason.POSTAL_CODE, _POSTAL),
    (Reason.ADDRESS, _ADDRESS),
    (Reason.BIRTH_DATE, _BIRTH_DATE),
    (Reason.CONSULTATION, _CONSULTATION),
)
# A path segment of a link that is, on its own, one of these is personal data.
_SEGMENT_RULES = (_PHONE, _EMAIL, _CARD)

_URL = re.compile(r"https?://[^\s<>\"'「」()、。\x00]+")
_PERSONAL_PARAMS = frozenset(
    {"tel", "phone", "mobile", "keitai", "email", "mail", "address", "addr", "zip", "zipcode"}
    | {"postal", "postcode", "birth", "birthday", "birthdate", "dob", "name", "kana", "card"}
    | {"income"}
)
_PARAM_TOKENS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")

# Keys of a LINE message object that hold identifiers, not text anyone reads.
_ID_KEYS = frozenset(
    {"type", "id", "quoteToken", "packageId", "stickerId", "productId", "emojiId", "trackingId"}
)


# --- the check -----------------------------------------------------------------------


def check_outbound(
    message: Any,
    *,
    public: bool = False,
    source: Source = "system",
    allow: Iterable[str] = (),
    deny: Iterable[str] = (),
) -> None:
    """Raise :class:`OutboundRefused` unless ``message`` may be sent over LINE.

    ``message`` is a LINE message object (a dict as sent in the JSON body), a list of
    them, or a plain string. ``source="staff"`` marks free text typed by staff, refused
    unless ``public=True``. ``allow`` lists public strings (venue addresses…),
    ``deny`` private address templates with ``{room}`` (video rooms).
    """
    found = find_violations(message, public=public, source=source, allow=allow, deny=deny)
    if found:
        first = found[0]
        raise OutboundRefused(first.reason.value, first.detail, violations=tuple(found))


def is_allowed(
    message: Any,
    *,
    public: bool = False,
    source: Source = "system",
    allow: Iterable[str] = (),
    deny: Iterable[str] = (),
) -> bool:
    return not find_violations(message, public=public, source=source, allow=allow, deny=deny)


def find_violations(
    message: Any,
    *,
    public: bool = False,
    source: Source = "system",
    allow: Iterable[str] = (),
    deny: Iterable[str] = (),
) -> list[Violation]:
    """Every violation in ``message``, at most one per string, in document order."""
    allowed = _normalized_allow(tuple(allow))
    rooms = _room_patterns(tuple(deny))
    found: list[Violation] = []
    for path, text in _strings(message, ""):
        if source == "staff" and not public:
            found.append(Violation(Reason.STAFF_TEXT, path))
            continue
        reason = _scan(normalize(text), allowed)
        if reason is None and any(room.search(text) for room in rooms):
            reason = Reason.LINK
        if reason is not None:
            found.append(Violation(reason, path))
    return found


@lru_cache(maxsize=64)
def _normalized_allow(allow: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The public strings as patterns, longest first (so 「所沢市並木1-8-1 所沢市役所」 is
    removed before 「所沢市並木1-8-1」). A string that starts or ends with a digit only
    matches whole: the allowed 「078-000-0000」 does not open a hole for
    「078-000-00001」, nor 「所沢市並木1-8-1」 for 「所沢市並木1-8-12」."""
    patterns = []
    for public in sorted({normalize(a) for a in allow if a.strip()}, key=len, reverse=True):
        before = r"(?<![0-9+])" if public[0].isdigit() else ""
        after = r"(?![0-9])" if public[-1].isdigit() else ""
        patterns.append(re.compile(before + re.escape(public) + after))
    return tuple(patterns)


@lru_cache(maxsize=64)
def _room_patterns(templates: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """A pattern per room address template: the template with ``{room}`` standing for
    any room id (URL-safe characters), compared without regard to case."""
    patterns = []
    for template in templates:
        if "{room}" not in template:
            continue
        before, _sep, after = template.partition("{room}")
        patterns.append(
            re.compile(re.escape(before) + r"[A-Za-z0-9_\-]+" + re.escape(after), re.IGNORECASE)
        )
    return tuple(patterns)


def _strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            if key not in _ID_KEYS:
                yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index}]")


def _scan(text: str, allowed: tuple[re.Pattern[str], ...]) -> Reason | None:
    for public in allowed:
        text = public.sub(_GAP, text)
    for url in _URL.findall(text):
        if _link_is_personal(url, allowed):
            return Reason.LINK
    text = _URL.sub(_GAP, text)
    for reason, pattern in _TEXT_RULES:
        if pattern.search(text):
            return reason
    return None


def _link_is_personal(url: str, allowed: tuple[re.Pattern[str], ...]) -> bool:
    parts = urlsplit(url)
    for segment in parts.path.split("/"):
        decoded = normalize(unquote(segment))
        if any(pattern.fullmatch(decoded) for pattern in _SEGMENT_RULES):
            return True
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if parts.fragment:
        pairs.append(("", unquote(parts.fragment)))
    for name, value in pairs:
        if any(token.lower() in _PERSONAL_PARAMS for token in _PARAM_TOKENS.findall(name)):
            return True
        if value and _scan(normalize(value), allowed) is not None:
            return True
    return False
