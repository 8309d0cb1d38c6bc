from tests.browser.test_casefile import *  # noqa
from tests.browser.test_casefile import _region

def test_dbg(phone_page, site, resident_with_case_file):
    page = phone_page
    sign_in_with_password(page, site, username=resident_with_case_file.resident.username, name="dbg")
    page.wait_for_url("**/mijn/")
    for path in ["/mijn/dossier/", "/mijn/samenwerken/"]:
        page.goto(site + path)
        if path == "/mijn/dossier/":
            for s in page.locator("main summary").all():
                s.tap()
        print(path, page.evaluate("""() => [...document.querySelectorAll('main a, main button, main summary, footer a, footer button, main input, main textarea')]
            .filter((el) => el.getClientRects().length > 0)
            .map((el) => el.tagName + ' ' + el.textContent.trim().slice(0,40) + ' ' + Math.round(el.getBoundingClientRect().height) + 'x' + Math.round(el.getBoundingClientRect().width))"""))
