"""The chatbot's booking dialogue as a pure state machine (no ORM, no I/O).

A caller (the LINE webhook task, the web chat simulator) runs one turn like this::

    state = DialogueState.from_json(stored_json)          # per LINE user, with expiry
    ctx = FlowContext(services=..., slots=MyFreeSlots(program, seeker), now=now,
                      bookings=..., bookings_url=...)
    state, replies, done = run_turn(state, Text("明日の14時"), ctx, execute)
    store(state.to_json()); send(replies)                # through the outbound policy

where ``execute(command)`` calls the booking services / FAQ / inquiries and returns a
:class:`CommandResult` (``ok=False, code=DomainError.code, alternatives=...`` on
failure). :func:`step` is the single transition underneath, for callers that run
commands asynchronously.
"""

from secondcareer.messaging.dialogue.base import Flow, FlowRegistry, Turn
from secondcareer.messaging.dialogue.commands import (
    AnswerFaq,
    BookSlot,
    CancelReservation,
    Command,
    HandToHuman,
    RescheduleReservation,
)
from secondcareer.messaging.dialogue.context import (
    BookingSummary,
    FlowContext,
    FreeSlots,
    MethodOption,
    ServiceOption,
    VenueOption,
)
from secondcareer.messaging.dialogue.dates import PartOfDay, When, parse_when
from secondcareer.messaging.dialogue.events import CommandResult, Event, Postback, Text, UserInput
from secondcareer.messaging.dialogue.machine import (
    DEFAULT_REGISTRY,
    build_registry,
    run_turn,
    step,
    text_intent,
)
from secondcareer.messaging.dialogue.replies import (
    Choice,
    DatePicker,
    Link,
    Reply,
    fit_line_limits,
    line_limit_problems,
)
from secondcareer.messaging.dialogue.state import DialogueState

__all__ = [
    "DEFAULT_REGISTRY",
    "AnswerFaq",
    "BookSlot",
    "BookingSummary",
    "CancelReservation",
    "Choice",
    "Command",
    "CommandResult",
    "DatePicker",
    "DialogueState",
    "Event",
    "Flow",
    "FlowContext",
    "FlowRegistry",
    "FreeSlots",
    "HandToHuman",
    "Link",
    "MethodOption",
    "PartOfDay",
    "Postback",
    "Reply",
    "RescheduleReservation",
    "ServiceOption",
    "Text",
    "Turn",
    "UserInput",
    "VenueOption",
    "When",
    "build_registry",
    "fit_line_limits",
    "line_limit_problems",
    "parse_when",
    "run_turn",
    "step",
    "text_intent",
]
