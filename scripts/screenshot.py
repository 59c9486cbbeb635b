"""Screenshots of running Claimdesk pages, for docs/, with headless Chromium.

    .venv/bin/python scripts/screenshot.py --user editor --password PW \
        --url /admin/claims/claim/1/change/ --out docs/admin-claim.png

Needs Debian's chromium (apt-get install -y chromium) and a running server
(make demo). Signs in through the admin login form first when --user is given.
"""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--url", action="append", required=True)
    parser.add_argument("--out", action="append", required=True)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    if len(args.url) != len(args.out):
        parser.error("give one --out for each --url")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        if args.user:
            page.goto(f"{args.base}/admin/login/")
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("input[type=submit]")
            page.wait_for_load_state()
        for url, out in zip(args.url, args.out, strict=True):
            page.goto(args.base + url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=out, full_page=args.full_page)
            print(f"wrote {out}")
        browser.close()


if __name__ == "__main__":
    main()
