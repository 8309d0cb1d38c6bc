"""Group video in real browsers: the host and one or two residents of an
online group session meet in its built-in room (mesh WebRTC), and every page
receives audio and video from every other participant.

As in ``test_video_call.py``: Chromium's fake camera and microphone, its
permission prompts answered with yes, ICE on loopback, pages and sockets
from a real Daphne server. Each person has their own browser context,
signed in with a session cookie (as ``test_every_page.py`` does).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserType, Page, expect

from accounts.models import User
from appointments.models import GroupSession
from appointments.tests.factories import online_group_session
from conftest import Personas
from tests.asgi_server import AsgiServer, session_cookie
from tests.browser.helpers import check_page
from tests.browser.test_video_call import FAKE_MEDIA_ARGS

MEDIA_WAIT_SECONDS = 40
# What another page did reaches this one through the server, which checks
# access on both sockets for every frame: on a busy machine that can take a
# few seconds, more than expect's default 5.
ACROSS = 15_000

# Received media per other participant (by name), per kind.
INBOUND_BYTES = """async () => {
  const call = window.samenspraakGroupCall;
  const out = {};
  if (!call) return out;
  const connections = call.peerConnections;
  for (const id of Object.keys(connections)) {
    const totals = {audio: 0, video: 0};
    const stats = await connections[id].getStats();
    stats.forEach((report) => {
      if (report.type === "inbound-rtp") totals[report.kind || report.mediaType] += report.bytesReceived || 0;
    });
    out[call.peers[id].name] = totals;
  }
  return out;
}"""


@pytest.fixture
def group_site(personas: Personas) -> Iterator[str]:
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


def _page_of(browser: Browser, site: str, user: User, **context_args: Any) -> Page:
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", **context_args)
    name, value = session_cookie(user).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": site}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.set_default_navigation_timeout(20_000)
    return page


def _room(session: GroupSession) -> str:
    return f"/groepsbijeenkomsten/{session.public_id}/beeldbellen/"


def _enter(page: Page, site: str, session: GroupSession, *, listen_only: bool = False) -> None:
    page.goto(f"{site}{_room(session)}")
    expect(page.get_by_role("heading", name="Eerst uw camera en microfoon controleren")).to_be_visible()
    expect(page.get_by_role("button", name="Meedoen")).to_be_enabled()
    page.wait_for_function("() => document.getElementById('eigen-voorbeeld').videoWidth > 0")
    page.get_by_role("button", name="Ik luister alleen" if listen_only else "Meedoen").click()
    expect(page.locator("#gesprek")).to_be_visible()


def _inbound(page: Page) -> dict[str, dict[str, int]]:
    return dict(page.evaluate(INBOUND_BYTES))


def _wait_for_media(pages: dict[str, Page]) -> float:
    """Seconds until every page receives audio and video from everyone else."""
    started = time.monotonic()
    while True:
        seen = {name: _inbound(page) for name, page in pages.items()}
        if all(
            set(received) == set(pages) - {name} and all(t["audio"] > 0 and t["video"] > 0 for t in received.values())
            for name, received in seen.items()
        ):
            return time.monotonic() - started
        if time.monotonic() - started > MEDIA_WAIT_SECONDS:
            raise AssertionError(f"no media from everyone within {MEDIA_WAIT_SECONDS} s: {seen}")
        time.sleep(0.3)


def test_two_people_see_and_hear_each_other(media_browser: Browser, group_site: str, personas: Personas) -> None:
    session = online_group_session(host=personas.worker, residents=[personas.resident])
    host_name, resident_name = personas.worker.full_name, personas.resident.first_name
    host = _page_of(media_browser, group_site, personas.worker)
    resident = _page_of(
        media_browser, group_site, personas.resident, viewport={"width": 375, "height": 740}, is_mobile=True
    )

    _enter(resident, group_site, session)
    expect(resident.locator("#gesprek-status")).to_have_text(
        "U bent nog alleen. Wachten op de anderen…", timeout=ACROSS
    )
    check_page(resident, "group-video-alone")
    pressed = time.monotonic()
    _enter(host, group_site, session)
    expect(host.locator("#gesprek-status")).to_have_text("In de bijeenkomst: 2 mensen", timeout=ACROSS)
    _wait_for_media({host_name: host, resident_name: resident})
    print(f"two people: media from everyone {time.monotonic() - pressed:.1f} s after the second Meedoen")
    expect(resident.locator("#deelnemers")).to_contain_text(host_name, timeout=ACROSS)
    expect(host.locator("#deelnemers")).to_contain_text(resident_name, timeout=ACROSS)
    assert resident.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"
    check_page(host, "group-video-two-host")
    check_page(resident, "group-video-two-resident")

    # The host leaves: the resident is told and is alone again.
    host.get_by_role("button", name="Bijeenkomst verlaten").click()
    expect(host.get_by_text("U hebt de bijeenkomst verlaten.")).to_be_visible()
    expect(resident.locator("#gesprek-status")).to_have_text(
        "U bent nog alleen. Wachten op de anderen…", timeout=ACROSS
    )
    expect(resident.locator("#hand-melding")).to_have_text(f"{host_name} is weggegaan.", timeout=ACROSS)


def test_three_people_meet_raise_a_hand_and_chat(media_browser: Browser, group_site: str, personas: Personas) -> None:
    session = online_group_session(host=personas.worker, residents=[personas.resident, personas.other_resident])
    names = {
        "host": personas.worker.full_name,
        "fatima": personas.resident.first_name,
        "other": personas.other_resident.first_name,
    }
    pages = {
        "host": _page_of(media_browser, group_site, personas.worker),
        "fatima": _page_of(media_browser, group_site, personas.resident),
        "other": _page_of(media_browser, group_site, personas.other_resident),
    }
    _enter(pages["host"], group_site, session)
    _enter(pages["fatima"], group_site, session)
    # The third prefers to listen: microphone and camera off, still seeing and hearing the others.
    _enter(pages["other"], group_site, session, listen_only=True)
    pressed = time.monotonic()
    _wait_for_media({names[key]: page for key, page in pages.items()})
    print(f"three people: media from everyone {time.monotonic() - pressed:.1f} s after the third came in")
    for page in pages.values():
        expect(page.locator("#gesprek-status")).to_have_text("In de bijeenkomst: 3 mensen", timeout=ACROSS)
        expect(page.locator("#deelnemers > li")).to_have_count(3, timeout=ACROSS)
    listener = pages["other"]
    expect(listener.locator("#microfoon-knop")).to_have_attribute("aria-pressed", "true")
    expect(listener.locator("#microfoon-knop")).to_have_text("Microfoon aan")
    expect(listener.locator("#camera-knop")).to_have_attribute("aria-pressed", "true")
    assert listener.evaluate("window.samenspraakGroupCall.stream.getAudioTracks()[0].enabled") is False
    expect(pages["host"].locator("#deelnemers")).to_contain_text(names["other"], timeout=ACROSS)
    expect(pages["host"].locator("#deelnemers li", has_text=names["other"])).to_contain_text(
        "Microfoon uit", timeout=ACROSS
    )

    # Fatima raises her hand: everyone sees the hand and reads who.
    pages["fatima"].get_by_role("button", name="Hand opsteken").click()
    expect(pages["fatima"].locator("#hand-knop")).to_have_attribute("aria-pressed", "true")
    for key in ("host", "other"):
        expect(pages[key].locator("#hand-melding")).to_have_text(
            f"{names['fatima']} steekt een hand op.", timeout=ACROSS
        )
        expect(
            pages[key].locator("#deelnemers li", has_text=names["fatima"]).locator(".group-call-hand")
        ).to_be_visible()
    check_page(pages["host"], "group-video-three-hand")
    pages["fatima"].get_by_role("button", name="Hand laten zakken").click()
    expect(pages["host"].locator("#deelnemers li", has_text=names["fatima"]).locator(".group-call-hand")).to_be_hidden(
        timeout=ACROSS
    )

    # A chat line beside the video, typed with the keyboard only.
    listener.get_by_label("Uw bericht").fill("Ik luister eerst even mee.")
    listener.get_by_label("Uw bericht").press("Enter")
    for key in ("host", "fatima"):
        expect(pages[key].locator("#chat-berichten")).to_contain_text(
            f"{names['other']}: Ik luister eerst even mee.", timeout=ACROSS
        )
    expect(listener.locator("#chat-berichten")).to_contain_text("U: Ik luister eerst even mee.")
    check_page(listener, "group-video-three-chat")
