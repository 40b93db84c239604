"""The dashboard in a real browser: Playwright driving Debian's headless Chromium (/usr/bin/chromium,
installed by `make browser`; Playwright never downloads a browser here), against the real app
under uvicorn on a seeded SQLite and PostgreSQL database.

Skipped with the reason when Chromium or Playwright is missing -- unless TOLLWATCH_REQUIRE_BROWSER=1
(CI), where that is a failure. The SQLite run saves the screenshot the README shows (docs/dashboard.png).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session

from db.models import Source
from tests.test_dashboard import XSS_TITLE, seed

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "dashboard.png"


def _unavailable(reason: str) -> None:
    message = f"browser test needs {reason}"
    if os.environ.get("TOLLWATCH_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (TOLLWATCH_REQUIRE_BROWSER=1)")
    pytest.skip(message)


@pytest.fixture
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Debian's Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package: pip install -e '.[test]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield b
        finally:
            b.close()


def _context(browser, base_url: str, **options):
    """A browser context that may talk to the app only: any other request is aborted and recorded."""
    ctx = browser.new_context(**options)
    ctx.set_default_timeout(15_000)
    allowed = urlsplit(base_url).netloc
    ctx.blocked = []

    def guard(route):
        if urlsplit(route.request.url).netloc == allowed:
            route.continue_()
        else:
            ctx.blocked.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    return ctx


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    return errors


def test_dashboard_in_a_browser(live_api, engine, database_url, browser):
    from playwright.sync_api import expect

    ids = seed(engine)
    ctx = _context(browser, live_api, viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = ctx.new_page()
    errors = _watch(page)
    response = page.goto(live_api + "/", wait_until="networkidle")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]

    # the health summary, readable at a glance
    verdict = page.locator("#verdict")
    expect(verdict).to_have_attribute("data-verdict", "degraded")
    expect(verdict).to_contain_text("1 source failing")
    expect(verdict).to_contain_text("1 webhook endpoint failing")
    expect(page.locator("#tile-scheduler")).to_contain_text("Running")
    expect(page.locator('#tile-sources [data-count="failing"]')).to_have_text("1")
    expect(page.locator('#tile-sources [data-count="ok"]')).to_have_text("1")
    expect(page.locator('#tile-deliveries [data-count="delivery-failed"]')).to_have_text("1")
    expect(page.locator("#tile-db")).to_contain_text(
        "Database · " + ("SQLite" if "sqlite" in database_url else "PostgreSQL")
    )

    # the sources table: the failing source comes first and stands out
    rows = page.locator("tr.source-row")
    expect(rows).to_have_count(4)
    failing = rows.first
    expect(failing).to_have_attribute("data-source-id", str(ids["failing"]))
    expect(failing.locator(".badge")).to_have_text("Failing")
    expect(failing).to_contain_text("The site's server is failing (HTTP 503)")
    ok_row = page.locator('tr.source-row[data-status="ok"]')
    style = "el => getComputedStyle(el).backgroundColor"
    assert failing.evaluate(style) != ok_row.evaluate(style)
    assert failing.locator(".badge").evaluate(style) == "rgb(180, 35, 24)"  # a red badge
    assert failing.locator(".error-words").evaluate("el => getComputedStyle(el).color") == "rgb(180, 35, 24)"

    # the charts have drawn: bars and dots with a real size on screen
    bars = page.locator("#chart-articles rect.bar")
    assert bars.count() >= 30
    box = bars.last.bounding_box()
    assert box and box["width"] > 0.5 and box["height"] > 1
    assert page.locator("#chart-facts rect.bar").count() >= 4
    series = page.locator("#chart-series")
    expect(series.locator("circle.dot")).to_have_count(4)
    band = series.locator("line.disagree-range")
    expect(band).to_have_count(1)
    assert band.bounding_box()["height"] > 5  # 12 against 15 on one day
    assert series.locator("polyline.series-line").bounding_box()["width"] > 200
    expect(page.locator("#series h2")).to_contain_text("Killed in Aleppo")

    # current tolls: the latest total per kind and place, its breakdown underneath, a vague amount in words
    tolls = page.locator("#tolls tr.toll")
    expect(tolls).to_have_count(3)
    aleppo = page.locator('#tolls tr.toll[data-kind="killed"]')
    expect(aleppo.locator(".toll-latest > .value")).to_have_text("20")
    expect(aleppo.locator(".breakdown li.part")).to_have_text("of which 6 children")
    latest_box = aleppo.locator(".toll-latest > .value").bounding_box()
    assert aleppo.locator(".breakdown").bounding_box()["y"] > latest_box["y"]  # under the toll
    expect(aleppo.locator("td.num")).to_have_text("4")
    vague = page.locator('#tolls tr.toll[data-kind="injured"] .vague')
    expect(vague).to_have_text("Dozens")
    expect(vague).to_have_attribute("title", "between 24 and 99")
    expect(page.locator('#tolls tr.toll[data-kind="statistic"] .toll-latest > .value')).to_have_text("14 buildings")
    # the chart counts totals: the part (6) is not one of its dots
    assert "6" not in [d.text_content().split(": ")[1].split(" ")[0] for d in series.locator("circle.dot title").all()]

    # scraped strings render as text and run nothing
    titles = page.locator("a.article-link", has_text="window.__xss=1")
    expect(titles).to_have_count(2)  # two facts of that article
    expect(titles.first).to_have_text(XSS_TITLE)
    expect(page.locator(".sentence", has_text="onerror")).to_contain_text('<img src=x onerror="window.__xss=2">')
    expect(page.locator(".alert-row", has_text="feeds down")).to_contain_text("<script>window.__xss=5</script>")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("main img, main script, main iframe").count() == 0
    expect(page.locator("a[href^='javascript']")).to_have_count(0)
    expect(page.locator(".sentence mark", has_text="9")).to_have_count(1)
    expect(page.locator(".fact", has_text="were hurt").locator(".sentence")).to_have_text(
        "In Homs 9 people died and 9 were hurt, police said."
    )
    assert (
        page.locator(".fact", has_text="were hurt").locator("mark").evaluate("m => m.previousSibling.textContent")
        == "In Homs 9 people died and "
    )

    if "sqlite" in database_url:
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        assert SCREENSHOT.stat().st_size > 20_000

    # refresh without a reload: new data appears, the page (and its state) stays
    assert page.evaluate("document.body.dataset.refreshSeconds") == "30"
    page.evaluate("window.__still_here = 42")
    with Session(engine) as s:
        s.add(Source(name="Late Wire", url="https://late.example.org/rss"))
        s.commit()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # what the 30 s timer calls
    expect(page.locator("tr.source-row", has_text="Late Wire")).to_have_count(1)
    assert page.evaluate("window.__still_here") == 42

    # the filter applies without a reload too
    page.select_option("select[name=kind]", "injured")
    page.click("#filters button[type=submit]")
    expect(page.locator("#facts li.fact")).to_have_count(2)
    expect(page.locator("#facts li.fact .kind")).to_have_text(["injured", "injured"])
    expect(page.locator("#tolls tr.toll")).to_have_count(1)
    assert page.url.endswith("/?kind=injured")
    assert page.evaluate("window.__still_here") == 42

    assert errors == []  # no script error, no CSP violation
    assert ctx.blocked == []  # nothing but the app was asked for
    ctx.close()


def test_api_docs_load_offline(live_api, browser):
    """/docs renders Swagger UI from the app's own files: no request leaves the machine."""
    from playwright.sync_api import expect

    ctx = _context(browser, live_api, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors = _watch(page)
    page.goto(live_api + "/docs", wait_until="networkidle")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("tollwatch")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/tolls")).to_have_count(1)
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/facts")).not_to_have_count(0)
    assert ctx.blocked == [] and errors == []
    ctx.close()


def test_dashboard_on_a_phone(live_api, engine, browser):
    from playwright.sync_api import expect

    seed(engine)
    ctx = _context(
        browser, live_api, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = ctx.new_page()
    errors = _watch(page)
    page.goto(live_api + "/", wait_until="networkidle")
    expect(page.locator("#verdict")).to_be_visible()
    # nothing wider than the screen: wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    tile = page.locator("#tile-scheduler").bounding_box()
    assert tile["width"] >= 150 and tile["x"] >= 0
    assert page.locator("#chart-articles svg").bounding_box()["width"] > 300
    font = page.locator(".sentence").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert font >= 13
    assert errors == [] and ctx.blocked == []
    ctx.close()


def test_chromium_is_debians():
    """Playwright drives the system browser; it never downloads its own."""
    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        _unavailable(f"Debian's Chromium at {CHROMIUM}")
    assert os.path.realpath(CHROMIUM).startswith("/usr/")
