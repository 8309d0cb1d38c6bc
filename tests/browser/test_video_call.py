"""A resident (on a phone) and her worker make a video call in two real
browsers: one link, sign-in, the camera check, and WebRTC media flowing
both ways through the app's own signalling socket.

Chromium's fake camera and microphone stand in for real devices
(``--use-fake-device-for-media-stream``), permission prompts are answered
with yes (``--use-fake-ui-for-media-stream``), and ICE may use 127.0.0.1
(``--allow-loopback-in-peer-connection``); no STUN or TURN is needed on
loopback. That needs its own browser: the other browser tests keep the
ordinary one. Pages and sockets come from a real Daphne server
(``tests/asgi_server.py``), as in the chat tests.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from appointments.models import Appointment
from appointments.tests.factories import confirmed_appointment
from conftest import Personas
from organisations.demo import DEMO_PASSWORD
from tests.asgi_server import AsgiServer
from tests.browser.helpers import check_page, pass_totp_step

MEDIA_WAIT_SECONDS = 20
FAKE_MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
]

# Bytes of received media on the current RTCPeerConnection, per kind.
INBOUND_BYTES = """async () => {
  const pc = window.samenspraakCall && window.samenspraakCall.pc;
  const totals = {audio: 0, video: 0};
  if (!pc) return totals;
  const stats = await pc.getStats();
  stats.forEach((report) => {
    if (report.type === "inbound-rtp") totals[report.kind || report.mediaType] += report.bytesReceived || 0;
  });
  return totals;
}"""


@pytest.fixture
def call_site(personas: Personas) -> Iterator[str]:
    server = AsgiServer()
    address = server.start()
    try:
        yield f"http://{address}"
    finally:
        server.stop()


@pytest.fixture
def media_browser(browser_type: BrowserType, browser_type_launch_args: dict[str, Any]) -> Iterator[Browser]:
    browser = browser_type.launch(
        **{**browser_type_launch_args, "args": [*browser_type_launch_args["args"], *FAKE_MEDIA_ARGS]}
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def appointment(personas: Personas) -> Appointment:
    """Confirmed, video, starting in five minutes: the call is open."""
    return confirmed_appointment(resident=personas.resident, worker=personas.worker)


def _page(browser: Browser, **context_args: Any) -> Page:
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", **context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def _follow_the_link_and_sign_in(page: Page, site: str, call_url: str, *, username: str, name: str) -> None:
    """The link from the reminder: sign in first, then straight to the call."""
    page.goto(f"{site}{call_url}")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/afspraken/"))
    check_page(page, f"{name}-login")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()


def _camera_check_passed(page: Page) -> None:
    expect(page.get_by_role("heading", name="Eerst uw camera en microfoon controleren")).to_be_visible()
    expect(page.get_by_role("button", name="Gesprek starten")).to_be_enabled()
    expect(page.locator("#controle-hulp")).to_be_hidden()
    page.wait_for_function("() => document.getElementById('eigen-voorbeeld').videoWidth > 0")
    # The fake microphone beeps: the level bar moves. Without a click on the
    # page yet, the browser may hold back sound processing; the page then
    # offers a button for that click.
    level_moves = "() => document.getElementById('microfoon-niveau').value > 0.05"
    try:
        page.wait_for_function(level_moves, polling=50, timeout=3_000)
    except PlaywrightTimeoutError:
        page.get_by_role("button", name="Microfoon testen").click()
        page.wait_for_function(level_moves, polling=50)
        expect(page.get_by_role("button", name="Microfoon testen")).to_be_hidden()


def _inbound(page: Page) -> dict[str, int]:
    return dict(page.evaluate(INBOUND_BYTES))


def _wait_for_media(*pages: Page) -> float:
    """Seconds until every page has received audio and video bytes."""
    started = time.monotonic()
    while True:
        totals = [_inbound(page) for page in pages]
        if all(t["video"] > 0 and t["audio"] > 0 for t in totals):
            return time.monotonic() - started
        if time.monotonic() - started > MEDIA_WAIT_SECONDS:
            raise AssertionError(f"no media within {MEDIA_WAIT_SECONDS} s: {totals}")
        time.sleep(0.2)


def _fits_a_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"
    for button in page.locator(".call-controls button:visible").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= 48 and box["width"] >= 48, button.inner_text()


def test_resident_and_worker_see_and_hear_each_other(
    media_browser: Browser, call_site: str, personas: Personas, appointment: Appointment
) -> None:
    call_url = f"/afspraken/{appointment.public_id}/beeldbellen/"
    resident = _page(media_browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    worker = _page(media_browser)

    _follow_the_link_and_sign_in(
        resident, call_site, call_url, username=personas.resident.username, name="call-resident"
    )
    resident.wait_for_url(f"**{call_url}")
    _camera_check_passed(resident)
    check_page(resident, "call-resident-camera-check")
    _fits_a_phone(resident)

    _follow_the_link_and_sign_in(worker, call_site, call_url, username=personas.worker.username, name="call-worker")
    pass_totp_step(worker, name="call-worker", username=personas.worker.username)
    worker.wait_for_url(f"**{call_url}")
    _camera_check_passed(worker)

    resident.get_by_role("button", name="Gesprek starten").click()
    expect(resident.locator("#gesprek-status")).to_have_text("Wachten op Sanne…")
    pressed = time.monotonic()
    worker.get_by_role("button", name="Gesprek starten").click()
    expect(resident.locator("#gesprek-status")).to_have_text("Verbonden", timeout=MEDIA_WAIT_SECONDS * 1000)
    expect(worker.locator("#gesprek-status")).to_have_text("Verbonden", timeout=MEDIA_WAIT_SECONDS * 1000)
    _wait_for_media(resident, worker)
    print(f"media flowing both ways {time.monotonic() - pressed:.1f} s after the second Gesprek starten")
    for page in (resident, worker):
        page.wait_for_function("() => document.getElementById('beeld-ander').videoWidth > 0")
    _fits_a_phone(resident)
    check_page(resident, "call-resident-in-call")
    check_page(worker, "call-worker-in-call")

    # Microphone off and on again: the button says what it will do, and the
    # other person is told.
    microphone = resident.locator("#microfoon-knop")
    expect(microphone).to_have_attribute("aria-pressed", "false")
    microphone.click()
    expect(microphone).to_have_attribute("aria-pressed", "true")
    expect(microphone).to_have_text("Microfoon aan")
    expect(worker.locator("#ander-media")).to_have_text("Fatima heeft de microfoon uitgezet.")
    assert resident.evaluate("window.samenspraakCall.stream.getAudioTracks()[0].enabled") is False
    microphone.click()
    expect(microphone).to_have_attribute("aria-pressed", "false")
    expect(microphone).to_have_text("Microfoon uit")
    expect(worker.locator("#ander-media")).to_have_text("")

    camera = worker.locator("#camera-knop")
    camera.click()
    expect(camera).to_have_attribute("aria-pressed", "true")
    expect(camera).to_have_text("Camera aan")
    expect(resident.locator("#ander-media")).to_have_text("Sanne heeft de camera uitgezet.")
    camera.click()
    expect(resident.locator("#ander-media")).to_have_text("")

    # The signalling socket drops (a train tunnel): it comes back, and the
    # media keep flowing on the same connection meanwhile.
    resident.evaluate("() => { window.__callBeforeDrop = window.samenspraakCall.pc; }")
    resident.evaluate("() => window.samenspraakCall.socket.close()")
    resident.wait_for_function(
        "() => window.samenspraakCall.socket && window.samenspraakCall.socket.readyState === 1", timeout=10_000
    )
    before = _inbound(worker)["video"]
    worker.wait_for_function(
        f"() => ({INBOUND_BYTES})().then((totals) => totals.video > {before})", polling=200, timeout=10_000
    )
    assert resident.evaluate("window.__callBeforeDrop === window.samenspraakCall.pc")
    expect(resident.locator("#gesprek-status")).to_have_text("Verbonden")

    # Hang up: the resident is told so and can come back in with one button.
    resident.get_by_role("button", name="Ophangen").click()
    expect(resident.get_by_text("U hebt opgehangen.")).to_be_visible()
    expect(worker.locator("#gesprek-status")).to_contain_text("Fatima heeft opgehangen.")
    assert resident.evaluate("window.samenspraakCall.pc") is None

    resident.get_by_role("link", name="Opnieuw binnenkomen").click()
    resident.wait_for_url(f"**{call_url}")
    _camera_check_passed(resident)
    pressed = time.monotonic()
    resident.get_by_role("button", name="Gesprek starten").click()
    expect(resident.locator("#gesprek-status")).to_have_text("Verbonden", timeout=MEDIA_WAIT_SECONDS * 1000)
    expect(worker.locator("#gesprek-status")).to_have_text("Verbonden", timeout=MEDIA_WAIT_SECONDS * 1000)
    _wait_for_media(resident, worker)
    print(f"media flowing again {time.monotonic() - pressed:.1f} s after coming back in")


def test_a_second_tab_takes_over_the_call(
    media_browser: Browser, call_site: str, personas: Personas, appointment: Appointment
) -> None:
    call_url = f"/afspraken/{appointment.public_id}/beeldbellen/"
    first = _page(media_browser)
    _follow_the_link_and_sign_in(first, call_site, call_url, username=personas.resident.username, name="call-tab")
    first.wait_for_url(f"**{call_url}")
    _camera_check_passed(first)
    first.get_by_role("button", name="Gesprek starten").click()
    expect(first.locator("#gesprek-status")).to_have_text("Wachten op Sanne…")

    second = first.context.new_page()
    second.goto(f"{call_site}{call_url}")
    _camera_check_passed(second)
    second.get_by_role("button", name="Gesprek starten").click()

    expect(
        first.get_by_text("U doet in een ander venster mee aan dit gesprek. Dit venster is gestopt.")
    ).to_be_visible()
    expect(second.locator("#gesprek-status")).to_have_text("Wachten op Sanne…")
    check_page(first, "call-replaced")


NO_CAMERA = """(() => {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) => constraints && constraints.video
    ? Promise.reject(new DOMException("No camera", "NotFoundError"))
    : original(constraints);
})();"""
PERMISSION_REFUSED = """navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));"""


def test_without_a_camera_the_resident_joins_with_sound_and_sees_the_worker(
    media_browser: Browser, call_site: str, personas: Personas, appointment: Appointment
) -> None:
    call_url = f"/afspraken/{appointment.public_id}/beeldbellen/"
    resident = _page(media_browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    resident.context.add_init_script(NO_CAMERA)
    worker = _page(media_browser)

    _follow_the_link_and_sign_in(resident, call_site, call_url, username=personas.resident.username, name="call-audio")
    resident.wait_for_url(f"**{call_url}")
    expect(resident.get_by_role("alert")).to_have_text("We vinden geen camera. U kunt ook alleen met geluid meedoen.")
    expect(resident.get_by_role("button", name="Gesprek starten")).to_be_enabled()
    check_page(resident, "call-audio-only-check")

    _follow_the_link_and_sign_in(
        worker, call_site, call_url, username=personas.worker.username, name="call-audio-worker"
    )
    pass_totp_step(worker, name="call-audio-worker", username=personas.worker.username)
    worker.wait_for_url(f"**{call_url}")
    _camera_check_passed(worker)
    worker.get_by_role("button", name="Gesprek starten").click()
    resident.get_by_role("button", name="Gesprek starten").click()
    expect(resident.locator("#gesprek-status")).to_have_text("Verbonden", timeout=MEDIA_WAIT_SECONDS * 1000)
    expect(resident.locator("#camera-knop")).to_be_hidden()

    started = time.monotonic()
    while not (_inbound(resident)["video"] > 0 and _inbound(worker)["audio"] > 0):
        assert time.monotonic() - started < MEDIA_WAIT_SECONDS, (_inbound(resident), _inbound(worker))
        time.sleep(0.2)
    assert _inbound(worker)["video"] == 0
    check_page(resident, "call-audio-only-in-call")


def test_a_refused_permission_is_explained_in_plain_dutch(
    media_browser: Browser, call_site: str, personas: Personas, appointment: Appointment
) -> None:
    call_url = f"/afspraken/{appointment.public_id}/beeldbellen/"
    resident = _page(media_browser)
    resident.context.add_init_script(PERMISSION_REFUSED)

    _follow_the_link_and_sign_in(
        resident, call_site, call_url, username=personas.resident.username, name="call-refused"
    )
    resident.wait_for_url(f"**{call_url}")

    expect(resident.get_by_role("alert")).to_contain_text(
        "U hebt geen toestemming gegeven voor de camera en microfoon."
    )
    expect(resident.get_by_role("button", name="Gesprek starten")).to_be_disabled()
    expect(resident.locator("#eigen-voorbeeld")).to_be_hidden()
    expect(resident.get_by_text("Lukt het niet? Bel ons:")).to_be_visible()
    check_page(resident, "call-permission-refused")
