"""The menu badge of "Mijn overzicht": a survey waits (samenspraak/attention.py).
A calm count beside the news, never a push message."""

from __future__ import annotations


def register() -> None:
    from feedback.selectors import feedback_open_count
    from samenspraak.attention import AttentionCounter, attention_counter_register

    attention_counter_register(AttentionCounter("feedback_offer", feedback_open_count, "pages:resident_home", order=12))
