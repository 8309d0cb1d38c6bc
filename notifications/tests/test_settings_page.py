"""The "Meldingen" page: switching push on and off for a device, removing
devices, choosing events, channels and quiet hours. Bad input gets a Dutch
message and stores nothing; nobody reaches another person's device."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessLogEntry
from conftest import Personas, client_for
from notifications.models import NotificationPreference, PushSubscription
from notifications.tests.push_service import Browser

SETTINGS_URL = reverse("notifications:settings")
SUBSCRIBE_URL = reverse("notifications:push_subscribe")
UNSUBSCRIBE_URL = reverse("notifications:push_unsubscribe")
CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"


def subscription_json(endpoint: str = ENDPOINT, browser: Browser | None = None, **keys: str) -> str:
    browser = browser or Browser()
    return json.dumps({"endpoint": endpoint, "keys": {"p256dh": browser.p256dh, "auth": browser.auth, **keys}})


def subscribe(client: Client, subscription: str, user_agent: str = CHROME_ON_ANDROID) -> Any:
    return client.post(SUBSCRIBE_URL, {"subscription": subscription}, HTTP_USER_AGENT=user_agent)


def test_a_resident_switches_push_on_for_this_device(personas: Personas) -> None:
    response = subscribe(client_for(personas.resident), subscription_json())

    assert response.status_code == 201
    assert response.json() == {"device": "Chrome op Android"}
    subscription = PushSubscription.objects.get()
    assert (subscription.user, subscription.endpoint) == (personas.resident, ENDPOINT)
    assert AccessLogEntry.objects.filter(
        subject=personas.resident, object_type="notification_settings", action="change"
    ).exists()


def test_the_device_list_names_the_device_and_a_staff_member_has_the_page_too(personas: Personas) -> None:
    subscribe(client_for(personas.worker), subscription_json(), user_agent=SAFARI_ON_IPHONE)

    page = client_for(personas.worker).get(SETTINGS_URL)

    assert page.status_code == 200
    assert "Safari op iPhone" in page.content.decode()


@pytest.mark.parametrize(
    ("subscription", "message"),
    [
        ("{not json", "klopt niet"),
        ("[]", "klopt niet"),
        (json.dumps({"endpoint": ENDPOINT}), "klopt niet"),
        (json.dumps({"endpoint": 5, "keys": {"p256dh": "a", "auth": "b"}}), "klopt niet"),
        (subscription_json("http://fcm.googleapis.com/send/1"), "niet kennen"),
        (subscription_json("http://127.0.0.1:9/send/1"), "niet kennen"),
        (subscription_json("ftp://fcm.googleapis.com/1"), "niet kennen"),
        (subscription_json("https://user:pw@fcm.googleapis.com/1"), "niet kennen"),
        (subscription_json("https://fcm.googleapis.com/a b"), "niet kennen"),
        (subscription_json("https://push.example.invalid/send/1"), "niet kennen"),
        (subscription_json("https://10.0.0.1/send/1"), "niet kennen"),
        (subscription_json("https://fcm.googleapis.com.evil.invalid/send/1"), "niet kennen"),
        (subscription_json("https://evilfcm.googleapis.com.invalid/send/1"), "niet kennen"),
        (subscription_json("https://fcm.googleapis.com/" + "a" * 1000), "te lang"),
        (subscription_json(p256dh="B" * 101), "te lang"),
        (subscription_json(auth="A" * 51), "te lang"),
        (subscription_json(p256dh="BAAA"), "klopt niet"),
        (subscription_json(auth="not*base64*at*all!"), "klopt niet"),
        ("", "geen aanmelding"),
    ],
)
def test_a_bad_subscription_gets_a_dutch_message_and_stores_nothing(
    personas: Personas, settings: Any, subscription: str, message: str
) -> None:
    settings.PUSH_ALLOW_LOOPBACK_HTTP = False

    response = subscribe(client_for(personas.resident), subscription)

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_http_to_loopback_only_when_the_setting_allows_it(personas: Personas, settings: Any) -> None:
    settings.PUSH_ALLOW_LOOPBACK_HTTP = True
    client = client_for(personas.resident)

    assert subscribe(client, subscription_json("http://127.0.0.1:9/send/1")).status_code == 201
    assert subscribe(client, subscription_json("http://fcm.googleapis.com/send/1")).status_code == 400


def test_the_known_push_services_of_the_big_browsers_are_accepted(personas: Personas) -> None:
    client = client_for(personas.resident)
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/a",
        "https://updates.push.services.mozilla.com/wpush/v2/b",
        "https://web.push.apple.com/c",
        "https://wns2-par02p.notify.windows.com/w/?token=d",
    ):
        assert subscribe(client, subscription_json(endpoint)).status_code == 201, endpoint


def test_one_person_has_at_most_twenty_devices(personas: Personas) -> None:
    client = client_for(personas.resident)
    for number in range(20):
        assert subscribe(client, subscription_json(f"{ENDPOINT}{number}")).status_code == 201

    refused = subscribe(client, subscription_json(f"{ENDPOINT}-one-too-many"))

    assert refused.status_code == 400
    assert "20 apparaten" in refused.json()["error"]
    assert PushSubscription.objects.count() == 20
    # Renewing a device that is already there is always possible.
    assert subscribe(client, subscription_json(f"{ENDPOINT}3")).status_code == 201


def test_a_device_subscribed_again_by_someone_else_moves_to_them(personas: Personas) -> None:
    subscribe(client_for(personas.resident), subscription_json())
    subscribe(client_for(personas.other_resident), subscription_json())

    assert list(PushSubscription.objects.values_list("user", flat=True)) == [personas.other_resident.pk]


def test_switching_off_removes_only_ones_own_subscription(personas: Personas) -> None:
    subscribe(client_for(personas.resident), subscription_json())

    refused = client_for(personas.other_resident).post(UNSUBSCRIBE_URL, {"endpoint": ENDPOINT})
    assert refused.json() == {"removed": False}
    assert PushSubscription.objects.count() == 1

    done = client_for(personas.resident).post(UNSUBSCRIBE_URL, {"endpoint": ENDPOINT})
    assert done.json() == {"removed": True}
    assert not PushSubscription.objects.exists()


def test_a_device_is_removed_from_the_list_by_its_owner_only(personas: Personas) -> None:
    subscribe(client_for(personas.resident), subscription_json())
    device = PushSubscription.objects.get()
    url = reverse("notifications:device_remove", args=[device.public_id])

    assert client_for(personas.other_resident).post(url).status_code == 404
    assert client_for(personas.worker).post(url).status_code == 404
    assert PushSubscription.objects.filter(pk=device.pk).exists()

    response = client_for(personas.resident).post(url)
    assert response.status_code == 302
    assert not PushSubscription.objects.filter(pk=device.pk).exists()


def test_the_page_shows_the_defaults_quiet_nights_for_residents(personas: Personas) -> None:
    page = client_for(personas.resident).get(SETTINGS_URL).content.decode()

    assert 'value="22:00"' in page
    assert 'value="08:00"' in page
    # Four kinds of news (messages, appointments, case file, diary reminder),
    # push and e-mail each.
    assert page.count('type="checkbox"') == 8
    assert "JavaScript" in page  # what the push button needs, said without it
    assert "Chatspreekuur" not in page  # staff only


def test_reading_the_page_is_logged_for_a_resident(personas: Personas) -> None:
    client_for(personas.resident).get(SETTINGS_URL)

    assert AccessLogEntry.objects.filter(
        subject=personas.resident, object_type="notification_settings", action="view"
    ).exists()


def test_saving_preferences(personas: Personas) -> None:
    response = client_for(personas.resident).post(
        SETTINGS_URL,
        {"messages": ["push"], "appointments": ["push", "email"], "quiet_from": "21:30", "quiet_until": "07:00"},
    )

    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=personas.resident)
    assert preference.channels == {
        "messages": ["push"],
        "appointments": ["email", "push"],
        "casefile": [],
        "diary_reminder": [],
    }
    assert (preference.quiet_from, preference.quiet_until) == (time(21, 30), time(7, 0))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quiet_from": "22:00", "quiet_until": ""}, "allebei"),
        ({"quiet_from": "22:00", "quiet_until": "22:00"}, "dezelfde tijd"),
        ({"quiet_from": "25:99", "quiet_until": "08:00"}, "geldige tijd"),
        ({"messages": ["telepathie"]}, "geldige keuze"),
    ],
)
def test_bad_preferences_get_a_dutch_message_and_store_nothing(
    personas: Personas, data: dict[str, Any], message: str
) -> None:
    response = client_for(personas.resident).post(SETTINGS_URL, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_staff_member_chooses_about_the_consultation_hour(personas: Personas) -> None:
    page = client_for(personas.worker).get(SETTINGS_URL).content.decode()

    assert "Chatspreekuur" in page
    assert 'value="22:00"' not in page  # staff have no quiet hours unless they choose them


def test_anonymous_visitors_are_sent_to_sign_in(personas: Personas) -> None:
    for url in (SETTINGS_URL, SUBSCRIBE_URL, UNSUBSCRIBE_URL):
        response = Client().post(url) if url != SETTINGS_URL else Client().get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_security_page_links_to_the_notifications_page(personas: Personas) -> None:
    page = client_for(personas.resident).get(reverse("pages:security")).content.decode()

    assert SETTINGS_URL in page
