"""A fact-checker's session against a claimdesk server, with httpx.

    python examples/factchecker_session.py story.txt --source Peskov \\
        --api http://127.0.0.1:8000 --key "$CLAIMDESK_API_KEY"

Ingests the article, lists the claims of one source, takes the first one
into review, leaves evidence, records a verdict, and prints the claim's
ClaimReview JSON-LD. Every write sends the ETag it read in If-Match, so a
colleague's change in between is never overwritten: the script stops with
the server's explanation instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import httpx


def problem(response: httpx.Response) -> str:
    """The server's problem+json detail, for a person."""
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} {response.reason_phrase}"
    return f"{body.get('status')} {body.get('title')}: {body.get('detail')}"


def check(response: httpx.Response) -> httpx.Response:
    if response.is_error:
        sys.exit(
            f"{response.request.method} {response.request.url.path} failed: {problem(response)}"
        )
    return response


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("article", type=Path, help="a UTF-8 text file")
    parser.add_argument("--source", required=True, help="a source's name or alias: Peskov")
    parser.add_argument("--api", default="http://127.0.0.1:8000")
    parser.add_argument("--key", default=os.environ.get("CLAIMDESK_API_KEY"), help="an editor key")
    parser.add_argument("--verdict", default="verified",
                        choices=["verified", "misleading", "false", "unproven"])  # fmt: skip
    parser.add_argument("--evidence", default="https://example.org/evidence",
                        help="a URL that backs the verdict")  # fmt: skip
    args = parser.parse_args()
    if not args.key:
        sys.exit("an editor key is needed: --key or CLAIMDESK_API_KEY")

    headers = {"Authorization": f"Bearer {args.key}"}
    with httpx.Client(base_url=args.api, headers=headers, timeout=60) as api:
        text = args.article.read_text(encoding="utf-8")
        created = check(api.post("/v1/articles", json={"text": text, "title": args.article.stem}))
        article = created.json()
        state = "ingested" if created.status_code == 201 else "already stored"
        print(f"article {article['id']} {state}: {len(article['claims'])} claims")

        claims, params = [], {"article": article["id"], "source_name": args.source, "limit": 200}
        while True:
            page = check(api.get("/v1/claims", params=params)).json()
            claims += page["items"]
            if not page["next_cursor"]:
                break
            params["cursor"] = page["next_cursor"]
        print(f"{len(claims)} claims of {args.source!r}:")
        for claim in claims:
            print(f"  #{claim['id']} [{claim['status']}] {claim['text']}")
        if not claims:
            return

        claim_id = claims[0]["id"]
        etag = check(api.get(f"/v1/claims/{claim_id}")).headers["ETag"]
        reviewing = check(
            api.patch(
                f"/v1/claims/{claim_id}",
                json={"status": "in_progress", "note": "taken into review"},
                headers={"If-Match": etag},
            )
        )
        print(f"#{claim_id} in review (ETag {reviewing.headers['ETag']})")

        quote = claims[0]["text"].split()[0]
        check(
            api.post(
                f"/v1/claims/{claim_id}/annotations",
                json={"motivation": "linking", "body": "Evidence for the verdict.",
                      "evidence_url": args.evidence, "quote": quote},
            )
        )  # fmt: skip
        verdict = check(
            api.patch(
                f"/v1/claims/{claim_id}",
                json={"status": args.verdict},
                headers={"If-Match": reviewing.headers["ETag"]},
            )
        )
        print(f"#{claim_id} is {verdict.json()['status']}")

        review = check(api.get(f"/v1/claims/{claim_id}/claimreview")).json()
        print(json.dumps(review, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
