/**
 * A fact-checker's session against claimdesk, typed end to end from openapi.json.
 *
 * This file is type-checked (never run) by `npm run check`: the types in
 * ./schema.d.ts are generated from the committed spec first, so an API change
 * that breaks this code (a renamed field, a dropped status, a changed
 * parameter) fails the check.
 */
import createClient from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type Claim = components["schemas"]["ClaimOut"];
export type ClaimHit = components["schemas"]["ClaimHitOut"];
export type ClaimStatus = components["schemas"]["ClaimStatus"];
export type Problem = components["schemas"]["Problem"];
export type ClaimReview = components["schemas"]["ClaimReviewOut"];
export type ClaimdeskClient = ReturnType<typeof createClient<paths>>;
type ClaimQuery = NonNullable<paths["/v1/claims"]["get"]["parameters"]["query"]>;
type FeedQuery = NonNullable<paths["/v1/claimreviews"]["get"]["parameters"]["query"]>;

/** What a newsroom dashboard shows for each status: one entry per value in the spec. */
export const STATUS_LABELS: Record<ClaimStatus, string> = {
  unverified: "Not yet looked at",
  in_progress: "Being checked",
  verified: "True",
  misleading: "Misleading",
  false: "False",
  unproven: "Unproven",
  not_checkable: "Not checkable",
};

export function connect(baseUrl: string, apiKey: string): ClaimdeskClient {
  return createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${apiKey}` },
  });
}

/** A failed call, carrying the RFC 9457 problem the API answered with. */
export class ClaimdeskError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly problem: Problem,
  ) {
    super(`${problem.status} ${problem.title}: ${problem.detail ?? "(no detail)"}`);
  }
}

function describe(problem: Problem): string {
  const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  return [problem.detail ?? problem.title, ...fields].join("; ");
}

/** Ingest an article; 201 when new, 200 when the same text was stored before. */
export async function ingest(client: ClaimdeskClient, text: string, title: string) {
  const { data, error, response } = await client.POST("/v1/articles", {
    body: { text, title, language: "en", publisher: "Example News" },
  });
  if (error) {
    throw new ClaimdeskError(response.status, error);
  }
  const fresh = response.status === 201;
  return { article: data, fresh };
}

/** Every claim attributed to a source (name or alias), following `next_cursor`. */
export async function claimsBy(
  client: ClaimdeskClient,
  sourceName: string,
  status?: ClaimStatus,
): Promise<Claim[]> {
  const claims: Claim[] = [];
  let cursor: string | null = null;
  do {
    const query: ClaimQuery = {
      source_name: sourceName,
      status: status ?? null,
      limit: 100,
      cursor,
    };
    const { data, error, response } = await client.GET("/v1/claims", { params: { query } });
    if (error) {
      throw new ClaimdeskError(response.status, error);
    }
    claims.push(...data.items);
    cursor = data.next_cursor;
  } while (cursor !== null);
  return claims;
}

/** The first page of a search, best first, each hit's matched words in [brackets]. */
export async function search(client: ClaimdeskClient, q: string): Promise<string[]> {
  const query: ClaimQuery = { q, sort: "relevance", language: "en", limit: 20 };
  const { data, error, response } = await client.GET("/v1/claims", { params: { query } });
  if (error) {
    throw new ClaimdeskError(response.status, error);
  }
  return data.items.map((hit: ClaimHit) => {
    let marked = "";
    let at = hit.start;
    for (const { start, end } of hit.highlights ?? []) {
      marked += hit.text.slice(at - hit.start, start - hit.start);
      marked += `[${hit.text.slice(start - hit.start, end - hit.start)}]`;
      at = end;
    }
    return marked + hit.text.slice(at - hit.start);
  });
}

/** A claim and its ETag, the version a write must name in `If-Match`. */
export async function claimWithETag(client: ClaimdeskClient, claimId: number) {
  const { data, error, response } = await client.GET("/v1/claims/{claim_id}", {
    params: { path: { claim_id: claimId } },
  });
  if (error) {
    throw new ClaimdeskError(response.status, error);
  }
  const etag = response.headers.get("ETag") ?? `"${data.version}"`;
  return { claim: data, etag };
}

export type StatusOutcome =
  | { kind: "updated"; claim: Claim }
  | { kind: "conflict"; currentETag: string | null; problem: Problem };

/**
 * Set a claim's status, but only if nobody changed it since `etag` was read.
 * A 412 is an expected outcome (a colleague got there first), not an error.
 */
export async function setStatus(
  client: ClaimdeskClient,
  claimId: number,
  etag: string,
  status: ClaimStatus,
  note?: string,
): Promise<StatusOutcome> {
  const { data, error, response } = await client.PATCH("/v1/claims/{claim_id}", {
    params: { path: { claim_id: claimId }, header: { "if-match": etag } },
    body: { status, note: note ?? null },
  });
  if (error) {
    if (response.status === 412) {
      return { kind: "conflict", currentETag: response.headers.get("ETag"), problem: error };
    }
    throw new ClaimdeskError(response.status, error);
  }
  return { kind: "updated", claim: data };
}

/**
 * What a publisher's site pulls: every claim whose verdict was given or changed at or
 * after `since` (all of them with null), following `next_cursor`.
 */
export async function verdictsSince(
  client: ClaimdeskClient,
  since: string | null,
): Promise<{ claimId: number; review: ClaimReview }[]> {
  const verdicts: { claimId: number; review: ClaimReview }[] = [];
  let cursor: string | null = null;
  do {
    const query: FeedQuery = { updated_since: since, limit: 200, cursor };
    const { data, error, response } = await client.GET("/v1/claimreviews", { params: { query } });
    if (error) {
      throw new ClaimdeskError(response.status, error);
    }
    for (const entry of data.items) {
      verdicts.push({ claimId: entry.claim_id, review: entry.claimreview });
    }
    cursor = data.next_cursor;
  } while (cursor !== null);
  return verdicts;
}

/** A review as one line of a newsroom page: "False: ... (Dmitry Peskov, Kremlin spokesman)". */
export function verdictLine(review: ClaimReview): string {
  const author = review.itemReviewed.author;
  const who = author ? [author.name, author.jobTitle ?? author.description].filter(Boolean) : [];
  const firstSeen = review.itemReviewed.firstAppearance.url;
  const where = firstSeen ? ` <${firstSeen}>` : "";
  const byWhom = who.length > 0 ? ` (${who.join(", ")})` : "";
  return `${review.reviewRating.alternateName}: ${review.claimReviewed}${byWhom}${where}`;
}

/**
 * The session: ingest a story, pick up the unverified claims its main source
 * made, and start checking the first one, re-reading it once on a conflict.
 */
export async function session(baseUrl: string, apiKey: string): Promise<string[]> {
  const client = connect(baseUrl, apiKey);
  const log: string[] = [];

  const { article, fresh } = await ingest(
    client,
    "\u201cRussia has never planned to attack anyone,\u201d Kremlin spokesman Dmitry Peskov said.",
    "Putin and Biden hold virtual summit",
  );
  const seen = fresh ? "new" : "seen before";
  log.push(`article ${article.id} (${seen}): ${article.claims.length} claims`);

  const pending = await claimsBy(client, "Peskov", "unverified");
  for (const claim of pending) {
    const who = claim.source?.name ?? "the article";
    const relay = claim.attribution.via;
    const via = relay ? `, via ${relay.name} (${relay.kind})` : "";
    log.push(`#${claim.id} [${STATUS_LABELS[claim.status]}] ${who}${via}: ${claim.text}`);
  }

  log.push(...(await search(client, '"planned to attack" -ukraine')));

  const first = pending[0];
  if (first === undefined) {
    return log;
  }
  let { etag } = await claimWithETag(client, first.id);
  for (let attempt = 0; attempt < 2; attempt++) {
    const outcome = await setStatus(client, first.id, etag, "in_progress", "Checking the readout.");
    switch (outcome.kind) {
      case "updated": {
        const { id, status, version } = outcome.claim;
        log.push(`#${id} is now ${STATUS_LABELS[status]} (v${version})`);
        return log;
      }
      case "conflict": {
        log.push(`#${first.id} changed meanwhile: ${describe(outcome.problem)}`);
        etag = outcome.currentETag ?? (await claimWithETag(client, first.id)).etag;
        break;
      }
    }
  }
  return log;
}
