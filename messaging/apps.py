from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from messaging import retention, selectors, services, timeline_kinds
        from messaging.selectors import CASELOAD_COUNTS
        from organisations.caseload import caseload_counts_register
        from samenspraak import hooks
        from samenspraak.attention import AttentionCounter, attention_counter_register

        # Unread chat messages count on the caseload.
        caseload_counts_register(CASELOAD_COUNTS)
        # Chat memberships follow the caseload; group names follow the
        # resident's chosen name (samenspraak/hooks.py).
        hooks.hook_register(hooks.CASELOAD_CHANGED, services.memberships_follow_caseload, order=10)
        hooks.hook_register(hooks.RESIDENT_NAME_CHANGED, services.memberships_follow_name, order=10)
        hooks.hook_register(hooks.GRANT_REVOKED, services.memberships_follow_grant, order=10)
        # Chat switched off: the conversation's open sockets close at once.
        hooks.hook_register(hooks.CONSENT_WITHDRAWN, services.sockets_follow_consent, order=90)
        # Menu badges: unread conversations, and the queue for workers on duty.
        attention_counter_register(
            AttentionCounter("unread_conversations", selectors.attention_unread_conversations, "messaging:inbox", 20)
        )
        attention_counter_register(
            AttentionCounter("consultation_queue", selectors.attention_consultation_queue, "messaging:queue", 15)
        )
        # How chat events read on the resident's timeline (casefiles/timeline.py).
        timeline_kinds.register()
        # Conversations and anonymous consultation chats for the retention engine.
        retention.register()
