"""The source's rows changed in [since, until), page by page. fetch is the
seam: it takes one page's request and returns its JSON, so the paging is
tested without the network; http_fetch is the real one (a JSON API
answering {"items": [...], "next": TOKEN-or-null})."""
import json
import urllib.parse
import urllib.request

from flattenjson import flatten

MAX_PAGES = 10000


def rows(fetch, since, until):
    """Every row of every page, flattened; stops at the page without next."""
    out = []
    token = None
    for _ in range(MAX_PAGES):
        page = fetch({"since": since, "until": until, "page": token})
        out.extend(flatten(item, sep="_") for item in page.get("items", []))
        token = page.get("next")
        if not token:
            return out
    raise RuntimeError(f"more than {MAX_PAGES} pages: is the source's next token moving?")


def http_fetch(base_url, token, timeout=30):
    """A fetch for a JSON API at base_url with a bearer token."""
    def fetch(params):
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        req = urllib.request.Request(f"{base_url}?{query}",
                                     headers={"Authorization": f"Bearer {token}",
                                              "Accept": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.load(resp)
    return fetch
