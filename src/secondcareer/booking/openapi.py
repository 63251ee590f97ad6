"""The hand-written OpenAPI 3.1 document of the JSON API (served at
``/api/openapi.json``). Enumerations come from the models, so the document cannot
drift from the values the API accepts; a test checks that every route in
``api_urls`` is documented and that real responses match the schemas."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from secondcareer.booking.models import Channel, ReservationStatus, Topic
from secondcareer.programs.choices import Method

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str, example: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": _ref("Error")}
    if example is not None:
        content["example"] = example
    return {"description": description, "content": {JSON: content}}


_ERRORS_COMMON = {
    "401": _error(
        "認証されていない（ログインしていない、トークンがない・無効）。"
        "`WWW-Authenticate: Bearer` ヘッダー付き。",
        {
            "error": "unauthorized",
            "message": "トークンが無効です（未登録・失効済み、または利用者が無効）。",
        },
    ),
    "405": _error("このURLで使えないメソッド（`Allow` ヘッダー付き）。"),
}

_BAD_REQUEST = _error(
    "リクエストを読めない: JSON の構文誤り、必須項目の欠落、不明な項目、型や日付の形式の誤り。",
    {
        "error": "invalid",
        "message": "リクエストの内容に誤りがあります。",
        "fields": {"start": ["日時にはタイムゾーンを付けてください（例: +09:00）。"]},
    },
)

_AVAILABILITY = {
    "type": "object",
    "description": "予約枠1つと空き状況（`secondcareer availability --format json` と同じ形）。",
    "additionalProperties": False,
    "required": ["start", "end", "service", "method", "methods", "venue", "capacity", "free"],
    "properties": {
        "start": {"type": "string", "format": "date-time", "description": "開始（+09:00）"},
        "end": {"type": "string", "format": "date-time", "description": "終了（+09:00）"},
        "service": {"type": "string", "description": "相談サービスの識別子"},
        "method": {"type": "string", "description": "相談方法をカンマで連結したもの"},
        "methods": {"type": "array", "items": {"type": "string", "enum": Method.values}},
        "venue": {
            "type": ["string", "null"],
            "description": "会場の名称。オンライン相談（会場なし）は null",
        },
        "capacity": {"type": "integer", "minimum": 0, "description": "枠の定員"},
        "free": {"type": "integer", "minimum": 0, "description": "空き数"},
    },
}

_RESERVATION = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "program",
        "seeker_id",
        "service",
        "venue",
        "start",
        "end",
        "method",
        "channel",
        "status",
        "topic",
        "consultant_id",
    ],
    "properties": {
        "id": {"type": "integer"},
        "program": {"type": "string", "description": "事業の識別子"},
        "seeker_id": {"type": "integer"},
        "service": {"type": "string", "description": "相談サービスの識別子"},
        "venue": {"type": ["string", "null"], "description": "会場の名称。オンライン相談は null"},
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "method": {"type": "string", "enum": Method.values},
        "channel": {"type": "string", "enum": Channel.values},
        "status": {"type": "string", "enum": ReservationStatus.values},
        "topic": {"type": "string", "enum": ["", *Topic.values]},
        "consultant_id": {
            "type": ["integer", "null"],
            "description": "担当キャリアコンサルタントのユーザーID（勤務表がない枠では null）",
        },
    },
}

_RESERVATION_CREATE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["program", "seeker_id", "service", "start", "method", "channel"],
    "properties": {
        "program": {"type": "string", "description": "事業の識別子（kobe, saitama …）"},
        "seeker_id": {"type": "integer", "description": "その事業に登録された利用者のID"},
        "service": {"type": "string", "description": "相談サービスの識別子"},
        "start": {
            "type": "string",
            "format": "date-time",
            "description": "枠の開始日時。タイムゾーン必須（例: 2027-01-06T10:00:00+09:00）",
        },
        "venue": {
            "type": ["string", "null"],
            "description": "会場の識別子または名称。会場で行う相談サービスでは必須",
        },
        "method": {"type": "string", "enum": Method.values},
        "channel": {"type": "string", "enum": Channel.values},
        "topic": {"type": "string", "enum": Topic.values},
        "consultant_id": {
            "type": ["integer", "null"],
            "description": "担当を指定する場合のキャリアコンサルタントのユーザーID",
        },
    },
}

_CANCEL = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "channel": {
            "type": "string",
            "enum": Channel.values,
            "default": "staff",
            "description": "取消の経路。line / web の場合は取消締切が適用される",
        }
    },
}

_ERROR = {
    "type": "object",
    "description": "すべてのエラーに共通の形。`message` は日本語の文。",
    "additionalProperties": False,
    "required": ["error", "message"],
    "properties": {
        "error": {
            "type": "string",
            "description": (
                "機械可読なコード: invalid（400・422）, unauthorized（401）, forbidden・csrf（403）, "
                "not_found（404）, method_not_allowed（405）, full・overlap・too_many・"
                "consultant_unavailable・conflict（409）, no_slot・past・too_late・too_early（422）"
            ),
        },
        "message": {"type": "string"},
        "fields": {
            "type": "object",
            "description": "項目名 → その項目の誤りの説明",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "details": {
            "type": "object",
            "properties": {
                "alternatives": {
                    "type": "array",
                    "description": "満席（full）のとき、近い日時の空き枠",
                    "items": _ref("Availability"),
                }
            },
        },
    },
}

_PROGRAM_NOT_FOUND = _error(
    "事業がない、またはその事業に役割を持っていない（存在を明かさないため同じ応答）。",
    {
        "error": "not_found",
        "message": "事業「sapporo」は見つかりません。",
        "fields": {"program": ["ご自分が所属する事業の識別子を指定してください。"]},
    },
)


def openapi_document() -> dict[str, Any]:
    session_cookie = getattr(settings, "SESSION_COOKIE_NAME", "sessionid")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "セカンドキャリア・プラットフォーム API",
            "version": "1.0.0",
            "description": (
                "相談予約の空き状況の取得、予約の登録と取消。\n\n"
                "認証: ログイン中のスタッフのセッション（POST には CSRF トークンが必要）、"
                "または `Authorization: Bearer <トークン>`（`secondcareer api-token` で発行）。\n\n"
                "権限は事業ごと: 役割を持たない事業は存在しないものとして 404。空き状況は個人情報を"
                "含まないため、その事業のすべての役割（委託元を含む）が取得できる。予約の登録・取消には"
                "利用者を登録できる役割（受付事務・キャリアコンサルタント・運営管理責任者）が必要で、"
                "それ以外は 403。"
            ),
        },
        "security": [{"bearerToken": []}, {"staffSession": []}],
        "paths": {
            "/api/availability": {
                "get": {
                    "operationId": "availability",
                    "summary": "予約枠と空き状況",
                    "parameters": [
                        {
                            "name": "program",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "事業の識別子",
                        },
                        {
                            "name": "service",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "相談サービスの識別子（省略時はすべて）",
                        },
                        {
                            "name": "venue",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "会場の識別子または名称",
                        },
                        {
                            "name": "from",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "format": "date"},
                            "description": "開始日（省略時は今日）",
                        },
                        {
                            "name": "to",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "format": "date"},
                            "description": "終了日（この日を含む。省略時は開始日から14日間。最大92日間）",
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "開始日時の順の予約枠",
                            "content": {
                                JSON: {"schema": {"type": "array", "items": _ref("Availability")}}
                            },
                        },
                        "400": _BAD_REQUEST,
                        **_ERRORS_COMMON,
                        "404": _PROGRAM_NOT_FOUND,
                        "422": _error("相談サービスまたは会場がその事業にない。"),
                    },
                }
            },
            "/api/reservations": {
                "post": {
                    "operationId": "createReservation",
                    "summary": "予約の登録",
                    "requestBody": {
                        "required": True,
                        "content": {JSON: {"schema": _ref("ReservationCreate")}},
                    },
                    "responses": {
                        "201": {
                            "description": "予約しました",
                            "content": {JSON: {"schema": _ref("Reservation")}},
                        },
                        "400": _BAD_REQUEST,
                        **_ERRORS_COMMON,
                        "403": _error(
                            "その事業で予約を登録する権限がない、または CSRF トークンがない。"
                        ),
                        "404": _PROGRAM_NOT_FOUND,
                        "409": _error(
                            "満席（full: details.alternatives に近い空き枠）、同じ時間帯の別の予約"
                            "（overlap）、予約数の上限（too_many）、指定の担当者に空きがない"
                            "（consultant_unavailable）。",
                            {
                                "error": "full",
                                "message": "申し訳ありません。ご希望の時間は満席になりました。近い空き枠: 2027年1月6日(水) 11:00",
                                "details": {
                                    "alternatives": [
                                        {
                                            "start": "2027-01-06T11:00:00+09:00",
                                            "end": "2027-01-06T12:00:00+09:00",
                                            "service": "consultation",
                                            "method": "in_person",
                                            "methods": ["in_person"],
                                            "venue": "ラーク所沢",
                                            "capacity": 1,
                                            "free": 1,
                                        }
                                    ]
                                },
                            },
                        ),
                        "422": _error(
                            "内容を受け付けられない: 相談サービス・会場・相談方法・利用者の誤り（fields）、"
                            "予約枠でない日時（no_slot）、過去（past）、締切後（too_late）など。",
                            {
                                "error": "invalid",
                                "message": "予約内容に誤りがあります。",
                                "fields": {
                                    "method": ["この相談の方法は 対面 から選んでください。"]
                                },
                            },
                        ),
                    },
                }
            },
            "/api/reservations/{reservation_id}/cancel": {
                "post": {
                    "operationId": "cancelReservation",
                    "summary": "予約の取消",
                    "parameters": [
                        {
                            "name": "reservation_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "requestBody": {
                        "required": False,
                        "content": {JSON: {"schema": _ref("ReservationCancel")}},
                    },
                    "responses": {
                        "200": {
                            "description": "取り消しました（status は cancelled）",
                            "content": {JSON: {"schema": _ref("Reservation")}},
                        },
                        "400": _BAD_REQUEST,
                        **_ERRORS_COMMON,
                        "403": _error(
                            "その事業で予約を取り消す権限がない、または CSRF トークンがない。"
                        ),
                        "404": _error(
                            "予約がない、または役割を持たない事業の予約。",
                            {"error": "not_found", "message": "予約が見つかりません。"},
                        ),
                        "409": _error("すでに取り消されているか、終了している（conflict）。"),
                        "422": _error("取消の締切を過ぎている（too_late）、経路の誤り。"),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "この文書（認証不要）",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1 文書",
                            "content": {JSON: {"schema": {"type": "object"}}},
                        },
                        "405": _ERRORS_COMMON["405"],
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Availability": _AVAILABILITY,
                "Reservation": _RESERVATION,
                "ReservationCreate": _RESERVATION_CREATE,
                "ReservationCancel": _CANCEL,
                "Error": _ERROR,
            },
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "`secondcareer api-token --user USERNAME --name NAME` で発行する"
                        "トークン（sc_ で始まる）。CSRF トークンは不要。"
                    ),
                },
                "staffSession": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": session_cookie,
                    "description": (
                        "ログイン中のスタッフのセッション。POST には csrftoken クッキーと同じ値を"
                        " X-CSRFToken ヘッダーで送る。"
                    ),
                },
            },
        },
    }
