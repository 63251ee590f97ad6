"""The outbound policy, table-driven: each case is a text and whether it may go out."""

from __future__ import annotations

import pytest

from secondcareer.messaging.policy import (
    OutboundRefused,
    Reason,
    check_outbound,
    find_violations,
    is_allowed,
)

VENUES = ("所沢市並木1-8-1", "神戸市中央区御幸通6-1-12", "春日部市粕壁6918-1")

# (text, allowed?) — read as "this text may / may not be sent over LINE".
CASES: list[tuple[str, bool]] = [
    # --- what LINE is for: prompts, dates, times, links, public information ---------
    ("ご予約を承りました。12月3日(木) 14:00 からお待ちしております。", True),
    ("2026年12月3日(木) 14:00〜15:00 のご予約です。", True),
    ("2027年1月6日(水) 10:00 秩父勤労者福祉センター", True),
    ("令和8年12月3日 10:00 からセミナーを開催します。", True),
    ("受付時間は10:00〜12:00、13:00〜17:00です。", True),
    ("チャット相談は9時から21時まで受け付けています。", True),
    ("昨年度は3,000人の方にご利用いただきました。", True),
    ("10区の区役所で出張相談を行います。", True),
    ("神戸市内10か所の会場で開催します。", True),
    ("会場は所沢市役所 本庁舎3階です。", True),
    ("0120から始まる番号は受付時間外につながりません。", True),
    ("参加費は無料、定員は20名です。", True),
    ("相談内容はマイページでご確認ください。https://secondcareer.example.jp/my/", True),
    ("支援計画を更新しました。こちらからご確認ください。", True),
    ("障害者雇用に関するセミナーのご案内です。", True),
    ("年金と働き方のセミナーを開催します。", True),
    ("年収の壁について解説します。", True),
    ("12月3日生涯学習センターで説明会があります。", True),
    ("適職診断は予約なしで受けられます。", True),
    ("生年月日と本人確認書類をお持ちください。", True),
    ("ご予約の変更はこちら https://secondcareer.example.jp/b/xK3pQ9zL2mN8/cancel", True),
    ("https://secondcareer.example.jp/events?date=2026-12-03&area=tokorozawa", True),
    ("ISO形式 2026-12-03T14:00 の枠です。", True),
    ("2026年度の実績は120件です。", True),
    ("「2026-2027年度」の計画を公表しました。", True),
    ("番号は ST ではじまります。", True),
    ("2026/12/03(木) 14:00 のご予約です。", True),
    ("シフトは9:00-17:00です。", True),
    ("時給1,100円〜の求人が3件あります。", True),
    ("65歳以上の方が対象です。定員30名（先着順）。", True),
    ("会場は所沢市役所301会議室です。", True),
    ("12月3日生活相談会を開きます。", True),
    # --- phone numbers -----------------------------------------------------------------
    ("お電話は090-1234-5678までお願いします。", False),
    ("携帯 09012345678", False),
    ("０９０－１２３４－５６７８", False),
    ("０９０ー１２３４ー５６７８", False),
    ("090 1234 5678", False),
    ("03-1234-5678", False),
    ("(03)1234-5678", False),
    ("078-123-4567", False),
    ("04-2998-1234", False),
    ("フリーダイヤル0120-123-456", False),
    ("0120123456", False),
    ("ナビダイヤル 0570-012-345", False),
    ("IP電話 050-1234-5678", False),
    ("+81-90-1234-5678", False),
    ("＋８１ ９０ １２３４ ５６７８", False),
    ("+81 (0)3-1234-5678", False),
    ("〇九〇―一二三四―五六七八", False),
    ("○九○ー一二三四ー五六七八", False),
    ("090-0000-0000（未使用番号でも形は電話番号）", False),
    ("tel:0312345678", False),
    # --- postal codes and addresses -----------------------------------------------------
    ("〒359-0042", False),
    ("〒３５９－００４２ 所沢市", False),
    ("郵便番号 3590042", False),
    ("359-0042", False),
    ("ご自宅は所沢市並木1-8-1ですね。", False),
    ("神戸市中央区御幸通6-1-12", False),
    ("川越市新宿町１－１７－１７", False),
    ("春日部市粕壁6918-1", False),
    ("伊奈町小室5161", False),
    ("さいたま市浦和区高砂3丁目15番1号", False),
    ("横浜市中区本町6丁目50番地", False),
    # --- e-mail ------------------------------------------------------------------------------
    ("yamada.taro@example.jp", False),
    ("ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ にご連絡ください", False),
    ("mailto:center@example.org", False),
    # --- birth dates -------------------------------------------------------------------------
    ("1958年4月2日生まれの方", False),
    ("昭和33年4月2日", False),
    ("昭和三十三年四月二日", False),
    ("S33.4.2", False),
    ("生年月日: 1958/04/02", False),
    ("生年月日：", False),
    ("1958/04/02", False),
    ("1958-04-02", False),
    ("誕生日は4月2日ですね", False),
    ("4月2日生まれ", False),
    ("1958年生まれ", False),
    # --- user card numbers ------------------------------------------------------------------
    ("ST-26-00042-7", False),
    ("カード番号 ST26000427 をお持ちください", False),
    ("ＳＴ－２６－０００４２－７", False),
    ("KOBE-26-00042-3", False),
    ("ST 26 00042 7", False),
    # --- consultation content, health, income, family ---------------------------------------
    ("相談内容：転職の不安について", False),
    ("相談内容: 転職の不安について", False),
    ("【相談内容】転職の不安", False),
    ("相談記録: 面談済み", False),
    ("カルテ: 特記事項なし", False),
    ("ご病気のことはお気軽に", False),
    ("ご持病はありますか", False),
    ("病名：高血圧", False),
    ("障害: 身体", False),
    ("障害者手帳2級をお持ちとのこと", False),
    ("年収300万円を希望", False),
    ("前職の年収は約450万円でした", False),
    ("月収15万円", False),
    ("借金が200万円あります", False),
    ("年金は月15万円です", False),
    ("生活保護を受給中", False),
    ("ご家族構成を教えてください", False),
    ("家族構成：妻と二人", False),
    # --- links that carry personal data ---------------------------------------------------
    ("https://secondcareer.example.jp/form?tel=09012345678", False),
    ("https://secondcareer.example.jp/form?phone=x", False),
    ("https://secondcareer.example.jp/form?userEmail=a", False),
    ("https://secondcareer.example.jp/form?name=%E5%B1%B1%E7%94%B0", False),
    ("https://secondcareer.example.jp/form?q=%E5%B9%B4%E5%8F%8E300%E4%B8%87%E5%86%86", False),
    ("https://secondcareer.example.jp/u/090-1234-5678", False),
    ("https://secondcareer.example.jp/u/ST-26-00042-7/", False),
]


@pytest.mark.parametrize(("text", "allowed"), CASES, ids=[text[:24] for text, _ in CASES])
def test_a_text_is_allowed_out_only_when_it_carries_no_personal_data(text, allowed):
    assert is_allowed(text) is allowed


def test_the_table_is_large_and_covers_both_answers():
    assert len(CASES) >= 60
    assert {allowed for _, allowed in CASES} == {True, False}


# --- public venue addresses are allowed ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "会場：所沢市並木1-8-1 所沢市役所",
        "会場は神戸市中央区御幸通6-1-12です。",
        "会場は所沢市並木１－８－１（全角で書かれていても同じ住所）",
        "春日部市粕壁6918-1 春日部市役所",
    ],
)
def test_a_published_venue_address_in_the_allow_list_passes(text):
    assert is_allowed(text, allow=VENUES)


def test_the_allow_list_does_not_let_other_personal_data_through():
    text = "会場：所沢市並木1-8-1 連絡先 090-1234-5678"
    with pytest.raises(OutboundRefused) as refused:
        check_outbound(text, allow=VENUES)
    assert refused.value.reason_code == "phone"


def test_an_address_not_in_the_allow_list_is_refused_even_next_to_one_that_is():
    assert not is_allowed("所沢市並木1-8-1 と 所沢市並木2-3-4", allow=VENUES)


def test_the_centres_published_phone_number_can_be_allowed():
    assert is_allowed("お電話 0120-123-456（平日9時〜17時）", allow=("0120-123-456",))


# --- message objects are walked completely ---------------------------------------------------


def _text_message(text: str, **extra: object) -> dict[str, object]:
    return {"type": "text", "text": text, **extra}


def test_a_quick_reply_label_is_checked():
    message = _text_message(
        "ご希望の時間を選んでください。",
        quickReply={
            "items": [
                {
                    "type": "action",
                    "action": {"type": "message", "label": "14:00", "text": "14:00"},
                },
                {
                    "type": "action",
                    "action": {"type": "message", "label": "電話", "text": "090-1234-5678"},
                },
            ]
        },
    )
    found = find_violations(message)
    assert [(v.reason, v.path) for v in found] == [
        (Reason.PHONE, "quickReply.items[1].action.text")
    ]


def test_postback_data_and_alt_text_of_a_template_are_checked():
    message = {
        "type": "template",
        "altText": "ご予約の確認",
        "template": {
            "type": "buttons",
            "text": "12月3日(木) 14:00 でよろしいですか？",
            "actions": [
                {"type": "postback", "label": "はい", "data": "action=book&slot=2026-12-03T14:00"},
                {"type": "postback", "label": "いいえ", "data": "action=cancel&card=ST26000427"},
            ],
        },
    }
    with pytest.raises(OutboundRefused) as refused:
        check_outbound(message)
    assert refused.value.reason_code == "card_number"
    assert "template.actions[1].data" in refused.value.detail


def test_a_flex_message_is_walked_to_its_deepest_text():
    message = {
        "type": "flex",
        "altText": "ご予約内容",
        "contents": {
            "type": "bubble",
            "body": {
                "type": "box",
                "layout": "vertical",
                "contents": [
                    {"type": "text", "text": "12月3日(木) 14:00", "color": "#333333"},
                    {"type": "text", "text": "相談内容：体調のこと", "size": "sm"},
                ],
            },
        },
    }
    found = find_violations(message)
    assert [v.reason for v in found] == [Reason.CONSULTATION]
    assert found[0].path == "contents.body.contents[1].text"


def test_a_list_of_messages_is_checked_message_by_message():
    messages = [_text_message("こんにちは"), _text_message("〒359-0042")]
    assert [v.path for v in find_violations(messages)] == ["[1].text"]


def test_identifiers_such_as_sticker_ids_are_not_read_as_text():
    sticker = {"type": "sticker", "packageId": "0312345678", "stickerId": "09012345678"}
    assert is_allowed(sticker)


def test_the_refusal_names_the_reason_and_place_but_never_repeats_the_data():
    with pytest.raises(OutboundRefused) as refused:
        check_outbound(_text_message("090-1234-5678"))
    error = refused.value
    assert error.reason_code == "phone"
    assert "text" in error.detail
    assert "1234" not in error.detail
    assert error.code == "outbound_refused"
    assert error.as_dict()["details"] == {"reason": "phone"}


# --- staff free text ---------------------------------------------------------------------------


def test_staff_free_text_is_refused_unless_marked_public():
    with pytest.raises(OutboundRefused) as refused:
        check_outbound("来週のセミナーは満席になりました。", source="staff")
    assert refused.value.reason_code == "staff_text"


def test_staff_text_marked_public_passes_when_it_holds_no_personal_data():
    check_outbound("来週のセミナーは満席になりました。", source="staff", public=True)


def test_staff_text_marked_public_is_still_checked_for_personal_data():
    assert not is_allowed("山田様の電話 090-1234-5678", source="staff", public=True)


def test_system_templates_are_checked_for_personal_data_only():
    assert is_allowed("ご予約を承りました。", source="system")


@pytest.mark.parametrize(
    "text",
    [
        "お電話 0120-123-4567 へ",  # the allowed number with a digit more
        "お電話 +810120-123-456 へ",
        "会場：所沢市並木1-8-12",  # the allowed address with a digit more
    ],
)
def test_an_allowed_string_does_not_cover_a_longer_number_or_address_around_it(text):
    assert not is_allowed(text, allow=("0120-123-456", *VENUES))


def test_a_link_to_any_room_of_a_denied_video_template_is_refused() -> None:
    from secondcareer.messaging.policy import find_violations

    deny = ("https://meet.example.org/kobe/{room}",)
    room = "https://meet.example.org/kobe/Zq3_x-9AbCdEfGhIjKlMnOpQrStUv"

    assert [v.reason for v in find_violations(f"部屋: {room}", deny=deny)] == ["link"]
    assert [v.reason for v in find_violations(room.upper(), deny=deny)] == ["link"]
    # The platform's own page of the booking, and the room without a deny list, pass.
    assert find_violations("https://example.org/book/r/Zq3_x-9AbCdEfGh/", deny=deny) == []
    assert find_violations(f"部屋: {room}") == []
