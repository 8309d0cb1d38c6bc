"""One rule for hidden characters, whichever way a message arrives."""

from __future__ import annotations

import pytest

from blend.services import channel_consent_set
from conftest import Personas
from messaging.models import Message
from messaging.services import MessagingError, conversation_direct_open, message_send


def _conversation(personas: Personas) -> object:
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.resident)
    return conversation_direct_open(resident=personas.resident, opened_by=personas.worker)


def test_emoji_glued_with_a_zero_width_joiner_are_fine(personas: Personas) -> None:
    conversation = _conversation(personas)
    result = message_send(
        conversation=conversation,  # type: ignore[arg-type]
        author=personas.resident,
        body="Dank u 👩\u200d🔧!\nTot morgen.",
        client_key="emoji-00001",
    )
    assert result.message.body == "Dank u 👩\u200d🔧!\nTot morgen."


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\u2066", "\x07", "\x00"])
def test_characters_that_hide_or_reorder_text_are_refused(personas: Personas, hidden: str) -> None:
    conversation = _conversation(personas)
    with pytest.raises(MessagingError, match="teken dat niet kan"):
        message_send(
            conversation=conversation,  # type: ignore[arg-type]
            author=personas.resident,
            body=f"Klik hier{hidden}gnp.exe",
            client_key="hidden-0001",
        )
    assert not Message.objects.exists()
